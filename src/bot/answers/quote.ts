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
  type PageSection,
  type TextMark,
} from '../../archive/index.js';
import { escapeText, linkableUrl, maskedLink, truncate } from '../../discord/format.js';

/** Characters {@link escapeText} may put a backslash before wherever they are. */
const ALWAYS_ESCAPED = new Set(['\\', '*', '_', '~', '|', '`', '<', '@', '>', '[']);

/**
 * What an excerpt costs as a block quote of {@link renderExcerpt}, at most, less the first line's
 * "> ": two for a character that may get a backslash, one for any other, and four per highlight
 * (`**` on each side). A `-` or `#` may get one only before a space or `#` (a list item, a heading,
 * subtext), a `.` only after a digit (a numbered list), at the start of a slice; Markdown marks
 * anywhere; each character gets at most one. A line break costs seven: itself, the next line's
 * "> " and the bold a highlight reopens there. On a Markdown page, inline code adds its two
 * backticks, an absolute link its `[`, `](<target>)`, and a code quote its fences (its characters,
 * never escaped there, are priced as above: an upper bound). Tested against the rendering on
 * adversarial text.
 */
export const DISCORD_QUOTE_COST: ExcerptCost = {
  char(ch, before, after) {
    if (ch === '\n') return 7;
    if (ALWAYS_ESCAPED.has(ch)) return 2;
    if (ch === '-' || ch === '#') return after === '' || after === '#' || /\s/.test(after) ? 2 : 1;
    return ch === '.' && /[0-9]/.test(before) ? 2 : 1;
  },
  highlight: 4,
  mark(mark: TextMark) {
    // A code block inside prose: its fences, and a line break before and after it.
    if (mark.block) return fencesCost(mark.block.language) + 2 * 7;
    if (mark.kind === 'code') return 2;
    const href = linkableUrl(mark.href);
    return href ? `[](<${href}>)`.length : 0;
  },
  codeBlock: fencesCost,
};

/** What {@link fenced} adds around code: its two fences and their line breaks. */
function fencesCost(language: string): number {
  return fenced('', language).length;
}

/** A run of excerpt text, emphasised or not; inline code or a link's text on a Markdown page. */
interface Segment {
  text: string;
  bold: boolean;
  code?: boolean;
  /** A code block inside prose: its language ('' for none). */
  block?: string;
  /** An absolute link's target (a relative one shows as its text only). */
  href?: string;
}

function segmentsOf(text: string, highlights: readonly Highlight[], marks: readonly TextMark[] = []): Segment[] {
  const code = marks.filter((m) => m.kind === 'code');
  const ranges = highlights
    .map((h) => ({ start: Math.max(0, h.start), end: Math.min(text.length, h.end) }))
    .filter((h) => h.end > h.start)
    // A match inside inline code makes the whole code span bold: one span, as DISCORD_QUOTE_COST prices it.
    .map((h) =>
      code.reduce(
        (r, m) => (m.end > r.start && m.start < r.end ? { start: Math.min(r.start, m.start), end: Math.max(r.end, m.end) } : r),
        h,
      ),
    )
    .sort((a, b) => a.start - b.start);
  // Every boundary of a highlight or a mark cuts the text; each run then knows what covers it.
  const cuts = new Set([0, text.length]);
  for (const r of [...ranges, ...marks]) {
    cuts.add(Math.max(0, Math.min(text.length, r.start)));
    cuts.add(Math.max(0, Math.min(text.length, r.end)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i]!;
    const end = points[i + 1]!;
    if (end <= start) continue;
    const inside = (r: { start: number; end: number }) => r.start <= start && end <= r.end;
    const segment: Segment = { text: text.slice(start, end), bold: ranges.some(inside) };
    const code = marks.find((m) => m.kind === 'code' && inside(m));
    const link = marks.find((m) => m.kind === 'link' && inside(m));
    if (code) segment.code = true;
    if (code?.block) segment.block = code.block.language;
    const href = linkableUrl(link?.href);
    if (href) segment.href = href;
    const previous = segments.at(-1);
    // Runs that look the same are one (a code span is one span however many cuts fall in it).
    if (
      previous &&
      previous.bold === segment.bold &&
      previous.code === segment.code &&
      previous.block === segment.block &&
      previous.href === segment.href
    )
      previous.text += segment.text;
    else segments.push(segment);
  }
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
    out.push({ ...seg, text });
  }
  const last = out.at(-1);
  if (last) last.text = last.text.trimEnd();
  return out.filter((s) => s.text);
}

