/**
 * What a format parser hands back to the loader: documents without ids (the loader assigns
 * them, because ids must be unique across files) and problems without file names.
 */
import type { DocumentLayout } from '../types.js';
import type { DocumentFields } from './fields.js';

export interface ParsedDocument extends DocumentFields {
  title: string;
  text: string;
  /** A Markdown page's layout (offsets into `text`). */
  layout?: DocumentLayout;
  /** 1-based position among the file's records; absent for a file that is one document. */
  record?: number;
  /** Where to point a warning about this document (JSON Lines line or array record number). */
  line?: number;
}

/** A record or a whole file that could not be read; `line` is absent for whole-file problems. */
export interface Problem {
  line?: number;
  reason: string;
}

export interface ParseResult {
  documents: ParsedDocument[];
  problems: Problem[];
}

export interface ParseContext {
  /** Path relative to the archive root, `/`-separated. */
  file: string;
  /** Longest first line still taken as a title (see `LoadOptions.maxTitleLength`). */
  maxTitleLength: number;
}

/** Decoded, normalised text of one file → its documents. */
export type Parser = (text: string, context: ParseContext) => ParseResult;

/**
 * Runs a parser so that one file can never stop a load: a parser that throws (a YAML alias bomb, a
 * JSON or HTML file nested deeper than the stack) gives a whole-file problem instead.
 */
export function parseSafely(parser: Parser, text: string, context: ParseContext): ParseResult {
  try {
    return parser(text, context);
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { documents: [], problems: [{ reason: `cannot be parsed (${message.replace(/\s+/g, ' ').slice(0, 200)})` }] };
  }
}
