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
import { mkdir, readdir, rm } from 'node:fs/promises';
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

/** Cache entries written at once. */
const WRITE_CONCURRENCY = 16;

export interface CachedLoadOptions {
  passages?: PassageOptions;
  /** Told about each cache file that could not be used or written. */
  warn?: (message: string) => void;
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
function unchangedByStat(entry: ArchiveFile, saved: ManifestEntry, checkedAt: number): boolean {
  return (
    saved.sha256 !== undefined &&
    entry.size === saved.size &&
    entry.mtimeMs === saved.mtimeMs &&
    entry.ctimeMs === saved.ctimeMs &&
    Math.max(entry.mtimeMs, entry.ctimeMs) < checkedAt - RACY_WINDOW_MS
  );
}

/** The same outcome for a file that was not read (too large, unreadable): same size and same reason. */
function sameUnread(reading: FileReading, saved: ManifestEntry, entry: ArchiveFile): boolean {
  return reading.sha256 === undefined && saved.sha256 === undefined && saved.size === entry.size && JSON.stringify(reading.problems) === JSON.stringify(saved.problems);
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
  const saved = new Map(previous?.files.map((file) => [file.file, file]));
  const slots: Slot[] = [];
  let read = 0;
  for (const entry of listing.files) {
    const before = saved.get(entry.file);
    saved.delete(entry.file);
    if (before && previous && unchangedByStat(entry, before, previous.checkedAt)) {
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
  if (current) {
    timings.read = lap();
    try {
      // The same header as above, or the file was replaced in between (by another process's save).
      const { snapshot } = await readSnapshot(snapshotPath, engine, root, previousHeader);
      const index = new InvertedIndex(snapshot.index);
      timings.index = lap();
      timings.total = performance.now() - started;
      Object.assign(report, { cache: 'snapshot', reused: slots.length, saved: true });
      return { root, loaded: snapshot, index, passages: passagesOf(snapshot), report };
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
  const entries: { name: string; chunks: Uint8Array[] }[] = [];
  slots.forEach((slot, i) => {
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
      if (at >= 0) indexer.add(analysis!);
      if (analysis && encoder) {
        encoder.add(analysis);
        analysed.push(j);
      }
    });
    report.documentsAnalyzed += analyzedHere;
    if (analyzedHere > 0) report.analyzed++;
    else if (cached) report.reused++;
    if (encoder) entries.push({ name: fileEntryName(engine, reading.file, reading.sha256!), chunks: encodeFileEntry(engine, reading, analysed, encoder) });
  });
  const built = indexer.finish();
  timings.index = lap() - timings.analyze;

  const manifest: Manifest = {
    checkedAt,
    files: slots.map(({ entry, sha256, reading }, i): ManifestEntry => {
      const record: ManifestEntry = { file: entry.file, size: entry.size, mtimeMs: entry.mtimeMs, ctimeMs: entry.ctimeMs };
      if (sha256 !== undefined) record.sha256 = sha256;
      else record.problems = (reading ?? readings[i]!).problems;
      return record;
    }),
    listingSkipped: listing.skipped,
  };
  const snapshot = { root, ...loaded, ...spansOf(built.passages), index: built.index.data };
  const keep = new Set(readings.filter((r) => r.sha256 !== undefined).map((r) => fileEntryName(engine, r.file, r.sha256!)));
  report.saved = await save(dir, entries, encodeSnapshot(engine, manifest, snapshot), keep, warn);
  timings.save = lap();
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
  for (const slot of slots) {
    if (slot.sha256 === undefined) continue;
    const path = join(dir, FILES_DIR, fileEntryName(engine, slot.entry.file, slot.sha256));
    try {
      slot.cached = await readFileEntry(path, engine, slot.entry.file, slot.sha256);
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

/** Writes the entries, then the snapshot, then removes what nothing refers to. False if the cache could not be written. */
async function save(
  dir: string,
  entries: { name: string; chunks: Uint8Array[] }[],
  snapshot: Uint8Array[],
  keep: Set<string>,
  warn: (message: string) => void,
): Promise<boolean> {
  const filesDir = join(dir, FILES_DIR);
  try {
    await mkdir(filesDir, { recursive: true });
    let next = 0;
    const writeNext = async (): Promise<void> => {
      while (next < entries.length) {
        const { name, chunks } = entries[next++]!;
        await writeFileAtomic(join(filesDir, name), chunks);
      }
    };
    await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, entries.length) }, writeNext));
    await writeFileAtomic(join(dir, SNAPSHOT_FILE), snapshot);
  } catch (error) {
    warn(`cannot write the cache in ${dir}: ${describe(error)}; the archive loads without it`);
    return false;
  }
  try {
    for (const name of await readdir(filesDir)) {
      if (isFileEntryName(name) && !keep.has(name)) await rm(join(filesDir, name), { force: true });
    }
    await removeStaleTemporaries(filesDir);
    await removeStaleTemporaries(dir);
  } catch (error) {
    warn(`cannot tidy the cache in ${dir}: ${describe(error)}`);
  }
  return true;
}