function render(segments: Segment[]): string {
  let out = '';
  for (let s = 0; s < segments.length; s++) {
    const seg = segments[s]!;
    if (seg.block !== undefined) {
      // On lines of its own, whatever the excerpt put around it.
      if (out && !out.endsWith('\n')) out += '\n';
      out += fenced(seg.text, seg.block);
      if (s + 1 < segments.length && !segments[s + 1]!.text.startsWith('\n')) out += '\n';
      continue;
    }
    if (seg.href) {
      // A link's runs (bold or not) inside one masked link: the highlight lands in its text, never in its syntax.
      let label = '';
      let end = s;
      for (; end < segments.length && segments[end]!.href === seg.href; end++) label += renderRun(segments[end]!, true);
      out += `[${label}](<${seg.href}>)`;
      s = end - 1;
      continue;
    }
    out += renderRun(seg);
  }
  return out;
}

/** Inline code as inline code (bold around it when matched), without escapes inside. */
function inlineCode(text: string, bold: boolean): string {
  const flat = text.replace(/\s+/g, ' ');
  const fence = flat.includes('`') ? '``' : '`';
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  const code = `${fence}${pad}${flat}${pad}${fence}`;
  return bold ? `**${code}**` : code;
}

/** One run as Discord Markdown; inside a link's text, brackets are escaped so they cannot close it. */
function renderRun(seg: Segment, inLink = false): string {
  if (seg.code && seg.text.trim()) return inlineCode(seg.text, seg.bold);
  const escape = (text: string) =>
    inLink ? escapeText(text).replace(/\\[\s\S]|[[\]]/g, (m) => (m.length === 2 ? m : `\\${m}`)) : escapeText(text);
  let out = '';
  // Bold never spans a line break: Discord would not render it.
  for (const [i, line] of seg.text.split('\n').entries()) {
    if (i > 0) out += '\n';
    const core = line.trim();
    if (!seg.bold || !core) {
      out += escape(line);
      continue;
    }
    const lead = line.slice(0, line.indexOf(core));
    const tail = line.slice(lead.length + core.length);
    out += `${lead}**${escape(core)}**${tail}`;
  }
  return out;
}

/** A code block's language as its fence may name it. */
function codeLanguage(language: string): string {
  return language.replace(/[^\w+#.-]/g, '');
}

/** Code as a code block in its language, whole (the engine chose lines that fit). */
function fenced(code: string, language: string): string {
  // Three backticks in the code would end the block early: a zero-width space keeps them apart.
  return `\`\`\`${codeLanguage(language)}\n${code.replace(/```/g, '`\u200b``')}\n\`\`\``;
}

/** A code excerpt as a code block in its language. */
function codeBlock(excerpt: Excerpt): string {
  return fenced(excerpt.text, excerpt.code?.language ?? '');
}

/** The segments of one piece: its slice of the excerpt, with the highlights and marks inside it. */
function pieceSegments(excerpt: Excerpt, piece: ExcerptPiece): Segment[] {
  const inside = <T extends { start: number; end: number }>(ranges: readonly T[]): T[] =>
    ranges
      .filter((r) => r.end > piece.start && r.start < piece.end)
      .map((r) => ({ ...r, start: Math.max(r.start, piece.start) - piece.start, end: Math.min(r.end, piece.end) - piece.start }));
  switch (piece.kind) {
    case 'text':
      return segmentsOf(excerpt.text.slice(piece.start, piece.end), inside(excerpt.highlights), inside(excerpt.marks ?? []));
    case 'gap':
      return [{ text: excerpt.text.slice(piece.start, piece.end), bold: false }];
  }
}

interface ExcerptFormat {
  /** Collapse all whitespace (newlines too) to single spaces. @defaultValue false */
  oneLine?: boolean;
}

/**
 * The excerpt as Discord Markdown, piece by piece: the verbatim text, escaped slice by slice, with
 * the engine's highlights in bold. Nothing is cut: ask the engine for an excerpt that fits
 * (`hit.excerptWithin({ maxChars, cost: DISCORD_QUOTE_COST })`), and the rendering costs at most `maxChars`.
 */
export function renderExcerpt(excerpt: Excerpt, { oneLine: flatten = false }: ExcerptFormat = {}): string {
  if (excerpt.code && !flatten) return codeBlock(excerpt);
  const pieces: readonly ExcerptPiece[] = excerpt.pieces.length ? excerpt.pieces : [{ kind: 'text', start: 0, end: excerpt.text.length }];
  const segments = pieces.flatMap((piece) => pieceSegments(excerpt, piece));
  // On one line, a code block shows as inline code.
  return render(flatten ? oneLine(segments.map(({ block: _block, ...segment }) => segment)) : segments);
}

/**
 * "[Title](<url>) · Source · 2023-09-14 · passage 3" — the title a masked link in bold (no embed
 * preview), every part escaped — within `max` characters. The link is kept at any length: the
 * title and the source are shortened (the source left out) first; only a URL too long for `max` on its own loses it.
 */
export function sourceLine(document: ArchiveDocument, position?: number, max = 400, section?: PageSection): string {
  const { title, source, date, passage, url } = sourceParts(document, position, section);
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
export function linkCost(document: ArchiveDocument, section?: PageSection): number {
  return maskedLink('', sourceParts(document, undefined, section).url).length;
}
