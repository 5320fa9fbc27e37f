/**
 * Loading the archive: files → documents. Walks the archive, decodes each file, hands it to the
 * parser for its format, then gives every document its id and drops repeated texts.
 *
 * One broken file never stops a load: it becomes a `SkippedFile` with the reason. Only an archive
 * path that cannot be read at all throws.
 */
import { createHash } from 'node:crypto';
import { ArchiveLoadError } from '../errors.js';
import type { ArchiveDocument, LoadedArchive, SkippedFile } from '../types.js';
import { decodeText } from './decode.js';
import { parseHtml } from './html.js';
import { loadMarkdownReader, parseMarkdown, parseText } from './markdown.js';
import { parseSafely, type ParsedDocument, type Parser, type Problem } from './parsed.js';
import { FileTooLargeError, readFileWithin } from './read.js';
import { NotRegularFileError } from './regular-file.js';
import { parseJson, parseJsonLines } from './records.js';
import { collapseWhitespace } from './text.js';
import {
  codeOf,
  describeFsError,
  NOT_REGULAR_FILE_REASON,
  listArchive,
  type ArchiveFile,
  type ArchiveListing,
  type SupportedExtension,
} from './walk.js';

export { SUPPORTED_EXTENSIONS, listArchive, type ArchiveFile, type ArchiveListing } from './walk.js';
export type { ParsedDocument, Problem } from './parsed.js';

/** Files larger than this (20 MB) are skipped unread: an archive of articles has no such file, and reading one would stall the bot's start. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** The reason recorded for a file (or a document in it) with nothing but whitespace to index. */
export const EMPTY_TEXT_REASON = 'empty text';

/** Longest first line (in characters) that is still read as a title when nothing else names a document. */
export const MAX_TITLE_LENGTH = 200;

export interface LoadOptions {
  /** Files larger than this many bytes are skipped with a warning. @defaultValue {@link MAX_FILE_BYTES} */
  maxFileBytes?: number;
  /**
   * A Markdown/text file's first line becomes its title (and leaves its text) when it is a heading
   * or at most this many characters long; a longer first line is a paragraph, and the title falls
   * back to the file name. @defaultValue {@link MAX_TITLE_LENGTH}
   */
  maxTitleLength?: number;
}

const DEFAULT_OPTIONS: Required<LoadOptions> = {
  maxFileBytes: MAX_FILE_BYTES,
  maxTitleLength: MAX_TITLE_LENGTH,
};

const PARSERS: Record<SupportedExtension, Parser> = {
  '.md': parseMarkdown,
  '.markdown': parseMarkdown,
  '.txt': parseText,
  '.json': parseJson,
  '.jsonl': parseJsonLines,
  '.ndjson': parseJsonLines,
  '.html': parseHtml,
  '.htm': parseHtml,
};

/**
 * Loads every supported file under `path` (a folder, read recursively in sorted order, or one
 * file) into documents.
 *
 * @throws Error whose message starts with `Cannot load archive: ` when `path` does not exist or
 * cannot be read at all.
 */
export async function loadArchive(path: string, options: LoadOptions = {}): Promise<LoadedArchive> {
  const listing = await listArchive(path);
  const readings: FileReading[] = [];
  for (const entry of listing.files) readings.push(await readArchiveFile(entry, listing, options));
  return collectReadings(listing.skipped, readings).loaded;
}

/**
 * What one file holds, before ids and deduplication (which need the whole archive): its documents
 * and its problems (a whole-file problem has no line). Depends only on the file's path and bytes,
 * so a cache can keep it under the bytes' hash.
 */
export interface FileReading {
  /** Path relative to the archive root, `/`-separated. */
  file: string;
  /** SHA-256 of the file's bytes (hex); absent when the file was not read (too large, unreadable). */
  sha256?: string;
  documents: ParsedDocument[];
  problems: Problem[];
}

/**
 * Reads, decodes and parses one listed file. Never throws for a broken file (its reading holds the
 * problem instead), except when the archive is this one file and it cannot be read.
 */
