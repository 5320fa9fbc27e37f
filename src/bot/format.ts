/**
 * Turning the engine's plain data into Discord Markdown. Pure functions, no discord.js client:
 * every cut is at a word boundary (never inside a quote's middle), archive text is escaped per
 * slice with discord.js's own `escapeMarkdown`, and matched terms are bolded after escaping.
 */
import { escapeMarkdown } from 'discord.js';
import type { ArchiveDocument, Excerpt, Highlight } from '../archive/types.js';

export const ELLIPSIS = '…';

/**
 * Shortens `text` to at most `max` characters. It cuts at the last whitespace that fits and appends
 * "…", so only a tail is ever removed — never words from the middle. A single word longer than
 * `max` is cut inside the word (never inside a surrogate pair).
 */
export function truncate(text: string, max: number): string {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`truncate: max must be a positive integer, got ${max}`);
  if (text.length <= max) return text;
  const room = max - ELLIPSIS.length;
  if (room === 0) return ELLIPSIS;
  // A cut right before whitespace is already at a word boundary.
  let boundary = /\s/.test(text[room]!) ? room : -1;
  if (boundary < 0) {
    for (let i = room - 1; i > 0; i--) {
      if (/\s/.test(text[i]!)) {
        boundary = i;
        break;
      }
    }
  }
  const head = boundary > 0 ? text.slice(0, boundary).trimEnd() : '';
  if (head) return head + ELLIPSIS;
  let end = room;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + ELLIPSIS;
}

/** Escapes everything that would change how archive text renders (inline and line-start Markdown). */
export function escapeText(text: string): string {
  return escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: true });
}

/** A run of excerpt text, emphasised or not. */
interface Segment {
  text: string;
  bold: boolean;
}

function segmentsOf(text: string, highlights: readonly Highlight[]): Segment[] {
  const ranges = highlights
    .map((h) => ({ start: Math.max(0, h.start), end: Math.min(text.length, h.end) }))
    .filter((h) => h.end > h.start)
    .sort((a, b) => a.start - b.start);
  const segments: Segment[] = [];
  let at = 0;
  for (const range of ranges) {
    const start = Math.max(range.start, at);
    if (range.end <= start) continue;
    if (start > at) segments.push({ text: text.slice(at, start), bold: false });
    segments.push({ text: text.slice(start, range.end), bold: true });
    at = range.end;
  }
  if (at < text.length) segments.push({ text: text.slice(at), bold: false });
  return segments;
}

/** Joins runs of whitespace (newlines too) into one space, across segment borders, and trims the ends. */
function oneLine(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  let lastWasSpace = true;
  for (const seg of segments) {
    let text = seg.text.replace(/\s+/g, ' ');
    if (lastWasSpace && text.startsWith(' ')) text = text.slice(1);
    if (!text) continue;
    lastWasSpace = text.endsWith(' ');
    out.push({ text, bold: seg.bold });
  }
  const last = out.at(-1);
  if (last) last.text = last.text.trimEnd();
  return out.filter((s) => s.text);
}

/** Keeps the first `length` characters of the segments. */
function headOf(segments: Segment[], length: number): Segment[] {
  const out: Segment[] = [];
  let left = length;
  for (const seg of segments) {
    if (left <= 0) break;
    out.push({ text: seg.text.slice(0, left), bold: seg.bold });
    left -= seg.text.length;
  }
  return out;
}

function render(segments: Segment[]): string {
  let out = '';
  for (const seg of segments) {
    // Bold never spans a line break: Discord would not render it.
    for (const [i, line] of seg.text.split('\n').entries()) {
      if (i > 0) out += '\n';
      const core = line.trim();
      if (!seg.bold || !core) {
        out += escapeText(line);
        continue;
      }
      const lead = line.slice(0, line.indexOf(core));
      const tail = line.slice(lead.length + core.length);
      out += `${lead}**${escapeText(core)}**${tail}`;
    }
  }
  return out;
}

export interface ExcerptFormat {
  /** Most characters of the Markdown result. */
  max: number;
  /** Collapse all whitespace (newlines too) to single spaces. @defaultValue false */
  oneLine?: boolean;
}

