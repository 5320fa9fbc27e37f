/**
 * Archive text as Discord Markdown: an excerpt with the engine's highlights in bold, and the line
 * that names a passage's source. Both quote verbatim and escape slice by slice. An excerpt is
 * rendered whole, never cut: the reply layout asks the engine for one that fits its room as
 * {@link DISCORD_QUOTE_COST} prices Discord's rendering.
 */
import { bold } from '@discordjs/formatters';
import {
  sourceParts,
  type ArchiveDocument,
  type Excerpt,
  type ExcerptCost,
  type ExcerptPiece,
  type Highlight,
} from '../../archive/index.js';
import { escapeText, maskedLink, truncate } from '../../discord/format.js';

/** Characters {@link escapeText} may put a backslash before wherever they are. */
const ALWAYS_ESCAPED = new Set(['\\', '*', '_', '~', '|', '`', '<', '@', '>', '[']);

/**
 * What an excerpt costs as a block quote of {@link renderExcerpt}, at most, less the first line's
 * "> ": two for a character that may get a backslash, one for any other, and four per highlight
 * (`**` on each side). A `-` or `#` may get one only before a space or `#` (a list item, a heading,
 * subtext), a `.` only after a digit (a numbered list), at the start of a slice; Markdown marks
 * anywhere; each character gets at most one. A line break costs seven: itself, the next line's
 * "> " and the bold a highlight reopens there. Tested against the rendering on adversarial text.
 */
export const DISCORD_QUOTE_COST: ExcerptCost = {
  char(ch, before, after) {
    if (ch === '\n') return 7;
    if (ALWAYS_ESCAPED.has(ch)) return 2;
    if (ch === '-' || ch === '#') return after === '' || after === '#' || /\s/.test(after) ? 2 : 1;
    return ch === '.' && /[0-9]/.test(before) ? 2 : 1;
  },
  highlight: 4,
};

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

/** The segments of one piece: its slice of the excerpt, with the highlights inside it. */
function pieceSegments(excerpt: Excerpt, piece: ExcerptPiece): Segment[] {
  const highlights = excerpt.highlights
    .filter((h) => h.end > piece.start && h.start < piece.end)
    .map((h) => ({ start: Math.max(h.start, piece.start) - piece.start, end: Math.min(h.end, piece.end) - piece.start }));
  switch (piece.kind) {
    case 'text':
      return segmentsOf(excerpt.text.slice(piece.start, piece.end), highlights);
    case 'gap':
      return [{ text: excerpt.text.slice(piece.start, piece.end), bold: false }];
  }
}

export interface ExcerptFormat {
  /** Collapse all whitespace (newlines too) to single spaces. @defaultValue false */
  oneLine?: boolean;
}

/**
 * The excerpt as Discord Markdown, piece by piece: the verbatim text, escaped slice by slice, with
 * the engine's highlights in bold. Nothing is cut: ask the engine for an excerpt that fits
 * (`hit.excerptWithin({ maxChars, cost: DISCORD_QUOTE_COST })`), and the rendering costs at most `maxChars`.
 */
export function renderExcerpt(excerpt: Excerpt, { oneLine: flatten = false }: ExcerptFormat = {}): string {
  const pieces: readonly ExcerptPiece[] = excerpt.pieces.length ? excerpt.pieces : [{ kind: 'text', start: 0, end: excerpt.text.length }];
  const segments = pieces.flatMap((piece) => pieceSegments(excerpt, piece));
  return render(flatten ? oneLine(segments) : segments);
}

/**
 * "[Title](<url>) · Source · 2023-09-14 · passage 3" — the title a masked link in bold (no embed
 * preview), every part escaped — within `max` characters. The link is kept at any length: the
 * title and the source are shortened (the source left out) first; only a URL too long for `max` on its own loses it.
 */
export function sourceLine(document: ArchiveDocument, position?: number, max = 400): string {
  const { title, source, date, passage, url } = sourceParts(document, position);
  const build = (titleMax: number, sourceMax: number, link: string | undefined): string => {
    const parts: string[] = [bold(maskedLink(truncate(title, titleMax), link))];
    if (source && sourceMax > 0) parts.push(escapeText(truncate(source, sourceMax)));
    if (date) parts.push(escapeText(date));
    if (passage !== undefined) parts.push(`passage ${passage}`);
    return parts.join(' · ');
  };
  const sizes: Array<[number, number]> = [
    [200, 100],
    [120, 60],
    [60, 30],
    [30, 20],
    [16, 12],
    [16, 0],
  ];
  for (const link of [url, undefined]) {
    for (const [titleMax, sourceMax] of sizes) {
      const line = build(titleMax, sourceMax, link);
      if (line.length <= max) return line;
    }
  }
  return build(16, 0, undefined);
}

/** Characters a document's link adds to its {@link sourceLine} (0 when it has none), so a caller can budget for it. */
export function linkCost(document: ArchiveDocument): number {
  return maskedLink('', document.url).length;
}
