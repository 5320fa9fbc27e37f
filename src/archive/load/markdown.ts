/**
 * Markdown and plain text: optional YAML front matter, then a body whose first line may be the title.
 */
import { createRequire } from 'node:module';
import { decodeText } from './decode.js';
import { type DocumentFields, FIELD_NAMES, isRecord, readFields } from './fields.js';
import type { ParseContext, ParseResult, Problem } from './parsed.js';
import { baseName, collapseWhitespace, sameTitle, tidyBody } from './text.js';

// `---` on the very first line, up to a closing `---` (or YAML's `...`) on a line of its own.
const FRONT_MATTER = /^---[ \t]*\n(?:([\s\S]*?)\n)?(?:---|\.\.\.)[ \t]*(?:\n|$)/;
const ATX_HEADING = /^ {0,3}#{1,6}(?:[ \t]|$)/;
const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/;

/**
 * Largest front matter read (16 KB). Real front matter is a few hundred bytes; YAML parsing costs
 * far more per byte than text (20,000 keys took 7 s), so a file with more is skipped, not parsed.
 */
export const MAX_FRONT_MATTER_BYTES = 16 * 1024;
/** A title is looked for only among the lines that start this far (in characters) into the body. */
const TITLE_SEARCH_CHARS = 4000;
/**
 * A line longer than this (in characters) is a paragraph, never a title: taking the Markdown
 * decoration off a line is not linear in its length (`[[[…`, `*a *a …`), so only short lines are tried.
 */
const MAX_TITLE_LINE_CHARS = 1000;
/** Emphasis nests a level or two in real titles; unwrapping stops after this many rounds. */
const MAX_EMPHASIS_ROUNDS = 8;

/**
 * Largest Markdown body (in characters) read as a page by the Markdown parser (2 MB): documentation
 * pages are tens of kilobytes, and the parser reads about half a megabyte a second, so a larger
 * file is read as plain text (its markup shown as written) rather than stall a load.
 */
const MAX_MARKDOWN_PAGE_CHARS = 2 * 1024 * 1024;

/**
 * Most markup characters (brackets, parentheses, emphasis marks, `!`, `<`, `>`, backticks) in a page
 * read by the parser. Each one can start a construct the parser tries and abandons: on hostile text
 * made of them it reads ~8 KB a second (1 MB of `[a](` took minutes), where documentation, ~5 % of
 * them, reads at ~0.5 MB a second. At this many (a real page of ~650 KB) the worst case is a few
 * seconds; past it the page is read as plain text.
 */
export const MAX_MARKUP_CHARS = 32 * 1024;

