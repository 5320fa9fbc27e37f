/**
 * JSON and JSON Lines: files of records, each record one document. A bad record is reported
 * and skipped; the file's other records still load.
 */
import { FIELD_NAMES, isRecord, readFields, readText } from './fields.js';
import type { ParseContext, ParsedDocument, ParseResult, Problem } from './parsed.js';
import { baseName, collapseWhitespace } from './text.js';

const NO_TEXT_REASON = `record has no text (looked for ${FIELD_NAMES.text.join(', ')})`;

/** `.jsonl` / `.ndjson`: one JSON object per line; blank lines are ignored. */
export const parseJsonLines = (source: string, context: ParseContext): ParseResult => {
  const result: ParseResult = { documents: [], problems: [] };
  let record = 0;
  source.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    record++;
    const lineNumber = index + 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      result.problems.push({ line: lineNumber, reason: `invalid JSON: ${messageOf(error)}` });
      return;
    }
    addRecord(result, value, { record, line: lineNumber }, context);
  });
  return result;
};

/**
 * `.json`: an array of records, an object holding one array of records (`{ "articles": [...] }`),
 * or a single record. A `.json` file that is really JSON Lines is read as such.
 */
export const parseJson = (source: string, context: ParseContext): ParseResult => {
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    if (looksLikeJsonLines(source)) return parseJsonLines(source, context);
    const position = /at position (\d+)/.exec(messageOf(error))?.[1];
    const problem: Problem = { reason: `invalid JSON: ${messageOf(error)}` };
    if (position !== undefined) problem.line = lineAt(source, Number(position));
    return { documents: [], problems: [problem] };
  }

  const result: ParseResult = { documents: [], problems: [] };
  const records = recordsOf(value);
  if (records === 'single') {
    addRecord(result, value, {}, context);
  } else if (records === undefined || records.length === 0) {
    result.problems.push({ reason: 'no records found (expected an array of objects)' });
  } else {
    records.forEach((item, index) => addRecord(result, item, { record: index + 1, line: index + 1 }, context));
  }
  return result;
};

function recordsOf(value: unknown): unknown[] | 'single' | undefined {
  if (Array.isArray(value)) return value as unknown[];
  if (!isRecord(value)) return undefined;
  if (readText(value) !== undefined) return 'single';
  const arrays = Object.values(value).filter((v): v is unknown[] => Array.isArray(v) && v.some((item) => isRecord(item)));
  // With two candidate arrays there is no telling which one holds the documents.
  return arrays.length === 1 ? arrays[0] : undefined;
}

function addRecord(result: ParseResult, value: unknown, where: { record?: number; line?: number }, context: ParseContext): void {
  const problem = (reason: string): Problem => (where.line === undefined ? { reason } : { line: where.line, reason });
  if (!isRecord(value)) {
    result.problems.push(problem('record is not a JSON object'));
    return;
  }
  const text = readText(value);
  if (text === undefined) {
    result.problems.push(problem(NO_TEXT_REASON));
    return;
  }
  const fields = readFields(value);
  const document: ParsedDocument = {
    ...fields,
    title: fields.title ?? fallbackTitle(text, where.record, context),
    text,
  };
  if (where.record !== undefined) document.record = where.record;
  if (where.line !== undefined) document.line = where.line;
  result.documents.push(document);
}

/**
 * A record without a title field is named by its first line when that is short enough to read
 * as one, else by file and record number. The text is left whole: it is the record's body.
 */
function fallbackTitle(text: string, record: number | undefined, context: ParseContext): string {
  const firstLine = collapseWhitespace(text.split('\n', 1)[0] ?? '');
  if (firstLine.length <= context.maxTitleLength) return firstLine;
  return record === undefined ? baseName(context.file) : `${baseName(context.file)} #${record}`;
}

/** Two or more lines and the first one is a whole JSON object: one record per line. */
function looksLikeJsonLines(source: string): boolean {
  const lines = source.split('\n').filter((line) => line.trim() !== '');
  if (lines.length < 2) return false;
  try {
    return isRecord(JSON.parse(lines[0] ?? ''));
  } catch {
    return false;
  }
}

function lineAt(source: string, position: number): number {
  let line = 1;
  for (let i = source.indexOf('\n'); i !== -1 && i < position; i = source.indexOf('\n', i + 1)) line++;
  return line;
}

/** One line: V8 quotes the JSON around a syntax error, newlines and all. */
function messageOf(error: unknown): string {
  return collapseWhitespace(error instanceof Error ? error.message : String(error));
}