/**
 * The excerpt as Discord Markdown: the verbatim text, escaped slice by slice, with the engine's
 * highlights in bold; cut at a word boundary with "…" so that the *rendered* string fits `max`.
 */
export function formatExcerpt(excerpt: Excerpt, { max, oneLine: flatten = false }: ExcerptFormat): string {
  let segments = segmentsOf(excerpt.text, excerpt.highlights);
  if (flatten) segments = oneLine(segments);
  const plain = segments.map((s) => s.text).join('');
  // Escaping and bold markers add characters, so shrink the raw budget until the rendering fits.
  let budget = Math.min(plain.length, max);
  for (;;) {
    const cut = truncate(plain, Math.max(1, budget));
    const kept = cut === plain ? segments : [...headOf(segments, cut.length - ELLIPSIS.length), { text: ELLIPSIS, bold: false }];
    const out = render(kept);
    if (out.length <= max || budget <= 1) return out.length <= max ? out : truncate(out, max);
    budget -= Math.max(1, out.length - max);
  }
}

/** Prefixes every line with "> " so the text renders as a block quote. */
export function blockQuote(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

/** The date part of an ISO date or timestamp. */
export function shortDate(date: string | undefined): string | undefined {
  return date?.slice(0, 10);
}

/** A link Discord will show without an embed preview, or nothing for anything that is not plain http(s). */
export function safeLink(url: string | undefined): string | undefined {
  if (!url || url.length > 500 || /[\s<>]/.test(url)) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? `<${url}>` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * "Title · Source · 2023-09-14 · passage 3 · <url>" — every part escaped, title in bold — within
 * `max` characters: the link goes first, then the title and source are shortened.
 */
export function sourceLine(document: ArchiveDocument, position?: number, max = 400): string {
  const date = shortDate(document.date);
  const link = safeLink(document.url);
  const build = (titleMax: number, sourceMax: number, withLink: boolean): string => {
    const parts = [`**${escapeText(truncate(document.title, titleMax))}**`];
    if (document.source) parts.push(escapeText(truncate(document.source, sourceMax)));
    if (date) parts.push(escapeText(date));
    if (position !== undefined) parts.push(`passage ${position}`);
    if (link && withLink) parts.push(link);
    return parts.join(' · ');
  };
  const attempts: Array<[number, number, boolean]> = [
    [200, 100, true],
    [200, 100, false],
    [120, 60, false],
    [60, 30, false],
    [30, 20, false],
  ];
  let line = '';
  for (const [titleMax, sourceMax, withLink] of attempts) {
    line = build(titleMax, sourceMax, withLink);
    if (line.length <= max) return line;
  }
  return line;
}

/** `text` in `“…”`, escaped and shortened, for echoing what the user asked. */
export function quoteInput(text: string, max = 150): string {
  return `“${escapeText(truncate(text.replace(/\s+/g, ' ').trim(), max))}”`;
}

/** "1 passage", "3 passages". */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/**
 * Splits `text` into pieces of at most `max` characters at whitespace, dropping nothing but the
 * whitespace at each split. A run longer than `max` without whitespace is split inside (never right
 * after a backslash, so an escape stays whole, nor inside a surrogate pair).
 */
export function chunkText(text: string, max: number): string[] {
  if (!Number.isInteger(max) || max < 2) throw new RangeError(`chunkText: max must be an integer ≥ 2, got ${max}`);
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = -1;
    for (let i = max; i > 0; i--) {
      if (/\s/.test(rest[i]!)) {
        cut = i;
        break;
      }
    }
    let head: string;
    if (cut > 0 && rest.slice(0, cut).trim()) {
      head = rest.slice(0, cut).trimEnd();
      rest = rest.slice(cut).trimStart();
    } else {
      let end = max;
      const code = rest.charCodeAt(end - 1);
      if ((code >= 0xd800 && code <= 0xdbff) || rest[end - 1] === '\\') end--;
      head = rest.slice(0, end);
      rest = rest.slice(end);
    }
    chunks.push(head);
  }
  if (rest.trim() || !chunks.length) chunks.push(rest);
  return chunks;
}