/** Characters that can open or close a Markdown construct (see MAX_MARKUP_CHARS). */
const MARKUP_CHAR = /[[\]()*_!<>`]/g;

/** Whether the parser's work on `body` is bounded well enough to read it as a page. */
function parseableAsPage(body: string): boolean {
  if (body.length > MAX_MARKDOWN_PAGE_CHARS) return false;
  let marks = 0;
  MARKUP_CHAR.lastIndex = 0;
  while (MARKUP_CHAR.exec(body)) if (++marks > MAX_MARKUP_CHARS) return false;
  return true;
}

let pageReader: typeof import('./markdown-page.js') | undefined;

/**
 * Import the Markdown page reader (markdown-page.ts and its parser, micromark with GFM: about a
 * hundred modules, a quarter of the CPU of a one-question `archivist ask` that reads no page), before
 * the first {@link parseMarkdown}. A start from the saved index parses no file, so it never loads them.
 */
export async function loadMarkdownReader(): Promise<void> {
  pageReader ??= await import('./markdown-page.js');
}

/**
 * A Markdown file: front matter, then a page read as documentation (see markdown-page.ts): its
 * words without markup, laid out in sections and blocks. Title: front matter, else the first
 * heading, else the file name.
 */
export const parseMarkdown = (source: string, context: ParseContext): ParseResult => {
  const head = readFrontMatter(source);
  if ('problems' in head) return head;
  const { fields, body } = head;
  if (!parseableAsPage(body)) return parseText(source, context);
  if (!pageReader) throw new Error('parseMarkdown: await loadMarkdownReader() first');
  const page = pageReader.readMarkdownPage(body, source.length - body.length, fields.title, MAX_TITLE_LINE_CHARS);
  const title = fields.title ?? page.heading;
  return { documents: [{ ...fields, title: title ?? baseName(context.file), text: page.text, layout: page.layout }], problems: [] };
};

function readFrontMatter(source: string): { fields: DocumentFields; body: string } | ParseResult {
  const frontMatter = FRONT_MATTER.exec(source);
  if (!frontMatter) return { fields: {}, body: source };
  const parsed = parseFrontMatter(frontMatter[1] ?? '');
  if ('problem' in parsed) return { documents: [], problems: [parsed.problem] };
  return { fields: parsed.fields, body: source.slice(frontMatter[0].length) };
}

/** Plain text (and Markdown too large to parse): optional front matter, then a body whose first line may be the title. */
export const parseText = (source: string, context: ParseContext): ParseResult => {
  const head = readFrontMatter(source);
  if ('problems' in head) return head;
  const { fields, body } = head;
  const { title, text } = splitTitle(body, context.maxTitleLength, fields.title);
  return {
    documents: [{ ...fields, title: title ?? baseName(context.file), text: tidyBody(text) }],
    problems: [],
  };
};

let yamlPackage: typeof import('yaml') | undefined;

/** The yaml package, loaded when front matter is first read or written: a start without any skips its import (~50 ms). */
function yamlLibrary(): typeof import('yaml') {
  return (yamlPackage ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));
}

type FrontMatterResult = { fields: DocumentFields; doc: YamlDocument } | { problem: Problem };
type YamlDocument = ReturnType<typeof import('yaml').parseDocument>;

/** Front matter's YAML read within its size limit, once: the document (to write into) and the fields the loader takes from it. */
function parseFrontMatter(yaml: string): FrontMatterResult {
  // Checked before any parsing: YAML's cost grows faster than its size.
  const bytes = Buffer.byteLength(yaml);
  if (bytes > MAX_FRONT_MATTER_BYTES)
    return { problem: { line: 2, reason: `front matter is larger than the 16 KB limit (${bytes} bytes)` } };
  // The YAML starts on the file's second line, after the opening `---`.
  const fileLine = (offset: number): number => 2 + countNewlines(yaml, offset);
  const doc = yamlLibrary().parseDocument(yaml, { prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    return { problem: { line: fileLine(error.pos[0]), reason: `invalid YAML front matter: ${error.message}` } };
  }
  let value: unknown;
  try {
    // Turning YAML into values can still fail: an alias to no anchor, or an alias bomb.
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { problem: { line: 2, reason: `invalid YAML front matter: ${error instanceof Error ? error.message : String(error)}` } };
  }
  if (value === null || value === undefined) return { fields: {}, doc };
  if (!isRecord(value)) {
    return { problem: { line: 2, reason: 'invalid YAML front matter: expected "key: value" fields' } };
  }
  return { fields: readFields(value), doc };
}

function countNewlines(text: string, end: number): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/**
 * Takes the title off the top of the body: a headline is the document's title, not a passage.
 * With a title from front matter, a first heading that repeats it is dropped for the same reason.
 * A first line that is neither a heading nor short is a paragraph, and stays in the text.
 */
function splitTitle(body: string, maxTitleLength: number, knownTitle: string | undefined): { title: string | undefined; text: string } {
  const lines = body.split('\n');
  const first = firstContentLine(lines);
  const line = lines[first];
  if (line === undefined || line.length > MAX_TITLE_LINE_CHARS) return { title: knownTitle, text: body };

  const next = lines[first + 1];
  const isSetext = !ATX_HEADING.test(line) && next !== undefined && SETEXT_UNDERLINE.test(next);
  const isHeading = isSetext || ATX_HEADING.test(line);
  const candidate = plainTitle(line);
  const rest = (): string => [...lines.slice(0, first), ...lines.slice(first + (isSetext ? 2 : 1))].join('\n');

  if (knownTitle !== undefined) {
    return { title: knownTitle, text: sameTitle(candidate, knownTitle) ? rest() : body };
  }
  if (isHeading || candidate.length <= maxTitleLength) return { title: candidate, text: rest() };
  return { title: undefined, text: body };
}

/**
 * Index of the first line with words in it, or -1 when none starts within the title search
 * window. Bounded work: only the window's lines are looked at, long ones by a linear test.
 */
function firstContentLine(lines: readonly string[]): number {
  for (let i = 0, offset = 0; i < lines.length && offset <= TITLE_SEARCH_CHARS; offset += lines[i]!.length + 1, i++) {
    const line = lines[i]!;
    const hasContent = line.length > MAX_TITLE_LINE_CHARS ? !DECORATION_ONLY.test(line) : plainTitle(line) !== '';
    if (hasContent) return i;
  }
  return -1;
}

/** A line of nothing but decoration (a rule, a lone `#`): not a title. */
const DECORATION_ONLY = /^[\s*_=~#-]*$/;

/**
 * A line without its Markdown decoration: `## **Title**` → `Title`. Only what commonly decorates
 * a headline is removed; anything else is kept as written.
 */
export function plainTitle(line: string): string {
  // Escaped characters (`\*`) are literal: park them out of reach of the emphasis patterns.
  let text = line.replace(/\\([\\`*_{}[\]()#+\-.!~>|])/g, (_, c: string) => String.fromCharCode(PARKED + c.charCodeAt(0)));
  text = text
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/^\s*(?:>\s*)+/, '')
    .replace(/^ {0,3}#{1,6}(?=\s|$)/, '')
    .replace(/\s#+\s*$/, '')
    .replace(/^\s*(?:[-*+]|\d{1,9}[.)])\s+/, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/<\/?[a-z][^>]*>/gi, '');
  // Emphasis nests (`**_x_**`), so unwrap until nothing changes.
  for (let previous = '', round = 0; previous !== text && round < MAX_EMPHASIS_ROUNDS; round++) {
    previous = text;
    text = text
      .replace(/(\*\*|__|~~)(?=\S)(.*?\S)\1/g, '$2')
      .replace(/(^|[^\w*])\*(?=\S)(.*?\S)\*(?![\w*])/g, '$1$2')
      .replace(/(^|\W)_(?=\S)(.*?\S)_(?!\w)/g, '$1$2')
      .replace(/`([^`]+)`/g, '$1');
  }
  if (DECORATION_ONLY.test(text)) return '';
  return collapseWhitespace(text.replace(/[\uE000-\uE07F]/g, (c) => String.fromCharCode(c.charCodeAt(0) - PARKED)));
}

/** Start of a private-use block (unused in real text) that holds escaped ASCII while emphasis is removed. */
const PARKED = 0xe000;

/** Metadata to write into a Markdown or text file's front matter (see {@link setFrontMatter}). */
export type FrontMatterFields = Partial<Record<'title' | 'source' | 'date', string>>;

/** The formats whose metadata lives in front matter (JSON and HTML carry their own). */
export const FRONT_MATTER_EXTENSIONS: readonly string[] = ['.md', '.markdown', '.txt'];

/**
 * A Markdown/text file with `fields` set in its front matter, the way this loader reads them back:
 * the file's other keys are kept (comments next to a replaced key may go with it), any key the loader would read for the same field
 * under another spelling (`Title`, `headline`, `publisher`) is dropped so the new value wins, and a
 * file without front matter gets some. The bytes must be text the loader accepts (UTF-8); otherwise,
 * or when the existing front matter cannot be read, the loader's own reason is returned.
 */
export function setFrontMatter(
  bytes: Uint8Array,
  fields: FrontMatterFields,
): { ok: true; bytes: Uint8Array } | { ok: false; reason: string } {
  // Nothing to set: the bytes stay as they are, whatever they hold (the loader judges them).
  if (Object.values(fields).every((value) => value === undefined)) return { ok: true, bytes };
  const decoded = decodeText(bytes);
  if (!decoded.ok) return decoded;
  const source = decoded.text;
  const existing = FRONT_MATTER.exec(source);
  // Read as the loader reads it (within its 16 KB limit), and only once.
  const checked = parseFrontMatter(existing?.[1] ?? '');
  if ('problem' in checked) return { ok: false, reason: checked.problem.reason };
  const yaml = checked.doc;
  const { isMap, isScalar } = yamlLibrary();
  const keys = yaml.contents && isMap(yaml.contents) ? yaml.contents.items.map((pair) => pair.key) : [];
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const spellings: readonly string[] = FIELD_NAMES[field as keyof FrontMatterFields];
    for (const key of keys) {
      const name = isScalar(key) ? key.value : key;
      if (typeof name === 'string' && spellings.includes(name.toLowerCase())) yaml.delete(key);
    }
    yaml.set(field, value);
  }
  const body = existing ? source.slice(existing[0].length) : source;
  return { ok: true, bytes: Buffer.from(`---\n${yaml.toString({ lineWidth: 0 })}---\n${body}`, 'utf8') };
}
