/**
 * Archive.load with the on-disk cache: list the archive, tell which files changed since the saved
 * index, and do only the work those changes need. Each step below is a function of its inputs that
 * returns its result; this module only strings them together and writes the report.
 *
 *  - Nothing changed (same files, sizes, times or bytes): the saved index is read as it is.
 *  - Otherwise the archive is rebuilt by the same pipeline as a load without the cache
 *    (`build.ts`), given each unchanged file's reading and analyses from its cache entry; ids and
 *    deduplication run over all files again (a repeat in one file depends on the others). Then the
 *    new entries and the new index are saved, and entries no longer referred to are removed.
 *
 * The cache is an accelerator, never a source of truth: a cache file that is missing, corrupt,
 * truncated or from another engine version is ignored (and rebuilt), and one that cannot be
 * written only costs a warning. docs/cache.md describes the tiers, keys and failure costs.
 */
import { join, resolve } from 'node:path';
import { indexReadings, readFiles, type IndexedArchive } from './build.js';
import { InvertedIndex } from '../postings/inverted-index.js';
import { listArchive, type ArchiveListing, type FileReading } from '../load/index.js';
import type { PassageOptions } from '../passages.js';
import type { LoadedArchive, Passage } from '../types.js';
import {
  cacheFolder,
  cacheFolders,
  unsafeCacheFolder,
  encodeFileEntry,
  encodeSnapshot,
  fileEntryKey,
  plausibleCacheBytes,
  readSnapshot,
  readSnapshotManifest,
  SNAPSHOT_FILE,
  type FileEntry,
  type Manifest,
} from '../cache/cache-files.js';
import { findChanges, manifestOf, RACY_WINDOW_MS, timesNowTrusted, type Changes } from './changes.js';
import { CacheFileError, type HeaderRead, type ReadLimits } from '../wire/container.js';
import { engineKey } from '../cache/engine-key.js';
import { readSavedEntries } from './entries.js';
import { describeCacheError, isMissing } from '../cache/errors.js';
import type { LoadReport } from './report.js';
import { passagesOf, spansOf, type ArchiveSnapshot } from '../wire/snapshot.js';
import { openSnapshot, type OpenedSnapshot, type SavedIndex } from '../cache/saved-index.js';
import { writeCache } from '../cache/writer.js';
import type { ProgressReporter } from './progress.js';

export { RACY_WINDOW_MS } from './changes.js';

/** Reads of a saved index that another process replaced meanwhile, before giving up and rebuilding. */
const SNAPSHOT_READ_ATTEMPTS = 3;

interface CachedLoadOptions {
  passages?: PassageOptions;
  /** Told about each cache file that could not be used or written. */
  warn?: (message: string) => void;
  /** Keep the cache under this folder instead of beside the archive (see {@link cacheFolder}). */
  cacheDir?: string;
  /** Overrides {@link RACY_WINDOW_MS} (tests: files they write are always within the default window). */
  racyWindowMs?: number;
  /** Told of each file read and document analysed (absent: nothing is counted). */
  progress?: ProgressReporter;
  /** A saved index larger than this is opened for reads on demand (see {@link LAZY_INDEX_BYTES}). */
  lazyIndexBytes?: number;
}

/**
 * A saved index of more bytes than this is opened for reads on demand (`cache/saved-index.ts`):
 * its core at start, each list and text when a search needs it. A smaller one is read and checked
 * whole at start, which costs a few milliseconds and finds any damage before the archive is used.
 */
export const LAZY_INDEX_BYTES = 8 * 1024 * 1024;

interface CachedLoad {
  root: string;
  loaded: LoadedArchive;
  index: InvertedIndex;
  passages: Passage[];
  report: LoadReport;
  /** The saved index the archive reads on demand, held open (absent when everything is in memory). */
  saved?: SavedIndex;
}

/** Milliseconds since the previous call. */
function stopwatch(): () => number {
  let mark = performance.now();
  return () => {
    const now = performance.now();
    const elapsed = now - mark;
    mark = now;
    return elapsed;
  };
}

/** The saved index's manifest and header (read from its header alone), or why it is not usable. */
async function readPrevious(
  path: string,
  engine: string,
  limits: ReadLimits,
): Promise<{ manifest: Manifest; header: HeaderRead } | { warning?: string }> {
  try {
    return await readSnapshotManifest(path, engine, limits);
  } catch (error) {
    return isMissing(error) ? {} : { warning: `cache ${path} not used: ${describeCacheError(error)}` };
  }
}

/** A saved index read and checked whole, as the parts a load returns. */
async function readWhole(
  path: string,
  engine: string,
  root: string,
  header: HeaderRead,
  limits: ReadLimits,
): Promise<Omit<OpenedSnapshot, 'saved'> & { saved?: undefined; snapshot: ArchiveSnapshot }> {
  const { manifest, snapshot } = await readSnapshot(path, engine, root, header, limits);
  return { manifest, snapshot, loaded: snapshot, index: new InvertedIndex(snapshot.index), passages: passagesOf(snapshot) };
}

