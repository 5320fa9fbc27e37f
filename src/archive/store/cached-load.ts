/**
 * Archive.load with the on-disk cache: list the archive, tell which files changed since the saved
 * index, and do only the work those changes need.
 *
 *  - Nothing changed (same files, sizes, times or bytes): the saved index is read as it is.
 *  - Otherwise the index is rebuilt: each unchanged file's reading and analyses come from its
 *    cache entry, changed and added files are read and analysed, and ids and deduplication run
 *    over all files again (a repeat in one file depends on the others). Then the new entries and
 *    the new index are saved, and entries no longer referred to are removed.
 *
 * The cache is an accelerator, never a source of truth: a cache file that is missing, corrupt,
 * truncated or from another engine version is ignored (and rebuilt), and one that cannot be
 * written only costs a warning.
 */
import { rmSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { analyzeDocument, indexDocuments, PassageIndexer, type DocumentAnalysis } from '../indexing.js';
import { InvertedIndex } from '../inverted-index.js';
import {
  collectReadings,
  listArchive,
  readArchiveFile,
  type ArchiveFile,
  type FileReading,
} from '../load/index.js';
import type { PassageOptions } from '../passages.js';
import type { LoadedArchive, Passage } from '../types.js';
import { AnalysisEncoder } from './analysis-codec.js';
import { removeStaleTemporaries, writeFileAtomic } from './atomic.js';
import {
  cacheFolder,
  encodeFileEntry,
  encodeSnapshot,
  FILES_DIR,
  fileEntryName,
  isFileEntryName,
  readFileEntry,
  readSnapshot,
  readSnapshotManifest,
  SNAPSHOT_FILE,
  type FileEntry,
  type Manifest,
  type ManifestEntry,
} from './cache-files.js';
import { CacheFileError, type HeaderRead } from './container.js';
import { engineKey } from './engine.js';
import type { LoadReport } from './report.js';
import { passagesOf, spansOf } from './snapshot.js';

/**
 * A file whose times are this close to (or after) the moment the saved index read the archive is
 * re-hashed rather than trusted by its times: a write in the same timestamp tick as that read
 * would not show in the times (2 s covers the coarsest common clock, FAT's).
 */
export const RACY_WINDOW_MS = 2000;

export interface CachedLoadOptions {
  passages?: PassageOptions;
  /** Told about each cache file that could not be used or written. */
  warn?: (message: string) => void;
  /** Overrides {@link RACY_WINDOW_MS} (tests: files they write are always within the default window). */
  racyWindowMs?: number;
}

export interface CachedLoad {
  root: string;
  loaded: LoadedArchive;
  index: InvertedIndex;
  passages: Passage[];
  report: LoadReport;
}

/** One listed file on its way through the load. */
interface Slot {
  entry: ArchiveFile;
  status: 'unchanged' | 'changed' | 'added';
  /** The bytes' hash when known (from the manifest for a file trusted by its times). */
  sha256?: string;
  /** The file as read now, when it was read. */
  reading?: FileReading;
  /** Its cache entry, when there is a usable one. */
  cached?: FileEntry;
}

function isMissing(error: unknown): boolean {
  const code = error instanceof Error ? Reflect.get(error, 'code') : undefined;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function describe(error: unknown): string {
  if (error instanceof CacheFileError) return error.message;
  const code = error instanceof Error ? Reflect.get(error, 'code') : undefined;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}

/** A file is unchanged by its times when size, mtime and ctime match and none of them is racy. */
function unchangedByStat(entry: ArchiveFile, saved: ManifestEntry, checkedAt: number, racyWindowMs: number): boolean {
  return (
    saved.sha256 !== undefined &&
    entry.size === saved.size &&
    entry.mtimeMs === saved.mtimeMs &&
    entry.ctimeMs === saved.ctimeMs &&
    Math.max(entry.mtimeMs, entry.ctimeMs) < checkedAt - racyWindowMs
  );
}

/** The same outcome for a file that was not read (too large, unreadable): same size and same reason. */
function sameUnread(reading: FileReading, saved: ManifestEntry, entry: ArchiveFile): boolean {
  return reading.sha256 === undefined && saved.sha256 === undefined && saved.size === entry.size && JSON.stringify(reading.problems) === JSON.stringify(saved.problems);
}

/** The manifest of a build: each file's times as listed, and the hash (or problems) of what was read. */
function manifestOf(
  checkedAt: number,
  listingSkipped: Manifest['listingSkipped'],
  slots: readonly Slot[],
  readings: readonly { sha256?: string; problems?: FileReading['problems'] }[],
): Manifest {
  const files = slots.map(({ entry }, i): ManifestEntry => {
    const { sha256, problems } = readings[i]!;
    const record: ManifestEntry = { file: entry.file, size: entry.size, mtimeMs: entry.mtimeMs, ctimeMs: entry.ctimeMs };
    if (sha256 !== undefined) record.sha256 = sha256;
    else record.problems = problems ?? [];
    return record;
  });
  return { checkedAt, files, listingSkipped };
}

export async function loadCached(archivePath: string, options: CachedLoadOptions = {}): Promise<CachedLoad> {
  const started = performance.now();
  const warnings: string[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
    options.warn?.(message);
  };
  let mark = started;
  const lap = (): number => {
    const now = performance.now();
    const elapsed = now - mark;
    mark = now;
    return elapsed;
  };

  const listing = await listArchive(archivePath);
  const root = resolve(archivePath);
  const dir = cacheFolder(root, listing.singleFile);
  const snapshotPath = join(dir, SNAPSHOT_FILE);
  const engine = engineKey(options.passages);
  const timings: LoadReport['timings'] = { list: lap(), read: 0, analyze: 0, index: 0, save: 0, total: 0 };

  let previous: Manifest | undefined;
  let previousHeader: HeaderRead | undefined;
  try {
    ({ manifest: previous, header: previousHeader } = await readSnapshotManifest(snapshotPath, engine));
  } catch (error) {
    if (!isMissing(error)) warn(`cache ${snapshotPath} not used: ${describe(error)}`);
  }

  // Which files changed? Trust times where they are conclusive, else read and compare hashes.
  const checkedAt = Date.now();
  const previousFiles = new Map(previous?.files.map((file) => [file.file, file]));
  const saved = new Map(previousFiles);
  const slots: Slot[] = [];
  let read = 0;
  for (const entry of listing.files) {
    const before = saved.get(entry.file);
    saved.delete(entry.file);
    if (before && previous && unchangedByStat(entry, before, previous.checkedAt, options.racyWindowMs ?? RACY_WINDOW_MS)) {
      slots.push({ entry, status: 'unchanged', sha256: before.sha256 });
      continue;
    }
    const reading = await readArchiveFile(entry, listing);
    read++;
    const same = before && (reading.sha256 !== undefined ? reading.sha256 === before.sha256 : sameUnread(reading, before, entry));
    slots.push({ entry, status: !before ? 'added' : same ? 'unchanged' : 'changed', sha256: reading.sha256, reading });
  }
  const removed = saved.size;
  const counts = { added: 0, changed: 0, unchanged: 0 };
  for (const slot of slots) counts[slot.status]++;
  const report: LoadReport = {
    cache: 'rebuilt',
    cacheDir: dir,
    files: slots.length,
    added: counts.added,
    changed: counts.changed,
    removed,
    read,
    analyzed: 0,
    reused: 0,
    documentsAnalyzed: 0,
    saved: false,
    warnings,
    timings,
  };

  const current =
    previous !== undefined &&
    counts.unchanged === slots.length &&
    removed === 0 &&
    JSON.stringify(listing.skipped) === JSON.stringify(previous.listingSkipped);
  const racyWindowMs = options.racyWindowMs ?? RACY_WINDOW_MS;
  if (current) {
    timings.read = lap();
    try {
      // The same header as above, or the file was replaced in between (by another process's save).
      const { snapshot } = await readSnapshot(snapshotPath, engine, root, previousHeader);
      const index = new InvertedIndex(snapshot.index);
      const passages = passagesOf(snapshot);
      timings.index = lap();
      Object.assign(report, { cache: 'snapshot', reused: slots.length, saved: true });
      // Files read to check them (their times had changed, or were too recent to trust) would be
      // read again at every start: record their times now, once they are old enough to be trusted.
      if (slots.some(({ reading, entry }) => reading && Math.max(entry.mtimeMs, entry.ctimeMs) < checkedAt - racyWindowMs)) {
        const writer = new CacheWriter(dir, warn);
        const manifest = manifestOf(checkedAt, listing.skipped, slots, slots.map((slot) => slot.reading ?? previousFiles.get(slot.entry.file)!));
        report.saved = await writer.finish(() => encodeSnapshot(engine, manifest, snapshot));
        timings.save = writer.elapsed;
        lap();
      }
      timings.total = performance.now() - started;
      return { root, loaded: snapshot, index, passages, report };
    } catch (error) {
      warn(`cache ${snapshotPath} not used: ${describe(error)}`);
    }
  }

  // Rebuild: readings for every file, from the cache where it has them.
  await loadEntries(dir, engine, slots, warn);
  for (const slot of slots) {
    if (slot.reading || slot.cached) continue;
    // Trusted by its times, but its entry is gone: read it after all.
    slot.reading = await readArchiveFile(slot.entry, listing);
    report.read++;
  }
  const readings = slots.map((slot) => slot.reading ?? slot.cached!.reading);
  const { loaded, placed } = collectReadings(listing.skipped, readings);
  timings.read += lap();

  const indexer = new PassageIndexer();
  const writer = new CacheWriter(dir, warn);
  for (const [i, slot] of slots.entries()) {
    const reading = readings[i]!;
    const { cached } = slot;
    const documents = placed[i]!;
    // A new entry is written when the file has none, or its entry lacks a document that is now
    // indexed (it was a repeat of a document in a file since changed).
    const write = reading.sha256 !== undefined && (!cached || documents.some((at, j) => at >= 0 && !cached.has(j)));
    const encoder = write ? new AnalysisEncoder() : undefined;
    const analysed: number[] = [];
    let analyzedHere = 0;
    documents.forEach((at, j) => {
      if (at < 0 && !encoder) return;
      let analysis: DocumentAnalysis | undefined = cached?.analysis(j);
      if (!analysis && at >= 0) {
        const t0 = performance.now();
        analysis = analyzeDocument(loaded.documents[at]!, options.passages);
        timings.analyze += performance.now() - t0;
        analyzedHere++;
      }
      if (at >= 0) indexer.add(analysis!, loaded.documents[at]!.text);
      if (analysis && encoder) {
        encoder.add(analysis);
        analysed.push(j);
      }
    });
    report.documentsAnalyzed += analyzedHere;
    if (analyzedHere > 0) report.analyzed++;
    else if (cached) report.reused++;
    if (encoder) await writer.entry(fileEntryName(engine, reading.file, reading.sha256!), encodeFileEntry(engine, reading, analysed, encoder));
  }
  const built = indexer.finish();
  timings.index = lap() - timings.analyze - writer.elapsed;

  const manifest = manifestOf(checkedAt, listing.skipped, slots, readings);
  const snapshot = { root, ...loaded, ...spansOf(built.passages), index: built.index.data };
  const keep = new Set(readings.filter((r) => r.sha256 !== undefined).map((r) => fileEntryName(engine, r.file, r.sha256!)));
  report.saved = await writer.finish(() => encodeSnapshot(engine, manifest, snapshot), keep);
  timings.save = writer.elapsed;
  lap();
  timings.total = performance.now() - started;
  return { root, loaded, index: built.index, passages: built.passages, report };
}

/** The same load without the cache: every file read and every document analysed; nothing written. */
export async function loadUncached(archivePath: string, options: CachedLoadOptions = {}): Promise<CachedLoad> {
  const started = performance.now();
  const listing = await listArchive(archivePath);
  const list = performance.now() - started;
  const readings: FileReading[] = [];
  for (const entry of listing.files) readings.push(await readArchiveFile(entry, listing));
  const { loaded, placed } = collectReadings(listing.skipped, readings);
  const read = performance.now() - started - list;
  const { index, passages, timings } = indexDocuments(loaded.documents, options.passages);
  const total = performance.now() - started;
  const analyzed = placed.filter((documents) => documents.some((at) => at >= 0)).length;
  const report: LoadReport = {
    cache: 'off',
    files: readings.length,
    added: 0,
    changed: 0,
    removed: 0,
    read: readings.length,
    analyzed,
    reused: 0,
    documentsAnalyzed: loaded.documents.length,
    saved: false,
    warnings: [],
    timings: { list, read, ...timings, save: 0, total },
  };
  return { root: resolve(archivePath), loaded, index, passages, report };
}

/** Fills in `cached` for every slot whose file has a usable entry. */
async function loadEntries(dir: string, engine: string, slots: Slot[], warn: (message: string) => void): Promise<void> {
  const unusable: string[] = [];
  let present: Set<string>;
  try {
    present = new Set(await readdir(join(dir, FILES_DIR)));
  } catch {
    return; // No entries at all (a first build, or an unreadable folder: then nothing is usable anyway).
  }
  for (const slot of slots) {
    if (slot.sha256 === undefined) continue;
    const name = fileEntryName(engine, slot.entry.file, slot.sha256);
    if (!present.has(name)) continue;
    try {
      slot.cached = await readFileEntry(join(dir, FILES_DIR, name), engine, slot.entry.file, slot.sha256);
    } catch (error) {
      if (!isMissing(error)) unusable.push(`${slot.entry.file} (${describe(error)})`);
    }
  }
  // One warning, however many: a damaged cache folder should not flood the log.
  if (unusable.length > 0) {
    const more = unusable.length > 3 ? ` and ${unusable.length - 3} more` : '';
    warn(`cache entries not used, re-analysed instead: ${unusable.slice(0, 3).join(', ')}${more}`);
  }
}

/**
 * Writes a rebuild's cache: entries as they are made (so a large build does not hold them all in
 * memory), then the snapshot, then removes entries nothing refers to. The first failure ends all
 * writing with one warning; the load goes on without the cache.
 */
class CacheWriter {
  private failed = false;
  private ready = false;
  /** Milliseconds spent writing. */
  elapsed = 0;

  constructor(
    private readonly dir: string,
    private readonly warn: (message: string) => void,
  ) {}

  private async attempt(write: () => Promise<void>): Promise<void> {
    if (this.failed) return;
    const started = performance.now();
    try {
      if (!this.ready) {
        await mkdir(join(this.dir, FILES_DIR), { recursive: true });
        this.ready = true;
      }
      await write();
    } catch (error) {
      this.failed = true;
      this.warn(`cannot write the cache in ${this.dir}: ${describe(error)}; the archive loads without it`);
    }
    this.elapsed += performance.now() - started;
  }

  entry(name: string, chunks: Uint8Array[]): Promise<void> {
    return this.attempt(() => writeFileAtomic(join(this.dir, FILES_DIR, name), chunks));
  }

  /** Writes the snapshot and, given the entries to keep, tidies up; true when the whole cache was written. */
  async finish(snapshot: () => Uint8Array[], keep?: Set<string>): Promise<boolean> {
    await this.attempt(() => writeFileAtomic(join(this.dir, SNAPSHOT_FILE), snapshot()));
    if (this.failed) return false;
    if (!keep) return true;
    const started = performance.now();
    const filesDir = join(this.dir, FILES_DIR);
    try {
      for (const name of await readdir(filesDir)) {
        if (isFileEntryName(name) && !keep.has(name)) rmSync(join(filesDir, name), { force: true });
      }
      await removeStaleTemporaries(filesDir);
      await removeStaleTemporaries(this.dir);
    } catch (error) {
      this.warn(`cannot tidy the cache in ${this.dir}: ${describe(error)}`);
    }
    this.elapsed += performance.now() - started;
    return true;
  }
}
