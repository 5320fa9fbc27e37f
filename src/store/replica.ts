/**
 * A machine's local copy of the shared archive (ARCHIVE_STORE=postgres): the archive folder
 * (DATA_DIR) the engine reads, written only by {@link Replica.pull}. Each file is written whole in a
 * hidden staging folder and renamed into place, so the loader (which skips hidden folders) never
 * reads half a file; the version the folder holds is written last, the same way, so a pull cut short
 * is simply done again. A database whose version is behind the folder's (restored from an old
 * backup, or another database) is refused: the folder is left as it is, and the operator told.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isArchivePath, sha256, type ArchiveDb } from './archive-db.js';

/** The version the folder holds: hidden, so the loader never reads it. */
export const REPLICA_STATE_FILE = '.archivist-replica.json';
/** Where files are written before they are renamed into place: hidden, so the loader never reads them. */
export const STAGING_FOLDER = '.archivist-sync';

type PullResult =
  | {
      ok: true;
      /** The version the folder held before and holds now. */
      from: number;
      version: number;
      written: number;
      removed: number;
      /** Rows whose path is not one the archive could name (never written). */
      refused: string[];
    }
  | { ok: false; from: number; reason: string };

export class Replica {
  #queue: Promise<unknown> = Promise.resolve();

  constructor(readonly folder: string) {}

  /** The version the folder holds (0: none yet, or an unreadable state file: every file is fetched again). */
  async version(): Promise<number> {
    try {
      const state = JSON.parse(await readFile(join(this.folder, REPLICA_STATE_FILE), 'utf8')) as { version?: unknown };
      return typeof state.version === 'number' && Number.isSafeInteger(state.version) && state.version >= 0 ? state.version : 0;
    } catch {
      return 0;
    }
  }

  /** Brings the folder up to the database's version. Pulls run one at a time, in order; each reads the version afresh. */
  pull(db: Pick<ArchiveDb, 'changesSince'>): Promise<PullResult> {
    const run = this.#queue.then(() => this.#pull(db));
    this.#queue = run.catch(() => {});
    return run;
  }

  async #pull(db: Pick<ArchiveDb, 'changesSince'>): Promise<PullResult> {
    const from = await this.version();
    const { version, files } = await db.changesSince(from);
    if (version < from) {
      return {
        ok: false,
        from,
        reason: `the shared archive is at version ${version}, behind this machine's copy (version ${from}); it was not synced. Was the database restored from an older backup, or is DATABASE_URL another database?`,
      };
    }
    if (version === from) return { ok: true, from, version, written: 0, removed: 0, refused: [] };
    await mkdir(this.folder, { recursive: true });
    let written = 0;
    let removed = 0;
    const refused: string[] = [];
    for (const file of files) {
      if (!isArchivePath(file.path)) {
        refused.push(file.path);
        continue;
      }
      const target = join(this.folder, ...file.path.split('/'));
      if (!file.bytes) {
        await rm(target, { force: true });
        removed++;
        continue;
      }
      const current = await readFile(target).catch(() => undefined);
      if (current && sha256(current) === file.hash) continue;
      await mkdir(dirname(target), { recursive: true });
      await this.#writeWhole(target, file.bytes);
      written++;
    }
    await this.#writeWhole(join(this.folder, REPLICA_STATE_FILE), Buffer.from(`${JSON.stringify({ version })}\n`));
    return { ok: true, from, version, written, removed, refused };
  }

  /** Writes `bytes` to a staging file, then renames it over `target`: readers see the old file or the new one. */
  async #writeWhole(target: string, bytes: Uint8Array): Promise<void> {
    const staging = join(this.folder, STAGING_FOLDER);
    await mkdir(staging, { recursive: true });
    const temp = join(staging, `${randomBytes(8).toString('hex')}.part`);
    try {
      await writeFile(temp, bytes, { flush: true });
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}