/** What every load reports, before the counts of the path it took. */
function baseReport({ files, ignored }: ArchiveListing, warnings: string[]): LoadReport {
  return {
    cache: 'rebuilt',
    files: files.length,
    ignored,
    added: 0,
    changed: 0,
    removed: 0,
    read: 0,
    analyzed: 0,
    reused: 0,
    documentsAnalyzed: 0,
    saved: false,
    warnings,
    timings: { list: 0, read: 0, analyze: 0, index: 0, save: 0, total: 0 },
  };
}

/** Files and documents analysed now, from a build's per-file counts. */
function analysisCounts(built: Pick<IndexedArchive, 'analysedNow'>): Pick<LoadReport, 'analyzed' | 'documentsAnalyzed'> {
  return {
    analyzed: built.analysedNow.filter((n) => n > 0).length,
    documentsAnalyzed: built.analysedNow.reduce((sum, n) => sum + n, 0),
  };
}

export async function loadCached(archivePath: string, options: CachedLoadOptions = {}): Promise<CachedLoad> {
  const started = performance.now();
  const lap = stopwatch();
  const warnings: string[] = [];
  const warn = (message: string | undefined): void => {
    if (message === undefined) return;
    warnings.push(message);
    options.warn?.(message);
  };
  const racyWindowMs = options.racyWindowMs ?? RACY_WINDOW_MS;

  const listing = await listArchive(archivePath);
  const root = resolve(archivePath);
  const dir = cacheFolder(root, listing.singleFile, options.cacheDir);
  const engine = engineKey(options.passages);
  const snapshotPath = join(dir, SNAPSHOT_FILE);
  const report: LoadReport = { ...baseReport(listing, warnings), cacheDir: dir };
  const { timings } = report;
  timings.list = lap();

  const unsafe = unsafeCacheFolder(
    cacheFolders(root, listing.singleFile, options.cacheDir),
    options.cacheDir === undefined ? undefined : resolve(options.cacheDir),
  );
  if (unsafe !== undefined) {
    warn(`cache not used: ${unsafe}; the archive loads without it`);
    const built = await buildWithoutCache(listing, options);
    Object.assign(report, built.counts, { added: listing.files.length });
    Object.assign(timings, built.timings);
    timings.total = performance.now() - started;
    return { root, loaded: built.loaded, index: built.index, passages: built.passages, report };
  }

  const limits = { maxBytes: plausibleCacheBytes(listing.files.reduce((sum, file) => sum + file.size, 0)) };
  const finish = (result: Omit<CachedLoad, 'report' | 'root'>): CachedLoad => {
    timings.total = performance.now() - started;
    return { root, ...result, report };
  };

  // Other processes (shards, the launcher's index child) save the same index: one may replace the
  // file between our reading its header and its body. Then the new file is read, a few times at most.
  let saved: { manifest: Manifest; header: HeaderRead } | undefined;
  let changes: Changes;
  for (let attempt = 1; ; attempt++) {
    const previous = await readPrevious(snapshotPath, engine, limits);
    if ('warning' in previous) warn(previous.warning);
    saved = 'manifest' in previous ? previous : undefined;
    changes = await findChanges(listing, saved?.manifest, racyWindowMs, options.progress);
    Object.assign(report, { added: changes.added, changed: changes.changed, removed: changes.removed, read: changes.read });
    timings.read += lap();

    // 1. The saved index, when it is current and sound.
    if (!changes.current || !saved) break;
    try {
      const lazy = saved.header.size > (options.lazyIndexBytes ?? LAZY_INDEX_BYTES);
      const opened = lazy
        ? openSnapshot(snapshotPath, engine, root, saved.header, limits)
        : await readWhole(snapshotPath, engine, root, saved.header, limits);
      timings.index = lap();
      Object.assign(report, { cache: 'snapshot', reused: changes.slots.length, saved: true });
      if (timesNowTrusted(changes, racyWindowMs)) {
        const savedFiles = new Map(saved.manifest.files.map((file) => [file.file, file]));
        const readings = changes.slots.map((slot) => slot.reading ?? savedFiles.get(slot.entry.file)!);
        const manifest = manifestOf(changes, listing.skipped, readings);
        const written = await writeCache({
          dir,
          engine,
          snapshot: () => (opened.saved ? opened.saved.withManifest(manifest) : encodeSnapshot(engine, manifest, opened.snapshot)),
        });
        warn(written.warning);
        report.saved = written.saved;
        timings.save = written.elapsed;
        lap();
      }
      return finish({
        loaded: opened.loaded,
        index: opened.index,
        passages: opened.passages,
        ...(opened.saved ? { saved: opened.saved } : {}),
      });
    } catch (error) {
      if (error instanceof CacheFileError && error.replaced && attempt < SNAPSHOT_READ_ATTEMPTS) continue;
      warn(`cache ${snapshotPath} not used: ${describeCacheError(error)}`);
      break;
    }
  }

  // 2. A rebuild: the uncached pipeline, given what the cache kept.
  const cached = await readSavedEntries(dir, engine, changes.slots, limits);
  cached.warnings.forEach(warn);
  const { readings, entries, read } = await readAll(changes, cached.entries, listing, options.progress);
  report.read += read;
  timings.read += lap();

  const built = await indexReadings(listing.skipped, readings, {
    passages: options.passages,
    progress: options.progress,
    saved: (i, j) => {
      try {
        return entries[i]?.analysis(j);
      } catch {
        return undefined; // Bytes that do not decode: the document is analysed again.
      }
    },
    hasSaved: (i, j) => entries[i]?.has(j) ?? false,
    // A new entry is written when the file has none, or its entry lacks a document that is now
    // indexed (it was a repeat of a document in a file since changed).
    keep: (i, placed) => {
      const entry = entries[i];
      return readings[i]!.sha256 !== undefined && (!entry || placed.some((at, j) => at >= 0 && !entry.has(j)));
    },
  });
  lap();
  timings.analyze = built.timings.analyze;
  timings.index = built.timings.index;
  Object.assign(report, analysisCounts(built));
  report.reused = built.analysedNow.filter((n, i) => n === 0 && entries[i] !== undefined).length;

  const written = await writeCache({
    dir,
    engine,
    snapshot: () => {
      const manifest = manifestOf(changes, listing.skipped, readings);
      return encodeSnapshot(engine, manifest, { root, ...built.loaded, ...spansOf(built.passages), index: built.index.whole! });
    },
    entries: { keep: entryKeys(engine, readings), fresh: freshEntries(engine, readings, built), packs: cached.packs },
  });
  warn(written.warning);
  report.saved = written.saved;
  timings.save = written.elapsed;
  lap();
  return finish({ loaded: built.loaded, index: built.index, passages: built.passages });
}