export async function readArchiveFile(
  entry: ArchiveFile,
  listing: Pick<ArchiveListing, 'singleFile' | 'archivePath'>,
  options: LoadOptions = {},
): Promise<FileReading> {
  const { maxFileBytes, maxTitleLength } = { ...DEFAULT_OPTIONS, ...options };
  const problem = (reason: string, sha256?: string): FileReading => ({
    file: entry.file,
    ...(sha256 === undefined ? {} : { sha256 }),
    documents: [],
    problems: [{ reason }],
  });
  const tooLarge = (size: number | string): FileReading =>
    problem(`file is larger than the ${formatBytes(maxFileBytes)} limit (${size} bytes)`);
  if (entry.size > maxFileBytes) return tooLarge(entry.size);
  let bytes: Uint8Array;
  try {
    // Bounded: the file may have grown since it was listed.
    bytes = await readFileWithin(entry.path, maxFileBytes);
  } catch (error) {
    if (error instanceof FileTooLargeError) return tooLarge(error.grew ? `over ${error.size}` : error.size);
    if (error instanceof NotRegularFileError) return problem(NOT_REGULAR_FILE_REASON);
    // When the archive is this one file, nothing at all can be loaded: that is the caller's error.
    if (listing.singleFile) throw new ArchiveLoadError('unreadable', describeFsError(error, listing.archivePath));
    return problem(`cannot read file: ${codeOf(error)}`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const decoded = decodeText(bytes);
  if (!decoded.ok) return problem(decoded.reason, sha256);
  // Checked here, before any parser, so an empty file reads the same in every format.
  if (decoded.text.trim() === '') return problem(EMPTY_TEXT_REASON, sha256);
  const parser = PARSERS[entry.extension];
  if (parser === parseMarkdown) await loadMarkdownReader();
  const parsed = parseSafely(parser, decoded.text, { file: entry.file, maxTitleLength });
  return { file: entry.file, sha256, documents: parsed.documents, problems: parsed.problems };
}

/**
 * Turns file readings (in listing order) into the archive's documents: unique ids, repeated texts
 * dropped. `placed[i][j]` is where document j of reading i ended up in `documents`, or -1 when it
 * was dropped (a repeat, empty, or its id taken).
 */
export function collectReadings(
  listingSkipped: readonly SkippedFile[],
  readings: readonly FileReading[],
): {
  loaded: LoadedArchive;
  placed: number[][];
} {
  const skipped: SkippedFile[] = [...listingSkipped];
  const collector = new DocumentCollector(skipped);
  const placed = readings.map((reading) => {
    for (const problem of reading.problems) skipped.push({ file: reading.file, ...problem });
    return reading.documents.map((document) => collector.add(reading.file, document));
  });
  return { loaded: { documents: collector.documents, skipped, duplicates: collector.duplicates }, placed };
}

/** Gives documents unique ids and keeps the first of each repeated text. */
class DocumentCollector {
  readonly documents: ArchiveDocument[] = [];
  duplicates = 0;
  private readonly byText = new Map<string, ArchiveDocument>();
  private readonly ids = new Set<string>();
  private readonly tagSets = new Map<ArchiveDocument, Set<string>>();

  constructor(private readonly skipped: SkippedFile[]) {}

  /** Adds a parsed document; returns its index in `documents`, or -1 when it was dropped. */
  add(file: string, parsed: ParsedDocument): number {
    // A page's layout holds offsets into its text: it is kept as it is, not trimmed.
    const text = parsed.layout ? parsed.text : parsed.text.trim();
    const where = parsed.line === undefined ? {} : { line: parsed.line };
    if (text === '') {
      this.skipped.push({ file, ...where, reason: EMPTY_TEXT_REASON });
      return -1;
    }

    // Same words, different wrapping or spacing: still the same article (scrapers list one
    // article under several sections).
    const key = collapseWhitespace(text);
    const first = this.byText.get(key);
    if (first) {
      this.duplicates++;
      // The copy may have been filed under another topic; the first keeps that knowledge.
      if (parsed.tags?.length) this.mergeTags(first, parsed.tags);
      return -1;
    }

    const fromPath = parsed.record === undefined ? file : `${file}#${parsed.record}`;
    const id = this.claimId(parsed.id, fromPath);
    if (id === undefined) {
      this.skipped.push({ file, ...where, reason: `id "${parsed.id ?? fromPath}" is already taken` });
      return -1;
    }
    const document: ArchiveDocument = { id, title: parsed.title, text, file };
    if (parsed.source !== undefined) document.source = parsed.source;
    if (parsed.date !== undefined) document.date = parsed.date;
    if (parsed.url !== undefined) document.url = parsed.url;
    if (parsed.tags !== undefined) document.tags = [...parsed.tags];
    if (parsed.layout !== undefined) document.layout = parsed.layout;
    this.byText.set(key, document);
    return this.documents.push(document) - 1;
  }

  /** Adds tags the document lacks, in order; a Set per document keeps many repeats linear. */
  private mergeTags(document: ArchiveDocument, tags: readonly string[]): void {
    let known = this.tagSets.get(document);
    if (!known) this.tagSets.set(document, (known = new Set(document.tags)));
    for (const tag of tags) {
      if (known.has(tag)) continue;
      known.add(tag);
      (document.tags ??= []).push(tag);
    }
  }

  /**
   * The record's own id, else its path (`#N` for the Nth record). An own id already taken (two
   * exports both numbering from 1) falls back to the path, which is unique by construction.
   */
  private claimId(own: string | undefined, fromPath: string): string | undefined {
    const id = [own, fromPath].find((candidate) => candidate !== undefined && !this.ids.has(candidate));
    if (id !== undefined) this.ids.add(id);
    return id;
  }
}

function formatBytes(bytes: number): string {
  const units: [number, string][] = [
    [1024 * 1024, 'MB'],
    [1024, 'KB'],
  ];
  for (const [size, unit] of units) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} bytes`;
}
