/**
 * Archive text as Discord Markdown: an excerpt with the engine's highlights in bold, and the line
 * that names a passage's source. Both quote verbatim and escape slice by slice.
 */
import { bold } from '@discordjs/formatters';
import { sourceParts, type ArchiveDocument, type Excerpt, type Highlight } from '../../archive/index.js';
import { ELLIPSIS, escapeText, maskedLink, truncate } from '../../discord/format.js';

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