/**
 * Every slot's reading, from the file itself: as read while comparing, else read now. A cache
 * entry supplies analyses only, and only for the bytes it was made from: its reading is never
 * used (a crafted entry could hold text the file does not), and an entry whose hash is not the
 * file's hash now is dropped.
 */
async function readAll(
  changes: Changes,
  entries: readonly (FileEntry | undefined)[],
  listing: ArchiveListing,
  progress: ProgressReporter | undefined,
): Promise<{ readings: FileReading[]; entries: (FileEntry | undefined)[]; read: number }> {
  const unread = changes.slots.filter((slot) => !slot.reading).map((slot) => slot.entry);
  const readNow = await readFiles(unread, listing, progress);
  let next = 0;
  const readings = changes.slots.map((slot) => slot.reading ?? readNow[next++]!);
  const bound = entries.map((entry, i) => (entry && entry.reading.sha256 === readings[i]!.sha256 ? entry : undefined));
  return { readings, entries: bound, read: unread.length };
}

/** The keys of the entries the cache keeps: one per file that was read. */
function entryKeys(engine: string, readings: readonly FileReading[]): Set<string> {
  return new Set(readings.filter((r) => r.sha256 !== undefined).map((r) => fileEntryKey(engine, r.file, r.sha256!)));
}

/** New entries' bytes by key, for the files whose analyses the build kept. */
function freshEntries(engine: string, readings: readonly FileReading[], built: IndexedArchive): Map<string, Uint8Array> {
  const fresh = new Map<string, Uint8Array>();
  built.kept.forEach((kept, i) => {
    if (!kept) return;
    const reading = readings[i]!;
    fresh.set(fileEntryKey(engine, reading.file, reading.sha256!), encodeFileEntry(engine, reading, kept.analysed, kept.encoder));
  });
  return fresh;
}

/** The same load without the cache: the same pipeline over every file; nothing read from or written to the cache. */
export async function loadUncached(archivePath: string, options: CachedLoadOptions = {}): Promise<CachedLoad> {
  const started = performance.now();
  const listing = await listArchive(archivePath);
  const list = performance.now() - started;
  const built = await buildWithoutCache(listing, options);
  const report: LoadReport = {
    ...baseReport(listing, []),
    cache: 'off',
    ...built.counts,
    timings: { ...built.timings, list, save: 0, total: performance.now() - started },
  };
  return { root: resolve(archivePath), loaded: built.loaded, index: built.index, passages: built.passages, report };
}

/** Every file read and every document analysed. */
async function buildWithoutCache(
  listing: ArchiveListing,
  options: CachedLoadOptions,
): Promise<
  IndexedArchive & {
    counts: Pick<LoadReport, 'read' | 'analyzed' | 'documentsAnalyzed'>;
    timings: Pick<LoadReport['timings'], 'read' | 'analyze' | 'index'>;
  }
> {
  const started = performance.now();
  const readings = await readFiles(listing.files, listing, options.progress);
  const read = performance.now() - started;
  const built = await indexReadings(listing.skipped, readings, { passages: options.passages, progress: options.progress });
  return { ...built, counts: { read: readings.length, ...analysisCounts(built) }, timings: { read, ...built.timings } };
}
