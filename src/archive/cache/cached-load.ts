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
import { mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { analyzeDocument, indexDocuments, PassageIndexer, type DocumentAnalysis } from '../index/indexing.js';
import { InvertedIndex } from '../index/inverted-index.js';
import { collectReadings, listArchive, readArchiveFile, type ArchiveFile, type ArchiveListing, type FileReading } from '../load/index.js';
import type { PassageOptions } from '../passages.js';
import type { LoadedArchive, Passage } from '../types.js';
import { AnalysisEncoder } from './analysis-codec.js';
import { removeStaleTemporaries, writeFileAtomic } from './atomic.js';
import {
  cacheFolder,
  decodeFileEntry,
  encodeFileEntry,
  encodePack,
  encodeSnapshot,
  fileEntryKey,
  packFileName,
  packOf,
  packOfFileName,
  PACKS_DIR,
  readPack,
  readSnapshot,
  readSnapshotManifest,
  SNAPSHOT_FILE,
  type FileEntry,
  type Manifest,
  type ManifestEntry,
} from './cache-files.js';
import { CacheFileError, type HeaderRead } from './container.js';
import { engineKey } from './engine-key.js';
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
  const code: unknown = error instanceof Error ? Reflect.get(error, 'code') : undefined;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function describe(error: unknown): string {
  if (error instanceof CacheFileError) return error.message;
  const code: unknown = error instanceof Error ? Reflect.get(error, 'code') : undefined;
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
  return (
    reading.sha256 === undefined &&
    saved.sha256 === undefined &&
    saved.size === entry.size &&
    JSON.stringify(reading.problems) === JSON.stringify(saved.problems)
  );
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

/** What the steps of one cached load share. */
interface Run {
  root: string;
  listing: ArchiveListing;
  dir: string;
  engine: string;
  options: CachedLoadOptions;
  warn: (message: string) => void;
  report: LoadReport;
  /** Milliseconds since the previous lap. */
  lap: () => number;
  /** When this load started reading files (the next manifest's `checkedAt`). */
  checkedAt: number;
  slots: Slot[];
  /** The saved index's manifest and header, when there is a usable one. */
  previous?: { manifest: Manifest; header: HeaderRead; files: Map<string, ManifestEntry> };
}

export async function loadCached(archivePath: string, options: CachedLoadOptions = {}): Promise<CachedLoad> {
  const started = performance.now();
  let mark = started;
  const lap = (): number => {
    const now = performance.now();
    const elapsed = now - mark;
    mark = now;
    return elapsed;
  };
  const warnings: string[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
    options.warn?.(message);
  };

  const listing = await listArchive(archivePath);
  const root = resolve(archivePath);
  const dir = cacheFolder(root, listing.singleFile);
  const timings: LoadReport['timings'] = { list: lap(), read: 0, analyze: 0, index: 0, save: 0, total: 0 };
  const report: LoadReport = {
    cache: 'rebuilt',
    cacheDir: dir,
    files: listing.files.length,
    added: 0,
    changed: 0,
    removed: 0,
    read: 0,
    analyzed: 0,
    reused: 0,
    documentsAnalyzed: 0,
    saved: false,
    warnings,
    timings,
  };
  const run: Run = { root, listing, dir, engine: engineKey(options.passages), options, warn, report, lap, checkedAt: 0, slots: [] };

  const snapshotPath = join(dir, SNAPSHOT_FILE);
  try {
    const { manifest, header } = await readSnapshotManifest(snapshotPath, run.engine);
    run.previous = { manifest, header, files: new Map(manifest.files.map((file) => [file.file, file])) };
  } catch (error) {
    if (!isMissing(error)) warn(`cache ${snapshotPath} not used: ${describe(error)}`);
  }

  const current = await findChanges(run);
  timings.read = lap();
  const result = (current && (await fromSnapshot(run))) || (await rebuild(run));
  timings.total = performance.now() - started;
  return result;
}

/**
 * Sorts the listed files into unchanged, changed and added (reading those whose times are not
 * conclusive) and counts the removed ones. True when the saved index is current.
 */
async function findChanges(run: Run): Promise<boolean> {
  const { listing, previous, report } = run;
  const racyWindowMs = run.options.racyWindowMs ?? RACY_WINDOW_MS;
  run.checkedAt = Date.now();
  const gone = new Set(previous?.files.keys());
  for (const entry of listing.files) {
    const before = previous?.files.get(entry.file);
    gone.delete(entry.file);
    if (before && previous && unchangedByStat(entry, before, previous.manifest.checkedAt, racyWindowMs)) {
      run.slots.push({ entry, status: 'unchanged', sha256: before.sha256 });
      continue;
    }
    const reading = await readArchiveFile(entry, listing);
    report.read++;
    const same = before && (reading.sha256 !== undefined ? reading.sha256 === before.sha256 : sameUnread(reading, before, entry));
    run.slots.push({ entry, status: !before ? 'added' : same ? 'unchanged' : 'changed', sha256: reading.sha256, reading });
  }
  report.removed = gone.size;
  report.added = run.slots.filter((slot) => slot.status === 'added').length;
  report.changed = run.slots.filter((slot) => slot.status === 'changed').length;
  return (
    previous !== undefined &&
    report.added === 0 &&
    report.changed === 0 &&
    report.removed === 0 &&
    JSON.stringify(listing.skipped) === JSON.stringify(previous.manifest.listingSkipped)
  );
}

/** The saved index, when it can be read; undefined (with a warning) when it cannot. */
async function fromSnapshot(run: Run): Promise<CachedLoad | undefined> {
  const { dir, engine, root, report, previous } = run;
  const path = join(dir, SNAPSHOT_FILE);
  try {
    // The same header as before, or the file was replaced in between (by another process's save).
    const { snapshot } = await readSnapshot(path, engine, root, previous!.header);
    const index = new InvertedIndex(snapshot.index);
    const passages = passagesOf(snapshot);
    report.timings.index = run.lap();
    Object.assign(report, { cache: 'snapshot', reused: run.slots.length, saved: true });
    // Files read to check them (their times had changed, or were too recent to trust) would be
    // read again at every start: record their times now, once they are old enough to be trusted.
    const racyWindowMs = run.options.racyWindowMs ?? RACY_WINDOW_MS;
    if (run.slots.some(({ reading, entry }) => reading && Math.max(entry.mtimeMs, entry.ctimeMs) < run.checkedAt - racyWindowMs)) {
      const writer = new CacheWriter(dir, engine, run.warn);
      const readings = run.slots.map((slot) => slot.reading ?? previous!.files.get(slot.entry.file)!);
      const manifest = manifestOf(run.checkedAt, run.listing.skipped, run.slots, readings);
      report.saved = await writer.finish(() => encodeSnapshot(engine, manifest, snapshot));
      report.timings.save = writer.elapsed;
      run.lap();
    }
    return { root, loaded: snapshot, index, passages, report };
  } catch (error) {
    run.warn(`cache ${path} not used: ${describe(error)}`);
    return undefined;
  }
}

/**
 * Rebuilds the index: every file's reading and analyses from its cache entry where there is a
 * sound one, else read and analysed now; then saves the new entries and index.
 */
async function rebuild(run: Run): Promise<CachedLoad> {
  const { dir, engine, root, listing, slots, report, options } = run;
  const { timings } = report;
  const packs = await loadEntries(dir, engine, slots, run.warn);
  for (const slot of slots) {
    if (slot.reading || slot.cached) continue;
    // Trusted by its times, but its entry is gone: read it after all.
    slot.reading = await readArchiveFile(slot.entry, listing);
    report.read++;
  }
  const readings = slots.map((slot) => slot.reading ?? slot.cached!.reading);
  const { loaded, placed } = collectReadings(listing.skipped, readings);
  timings.read += run.lap();

  const indexer = new PassageIndexer();
  const writer = new CacheWriter(dir, engine, run.warn);
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
    if (encoder) writer.entry(fileEntryKey(engine, reading.file, reading.sha256!), encodeFileEntry(engine, reading, analysed, encoder));
  }
  const built = indexer.finish();
  timings.index = run.lap() - timings.analyze;

  const manifest = manifestOf(run.checkedAt, listing.skipped, slots, readings);
  const snapshot = { root, ...loaded, ...spansOf(built.passages), index: built.index.data };
  const keep = new Set(readings.filter((r) => r.sha256 !== undefined).map((r) => fileEntryKey(engine, r.file, r.sha256!)));
  report.saved = await writer.finish(() => encodeSnapshot(engine, manifest, snapshot), { keep, packs });
  timings.save = writer.elapsed;
  run.lap();
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

/**
 * Reads every pack and fills in `cached` for every slot whose entry is there and sound. Returns the
 * packs' entries by pack (minus unsound ones), for the writer to carry over into rewritten packs.
 */
async function loadEntries(dir: string, engine: string, slots: Slot[], warn: (message: string) => void): Promise<Packs> {
  const packs: Packs = new Map();
  let names: string[];
  try {
    names = await readdir(join(dir, PACKS_DIR));
  } catch {
    return packs; // No packs at all (a first build, or an unreadable folder: then nothing is usable anyway).
  }
  const unusablePacks: string[] = [];
  for (const name of names) {
    const pack = packOfFileName(name);
    if (pack === undefined) continue;
    try {
      packs.set(pack, await readPack(join(dir, PACKS_DIR, name), engine));
    } catch (error) {
      // Packs from another engine version are expected after an upgrade (the snapshot said so).
      if (!isMissing(error) && !(error instanceof CacheFileError && error.outdated)) unusablePacks.push(`${name} (${describe(error)})`);
    }
  }
  const unusable: string[] = [];
  for (const slot of slots) {
    if (slot.sha256 === undefined) continue;
    const key = fileEntryKey(engine, slot.entry.file, slot.sha256);
    const entries = packs.get(packOf(key));
    const bytes = entries?.get(key);
    if (!bytes) continue;
    try {
      slot.cached = decodeFileEntry(bytes, engine, slot.entry.file, slot.sha256);
    } catch (error) {
      unusable.push(`${slot.entry.file} (${describe(error)})`);
      entries!.delete(key);
    }
  }
  // One warning of each kind, however many: a damaged cache folder should not flood the log.
  const list = (items: string[]) => `${items.slice(0, 3).join(', ')}${items.length > 3 ? ` and ${items.length - 3} more` : ''}`;
  if (unusablePacks.length > 0) warn(`cache packs not used, their files re-analysed instead: ${list(unusablePacks)}`);
  if (unusable.length > 0) warn(`cache entries not used, re-analysed instead: ${list(unusable)}`);
  return packs;
}

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

/** Entries' bytes by key, grouped by pack. */
type Packs = Map<string, Map<string, Uint8Array>>;

/**
 * Writes a rebuild's cache: the packs whose entries changed, then the snapshot that refers to
 * them. The first failure ends all writing with one warning; the load goes on without the cache.
 */
class CacheWriter {
  private readonly pending = new Map<string, Uint8Array>();
  private failed = false;
  private checked = false;
  /** Milliseconds spent writing. */
  elapsed = 0;

  constructor(
    private readonly dir: string,
    private readonly engine: string,
    private readonly warn: (message: string) => void,
  ) {}

  /** A new or updated entry, written with its pack in `finish`. */
  entry(key: string, bytes: Uint8Array): void {
    this.pending.set(key, bytes);
  }

  private async attempt(write: () => Promise<void>): Promise<void> {
    if (this.failed) return;
    const started = performance.now();
    try {
      if (!this.checked) {
        await checkWritable(this.dir);
        this.checked = true;
      }
      await write();
    } catch (error) {
      this.failed = true;
      this.warn(`cannot write the cache in ${this.dir}: ${describe(error)}; the archive loads without it`);
    }
    this.elapsed += performance.now() - started;
  }

  /**
   * Writes the packs (when `entries` is given: every pack is made to hold exactly the entries in
   * `keep`, from the new entries or the packs as read) and then the snapshot. True when the whole
   * cache was written.
   */
  async finish(snapshot: () => Uint8Array[], entries?: { keep: Set<string>; packs: Packs }): Promise<boolean> {
    if (entries) await this.attempt(() => this.writePacks(entries.keep, entries.packs));
    await this.attempt(() => writeFileAtomic(join(this.dir, SNAPSHOT_FILE), snapshot()));
    if (this.failed) return false;
    const started = performance.now();
    await removeStaleTemporaries(join(this.dir, PACKS_DIR));
    await removeStaleTemporaries(this.dir);
    this.elapsed += performance.now() - started;
    return true;
  }

  private async writePacks(keep: Set<string>, packs: Packs): Promise<void> {
    const folder = join(this.dir, PACKS_DIR);
    await mkdir(folder, { recursive: true });
    const wanted: Packs = new Map();
    for (const key of keep) {
      const bytes = this.pending.get(key) ?? packs.get(packOf(key))?.get(key);
      if (!bytes) continue;
      const pack = wanted.get(packOf(key)) ?? new Map<string, Uint8Array>();
      wanted.set(packOf(key), pack.set(key, bytes));
    }
    // Every pack on disk that is not exactly as wanted is rewritten, or removed when nothing is wanted in it.
    const onDisk = new Set((await readdir(folder)).map(packOfFileName).filter((pack) => pack !== undefined));
    for (const pack of new Set([...onDisk, ...wanted.keys()])) {
      const want = wanted.get(pack);
      const have = packs.get(pack);
      const same =
        onDisk.has(pack) && have && want && want.size === have.size && [...want].every(([key, bytes]) => have.get(key) === bytes);
      if (same) continue;
      const path = join(folder, packFileName(pack));
      if (want) await writeFileAtomic(path, encodePack(this.engine, want));
      else rmSync(path, { force: true });
    }
  }
}
