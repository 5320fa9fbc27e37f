/**
 * Loading the archive: files → documents. Walks the archive, decodes each file, hands it to the
 * parser for its format, then gives every document its id and drops repeated texts.
 *
 * One broken file never stops a load: it becomes a `SkippedFile` with the reason. Only an archive
 * path that cannot be read at all throws.
 */
import { readFile } from 'node:fs/promises';
import type { ArchiveDocument, LoadedArchive, SkippedFile } from '../types.js';
import { decodeText } from './decode.js';
import { parseHtml } from './html.js';
import { parseMarkdown } from './markdown.js';
import type { ParsedDocument, Parser } from './parsed.js';
import { parseJson, parseJsonLines } from './records.js';
import { collapseWhitespace } from './text.js';
import { codeOf, describeFsError, LOAD_ERROR_PREFIX, listArchive, type SupportedExtension } from './walk.js';

export { LOAD_ERROR_PREFIX, SUPPORTED_EXTENSIONS } from './walk.js';

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
  '.txt': parseMarkdown,
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
  const { maxFileBytes, maxTitleLength } = { ...DEFAULT_OPTIONS, ...options };
  const listing = await listArchive(path);
  const skipped: SkippedFile[] = [...listing.skipped];
  const collector = new DocumentCollector(skipped);

  for (const entry of listing.files) {
    const skip = (reason: string): void => void skipped.push({ file: entry.file, reason });
    if (entry.size > maxFileBytes) {
      skip(`file is larger than the ${formatBytes(maxFileBytes)} limit (${entry.size} bytes)`);
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = await readFile(entry.path);
    } catch (error) {
      // When the archive is this one file, nothing at all can be loaded: that is the caller's error.
      if (listing.singleFile) throw new Error(LOAD_ERROR_PREFIX + describeFsError(error, path));
      skip(`cannot read file: ${codeOf(error)}`);
      continue;
    }
    const decoded = decodeText(bytes);
    if (!decoded.ok) {
      skip(decoded.reason);
      continue;
    }
    // Checked here, before any parser, so an empty file reads the same in every format.
    if (decoded.text.trim() === '') {
      skip(EMPTY_TEXT_REASON);
      continue;
    }
    const parsed = PARSERS[entry.extension](decoded.text, { file: entry.file, maxTitleLength });
    for (const problem of parsed.problems) skipped.push({ file: entry.file, ...problem });
    for (const document of parsed.documents) collector.add(entry.file, document);
  }

  return { documents: collector.documents, skipped, duplicates: collector.duplicates };
}

/** Gives documents unique ids and keeps the first of each repeated text. */
class DocumentCollector {
  readonly documents: ArchiveDocument[] = [];
  duplicates = 0;
  private readonly byText = new Map<string, ArchiveDocument>();
  private readonly ids = new Set<string>();

  constructor(private readonly skipped: SkippedFile[]) {}

  add(file: string, parsed: ParsedDocument): void {
    const text = parsed.text.trim();
    const where = parsed.line === undefined ? {} : { line: parsed.line };
    if (text === '') {
      this.skipped.push({ file, ...where, reason: EMPTY_TEXT_REASON });
      return;
    }

    // Same words, different wrapping or spacing: still the same article (scrapers list one
    // article under several sections).
    const key = collapseWhitespace(text);
    const first = this.byText.get(key);
    if (first) {
      this.duplicates++;
      // The copy may have been filed under another topic; the first keeps that knowledge.
      const extra = (parsed.tags ?? []).filter((tag) => !first.tags?.includes(tag));
      if (extra.length > 0) first.tags = [...(first.tags ?? []), ...extra];
      return;
    }

    const fromPath = parsed.record === undefined ? file : `${file}#${parsed.record}`;
    const id = this.claimId(parsed.id, fromPath);
    if (id === undefined) {
      this.skipped.push({ file, ...where, reason: `id "${parsed.id ?? fromPath}" is already taken` });
      return;
    }
    const document: ArchiveDocument = { id, title: parsed.title, text, file };
    if (parsed.source !== undefined) document.source = parsed.source;
    if (parsed.date !== undefined) document.date = parsed.date;
    if (parsed.url !== undefined) document.url = parsed.url;
    if (parsed.tags !== undefined) document.tags = [...parsed.tags];
    this.byText.set(key, document);
    this.documents.push(document);
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
