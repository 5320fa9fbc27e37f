/**
 * Writing the cache: the packs whose entries changed, then the snapshot that refers to them. The
 * first failure ends all writing with one warning; the load goes on without the cache.
 */
import { rmSync } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { removeStaleTemporaries, writeFileAtomic } from './atomic.js';
import { encodePack, packFileName, packOf, packOfFileName, PACKS_DIR, SNAPSHOT_FILE, type Packs } from './cache-files.js';
import { CacheFileError } from '../wire/container.js';
import { describeCacheError, isMissing } from './errors.js';

/**
 * Refuses a folder nobody may write to (mode without any w bit), even when permissions would not
 * stop this process: root writes anywhere, but an archive made read-only is not to be written in.
 * Checks the cache folder, or the nearest folder above it that exists.
 */
async function checkWritable(dir: string): Promise<void> {
  for (let folder = dir; ; folder = dirname(folder)) {
    try {
      if (((await stat(folder)).mode & 0o222) === 0) throw new CacheFileError(`${folder} is read-only`);
      return;
    } catch (error) {
      if (!isMissing(error) || dirname(folder) === folder) throw error;
    }
  }
}

/** What to write: the snapshot's bytes (made only if the packs were written), and optionally the packs. */
interface CacheWrite {
  dir: string;
  engine: string;
  snapshot: () => Iterable<Uint8Array>;
  /**
   * Every pack is made to hold exactly the entries in `keep`: from `fresh` (new entries) or from
   * `packs` (as read). Absent when only the snapshot changes.
   */
  entries?: { keep: ReadonlySet<string>; fresh: ReadonlyMap<string, Uint8Array>; packs: Packs };
}

interface CacheWritten {
  /** Whether the whole cache was written. */
  saved: boolean;
  /** Why not, when it was not. */
  warning?: string;
  /** Milliseconds spent. */
  elapsed: number;
}

/** Writes the packs and then the snapshot; never throws (a failure is a warning). */
export async function writeCache({ dir, engine, snapshot, entries }: CacheWrite): Promise<CacheWritten> {
  const started = performance.now();
  try {
    await checkWritable(dir);
    if (entries) await writePacks(dir, engine, entries);
    await writeFileAtomic(join(dir, SNAPSHOT_FILE), snapshot());
  } catch (error) {
    const warning = `cannot write the cache in ${dir}: ${describeCacheError(error)}; the archive loads without it`;
    return { saved: false, warning, elapsed: performance.now() - started };
  }
  await removeStaleTemporaries(join(dir, PACKS_DIR));
  await removeStaleTemporaries(dir);
  return { saved: true, elapsed: performance.now() - started };
}

async function writePacks(dir: string, engine: string, { keep, fresh, packs }: NonNullable<CacheWrite['entries']>): Promise<void> {
  const folder = join(dir, PACKS_DIR);
  await mkdir(folder, { recursive: true });
  const wanted: Packs = new Map();
  for (const key of keep) {
    const bytes = fresh.get(key) ?? packs.get(packOf(key))?.get(key);
    if (!bytes) continue;
    const pack = wanted.get(packOf(key)) ?? new Map<string, Uint8Array>();
    wanted.set(packOf(key), pack.set(key, bytes));
  }
  // Every pack on disk that is not exactly as wanted is rewritten, or removed when nothing is wanted in it.
  const onDisk = new Set((await readdir(folder)).map(packOfFileName).filter((pack) => pack !== undefined));
  for (const pack of new Set([...onDisk, ...wanted.keys()])) {
    const want = wanted.get(pack);
    const have = packs.get(pack);
    const same = onDisk.has(pack) && have && want && want.size === have.size && [...want].every(([key, bytes]) => have.get(key) === bytes);
    if (same) continue;
    const path = join(folder, packFileName(pack));
    if (want) await writeFileAtomic(path, encodePack(engine, want));
    else rmSync(path, { force: true });
  }
}
