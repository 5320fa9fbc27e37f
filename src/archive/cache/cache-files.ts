/**
 * The cache folder and its two kinds of file.
 *
 *   <archive>/.archivist-cache/            (for a one-file archive: <folder>/.archivist-cache/<file name>/)
 *     index.bin                            the whole index (snapshot) and the manifest it was built from
 *     packs/<00-ff>.bin                    per source file, an entry: its reading and its documents' analyses
 *
 * An entry's key hashes the engine key, the file's path and the SHA-256 of its bytes, so a changed
 * file gets a new entry; the first two hex digits of the key pick its pack. Entries no manifest
 * refers to are dropped when their pack is next written, and empty packs are removed.
 */
import { createHash } from 'node:crypto';
import { lstatSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { DocumentAnalysis } from '../postings/indexing.js';
import { LIST_FIELDS, type InvertedIndexData } from '../postings/inverted-index.js';
import type { FileReading, Problem } from '../load/index.js';
import type { ArchiveDocument, SkippedFile } from '../types.js';
import { AnalysisDecoder, type AnalysisEncoder } from '../wire/analysis-codec.js';
import {
  CacheFileError,
  decodeContainer,
  encodeContainer,
  readContainer,
  readContainerHeader,
  type Container,
  type ContainerHeader,
  type HeaderRead,
  type ReadLimits,
} from '../wire/container.js';
import { LazyTexts } from '../wire/lazy-texts.js';
import { INDEX_ARRAYS, INDEX_STRINGS, type ArchiveSnapshot, type IndexArrays } from '../wire/snapshot.js';
import { checkDocumentFields, checkLayout, checkSkipped, checkSnapshot, layoutFits } from './validate.js';

/** The cache folder's name; hidden, so the loader never reads it as archive content. */
const CACHE_DIR_NAME = '.archivist-cache';
export const SNAPSHOT_FILE = 'index.bin';
export const PACKS_DIR = 'packs';
const PACK_SUFFIX = '.bin';

/**
 * The largest cache file worth reading for an archive of `archiveBytes`: a snapshot or pack holds
 * the archive's text once or twice plus index arrays of a few bytes per word (about 4× the text in
 * all). A file far larger than that was not written by us (a sparse file, a device), and reading
 * it would only cost memory.
 */
export function plausibleCacheBytes(archiveBytes: number): number {
  return 16 * archiveBytes + 64 * 1024 * 1024;
}

/**
 * Where the cache of the archive at `root` (absolute) lives: beside the archive, or, given
 * `cacheRoot` (for an archive on a read-only volume), in a folder of its own under it, named for
 * the archive and a hash of its path so several archives can share one `cacheRoot`.
 */
export function cacheFolder(root: string, singleFile: boolean, cacheRoot?: string): string {
  if (cacheRoot !== undefined) {
    return join(resolve(cacheRoot), `${basename(root)}-${createHash('sha256').update(root).digest('hex').slice(0, 12)}`);
  }
  return singleFile ? join(dirname(root), CACHE_DIR_NAME, basename(root)) : join(root, CACHE_DIR_NAME);
}

/**
 * The folders a load reads and writes in, from the outermost it creates down: `.archivist-cache`,
 * the one-file archive's own folder in it, and `packs` (under a `cacheRoot`, which the operator
 * chose, the archive's own folder there and `packs`).
 */
export function cacheFolders(root: string, singleFile: boolean, cacheRoot?: string): string[] {
  const dir = cacheFolder(root, singleFile, cacheRoot);
  return [...new Set([singleFile && cacheRoot === undefined ? dirname(dir) : dir, dir, join(dir, PACKS_DIR)])];
}

/** Others may write in a folder with these permission bits (world-writable). */
const OTHERS_WRITE = 0o002;
/** The sticky bit: in a world-writable folder, only an entry's owner (and the folder's) may rename or delete it. */
const STICKY = 0o1000;

/**
 * Why the cache folders must not be used, or undefined when they may (`cacheRoot`: the operator's
 * CACHE_DIR, which holds them):
 *
 *  - None of `folders` may be a symbolic link: one there (to anywhere) would make the loader read,
 *    write and delete files outside the archive, so it is refused, never followed.
 *  - None of them, nor `cacheRoot`, may be writable by every user while another user owns it (a
 *    root-owned sticky folder such as /tmp excepted, where nobody can replace what is ours), and
 *    none may belong to another user inside such a shared folder. Anyone could put an index there,
 *    and a current one is trusted: its texts would be quoted as the archive's. The load then uses
 *    no cache at all: reading would trust a planted index, and writing there would let anyone swap
 *    a folder for a link between the check and the write.
 */
export function unsafeCacheFolder(folders: readonly string[], cacheRoot?: string): string | undefined {
  const uid = process.getuid?.();
  let parentShared = false;
  if (cacheRoot !== undefined) {
    let stats;
    try {
      stats = statSync(cacheRoot); // The operator's folder may be a link they made: it is followed.
    } catch {
      stats = undefined; // Missing: created by this process, so its own.
    }
    if (stats?.isDirectory()) {
      const risk = sharedFolderRisk(cacheRoot, stats, uid, false);
      if (risk !== undefined) return risk;
      parentShared = (stats.mode & OTHERS_WRITE) !== 0;
    }
  }
  for (const folder of folders) {
    let stats;
    try {
      stats = lstatSync(folder);
    } catch {
      return undefined; // Missing: it and everything below will be created as real folders.
    }
    if (stats.isSymbolicLink()) return `${folder} is a symbolic link (refused, never followed)`;
    // Anything else that is not a folder (a file in its place) fails on first use, with a warning.
    if (!stats.isDirectory()) return undefined;
    const risk = sharedFolderRisk(folder, stats, uid, parentShared);
    if (risk !== undefined) return risk;
    parentShared = (stats.mode & OTHERS_WRITE) !== 0;
  }
  return undefined;
}

/** Why another user could have put files in `folder`, or undefined (`uid`: this process's; undefined where there are none). */
function sharedFolderRisk(folder: string, stats: Stats, uid: number | undefined, parentShared: boolean): string | undefined {
  if (uid === undefined || stats.uid === uid) return undefined;
  const othersWrite = (stats.mode & OTHERS_WRITE) !== 0;
  const replaceable = othersWrite && (stats.uid !== 0 || (stats.mode & STICKY) === 0);
  if (!replaceable && !parentShared) return undefined;
  const why = replaceable
    ? `is writable by every user and owned by another (uid ${stats.uid})`
    : `belongs to another user (uid ${stats.uid}) inside a folder every user can write`;
  return `${folder} ${why}: anyone could put an index there, and a current one would be trusted; make it the bot's own (chown, chmod o-w) or choose another CACHE_DIR`;
}

/** What a snapshot was built from: every file's size, times and hash when it was read. */
export interface Manifest {
  /** When the build started reading files (ms since the epoch); files changed within the racy window before it are re-hashed. */
  checkedAt: number;
  files: ManifestEntry[];
  /** The listing's own warnings (broken links, unreadable folders), which are part of the result. */
  listingSkipped: SkippedFile[];
}

export interface ManifestEntry {
  file: string;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  /** SHA-256 of the bytes; absent when the file was not read (too large, unreadable). */
  sha256?: string;
  /** For a file that was not read: why, as the load reported it. */
  problems?: Problem[];
}

const utf8 = new TextEncoder();

function expect(condition: unknown, what: string): asserts condition {
  if (!condition) throw new CacheFileError(what);
}

export function checkEngine(header: ContainerHeader, kind: string, engine: string): void {
  expect(header.kind === kind, `not a ${kind} cache file`);
  if (header.engine !== engine)
    throw new CacheFileError(`written by another engine version (${String(header.engine)}, now ${engine})`, { outdated: true });
}

export function checkManifest(value: unknown): Manifest {
  const manifest = value as Manifest;
  expect(typeof manifest === 'object' && manifest !== null, 'no manifest');
  expect(
    Number.isFinite(manifest.checkedAt) && Array.isArray(manifest.files) && Array.isArray(manifest.listingSkipped),
    'malformed manifest',
  );
  checkSkipped(manifest.listingSkipped);
  for (const file of manifest.files as unknown[]) {
    const f = file as Record<string, unknown>;
    expect(
      typeof file === 'object' &&
        file !== null &&
        typeof f.file === 'string' &&
        Number.isFinite(f.size) &&
        Number.isFinite(f.mtimeMs) &&
        Number.isFinite(f.ctimeMs) &&
        (f.sha256 === undefined ? Array.isArray(f.problems) : typeof f.sha256 === 'string' && /^[0-9a-f]{64}$/.test(f.sha256)),
      'malformed manifest entry',
    );
  }
  return manifest;
}

/**
 * Every document must come from a file the manifest says was read (and whose bytes' hash it
 * records), so a snapshot cannot bring in documents of files that are not in the archive.
 */
export function bindToManifest(documents: readonly ArchiveDocument[], manifest: Manifest): void {
  const read = new Set(manifest.files.filter((file) => file.sha256 !== undefined).map((file) => file.file));
  for (const document of documents) expect(read.has(document.file), `a document of ${document.file}, which was not read`);
}

// ---------------------------------------------------------------------------------------------
// Snapshot: the whole index

/**
 * The snapshot file's bytes. Document texts go into one UTF-8 section, each ending at a byte offset
 * in `textEnds` (decoded one document at a time on load: all texts of a large archive would be
 * longer than the longest string V8 allows, 512 MB), the rest of each document into JSON, the
 * index arrays as they are.
 */
export function encodeSnapshot(engine: string, manifest: Manifest, snapshot: ArchiveSnapshot): Uint8Array[] {
  const textEnds = new Uint32Array(snapshot.documents.length);
  const texts: Uint8Array[] = [];
  let end = 0;
  const metadata = snapshot.documents.map(({ text, ...rest }, i) => {
    const bytes = utf8.encode(text);
    texts.push(bytes);
    textEnds[i] = end += bytes.byteLength;
    return rest;
  });
  const index = snapshot.index;
  const strings = Object.fromEntries(INDEX_STRINGS.map((name) => [name, { json: index[name] }]));
  // The core arrays first, then the long lists, the texts last: a start that reads only the core
  // reads one stretch of the file (see saved-index.ts).
  const lists = new Set<string>(LIST_FIELDS);
  const names = [...Object.keys(INDEX_ARRAYS).filter((name) => !lists.has(name)), ...LIST_FIELDS];
  const arrays = Object.fromEntries(names.map((name) => [name, index[name as keyof IndexArrays]]));
  return encodeContainer(
    {
      ...encodeSnapshotHeader(engine, manifest),
      duplicates: snapshot.duplicates,
      documents: snapshot.documents.length,
      passages: snapshot.passageStart.length,
    },
    {
      documents: { json: metadata },
      textEnds,
      skipped: { json: snapshot.skipped },
      ...strings,
      passageStart: snapshot.passageStart,
      passageEnd: snapshot.passageEnd,
      ...arrays,
      texts: { bytes: texts },
    },
  );
}

/** The fields of a snapshot's header that say what it is and what it was built from. */
export function encodeSnapshotHeader(engine: string, manifest: Manifest): { kind: 'snapshot'; engine: string; manifest: Manifest } {
  return { kind: 'snapshot', engine, manifest };
}

/**
 * The manifest of a saved snapshot, from its header alone (cheap: the index itself is not read).
 * `header` is for `readSnapshot`, to make sure it reads the same file.
 */
export async function readSnapshotManifest(
  path: string,
  engine: string,
  limits: ReadLimits = {},
): Promise<{ manifest: Manifest; header: HeaderRead }> {
  const header = await readContainerHeader(path, limits);
  checkEngine(header.header, 'snapshot', engine);
  return { manifest: checkManifest(header.header.manifest), header };
}

/** Reads and checks a whole snapshot file, whose header must be `header` (read before). */
export async function readSnapshot(
  path: string,
  engine: string,
  root: string,
  header?: HeaderRead,
  limits: ReadLimits = {},
): Promise<{ manifest: Manifest; snapshot: ArchiveSnapshot }> {
  return decodeSnapshot(await readContainer(path, header, limits), engine, root);
}

/** The index's lists of strings (terms, their words), checked to be lists of strings. */
export function readIndexStrings(source: { json(name: string): unknown }): Pick<InvertedIndexData, (typeof INDEX_STRINGS)[number]> {
  return Object.fromEntries(
    INDEX_STRINGS.map((name) => {
      const list = source.json(name);
      expect(Array.isArray(list) && list.every((item) => typeof item === 'string'), `${name} is not a list of strings`);
      return [name, list];
    }),
  ) as Pick<InvertedIndexData, (typeof INDEX_STRINGS)[number]>;
}

export function decodeSnapshot(container: Container, engine: string, root: string): { manifest: Manifest; snapshot: ArchiveSnapshot } {
  const { header } = container;
  checkEngine(header, 'snapshot', engine);
  const manifest = checkManifest(header.manifest);
  const metadata = container.json('documents') as unknown[];
  const texts = container.bytes('texts');
  const textEnds = container.typed('textEnds', 'u32');
  expect(Array.isArray(metadata) && metadata.length === textEnds.length && metadata.length === header.documents, 'document count mismatch');
  expect(textEnds.length === 0 || textEnds[textEnds.length - 1] === texts.byteLength, 'document texts do not add up');
  let start = 0;
  const lazyTexts = new LazyTexts(texts, textEnds);
  const documents = metadata.map((rest, i): ArchiveDocument => {
    checkDocumentFields(rest);
    const end = textEnds[i]!;
    expect(end >= start, 'document texts out of order');
    // checkSnapshot reads every text once (each must hold its passages), so a text that does not decode fails the load here, never a search later.
    const document = lazyTexts.attach({ ...rest }, i);
    start = end;
    return document;
  });
  const strings = readIndexStrings(container);
  const arrays = Object.fromEntries(
    Object.entries(INDEX_ARRAYS).map(([name, kind]) => [name, container.typed(name, kind)]),
  ) as unknown as IndexArrays;
  const skipped = container.json('skipped');
  checkSkipped(skipped);
  expect(Number.isInteger(header.duplicates) && (header.duplicates as number) >= 0, 'malformed snapshot header');
  bindToManifest(documents, manifest);
  const snapshot: ArchiveSnapshot = {
    root,
    documents,
    skipped,
    duplicates: header.duplicates as number,
    passageStart: container.typed('passageStart', 'u32'),
    passageEnd: container.typed('passageEnd', 'u32'),
    index: { ...strings, ...arrays },
  };
  checkSnapshot(snapshot);
  return { manifest, snapshot };
}

// ---------------------------------------------------------------------------------------------
// File entries, in packs: one source file's reading and analyses

/** An entry's key (64 hex digits): the engine, the file's path and the SHA-256 of its bytes. */
export function fileEntryKey(engine: string, file: string, sha256: string): string {
  return createHash('sha256').update(`${engine}\0${file}\0${sha256}`).digest('hex');
}

/**
 * The pack an entry lives in: its key's first two hex digits. Entries are grouped into at most 256
 * pack files because creating a file per entry was most of a cold build's cache cost (10,000
 * creations took 4-6 s while the build ran, against 0.6 s alone); a change rewrites its pack.
 */
export function packOf(key: string): string {
  return key.slice(0, 2);
}

export function packFileName(pack: string): string {
  return `${pack}${PACK_SUFFIX}`;
}

/** The pack named by a file in the packs folder, or undefined for any other file. */
export function packOfFileName(name: string): string | undefined {
  return /^[0-9a-f]{2}\.bin$/.test(name) ? name.slice(0, 2) : undefined;
}

/** A source file's cached reading, and the analyses of those of its documents that were analysed. */
export interface FileEntry {
  reading: FileReading;
  /** The analysis of document `j` of the reading, if the entry has it. */
  analysis(j: number): DocumentAnalysis | undefined;
  has(j: number): boolean;
}

/**
 * An entry's bytes: a container of its own (checked on its own when read), holding the reading
 * and the analyses of documents `analysed` (document numbers in the reading, in encoder order).
 */
export function encodeFileEntry(engine: string, reading: FileReading, analysed: number[], encoder: AnalysisEncoder): Uint8Array {
  const { bytes, offsets, terms } = encoder.finish();
  return Buffer.concat(
    encodeContainer(
      { kind: 'file', engine, file: reading.file, sha256: reading.sha256, analysed },
      { reading: { json: { documents: reading.documents, problems: reading.problems } }, terms: { json: terms }, analysis: bytes, offsets },
    ),
  );
}

export function decodeFileEntry(bytes: Uint8Array, engine: string, file: string, sha256: string): FileEntry {
  const container = decodeContainer(bytes);
  const { header } = container;
  checkEngine(header, 'file', engine);
  expect(header.file === file && header.sha256 === sha256, 'entry is for another file');
  const stored = container.json('reading') as Pick<FileReading, 'documents' | 'problems'>;
  expect(
    typeof stored === 'object' && stored !== null && Array.isArray(stored.documents) && Array.isArray(stored.problems),
    'malformed reading',
  );
  for (const document of stored.documents as unknown[]) {
    const { layout, text } = (document ?? {}) as { layout?: unknown; text?: unknown };
    if (layout === undefined) continue;
    checkLayout(layout);
    expect(typeof text === 'string' && layoutFits(layout, text.length), 'a layout lies outside its text');
  }
  const analysed = header.analysed as number[];
  const terms = container.json('terms') as string[];
  expect(Array.isArray(analysed) && Array.isArray(terms), 'malformed analyses');
  const decoder = new AnalysisDecoder(container.typed('analysis', 'u8'), container.typed('offsets', 'u32'), terms);
  expect(decoder.count === analysed.length, 'analysis count mismatch');
  const position = new Map(analysed.map((j, k) => [j, k]));
  expect(
    position.size === analysed.length && analysed.every((j) => Number.isInteger(j) && j >= 0 && j < stored.documents.length),
    'analyses point outside the reading',
  );
  return {
    reading: { file, sha256, documents: stored.documents, problems: stored.problems },
    has: (j) => position.has(j),
    analysis: (j) => {
      const k = position.get(j);
      return k === undefined ? undefined : decoder.document(k);
    },
  };
}

/** Entries' bytes by key, grouped by pack. */
export type Packs = Map<string, Map<string, Uint8Array>>;

/** A pack's bytes: entries by key, each a section. */
export function encodePack(engine: string, entries: ReadonlyMap<string, Uint8Array>): Uint8Array[] {
  return encodeContainer({ kind: 'pack', engine }, Object.fromEntries(entries));
}

/** Reads and checks a pack: its entries' bytes by key (each still to be decoded). */
export async function readPack(path: string, engine: string, limits: ReadLimits = {}): Promise<Map<string, Uint8Array>> {
  const container = await readContainer(path, undefined, limits);
  checkEngine(container.header, 'pack', engine);
  const entries = new Map<string, Uint8Array>();
  for (const key of container.sectionNames()) {
    expect(/^[0-9a-f]{64}$/.test(key), 'pack holds a malformed key');
    entries.set(key, container.typed(key, 'u8'));
  }
  return entries;
}
