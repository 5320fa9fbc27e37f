/**
 * Archive text as Discord Markdown: an excerpt with the engine's highlights in bold, and the line
 * that names a passage's source. Both quote verbatim and escape slice by slice.
 */
import { bold } from '@discordjs/formatters';
import { sourceParts, type ArchiveDocument, type Excerpt, type Highlight, type PageSection, type TextMark } from '../../archive/index.js';
import { ELLIPSIS, escapeText, linkableUrl, maskedLink, truncate } from '../../discord/format.js';

/** A run of excerpt text, emphasised or not; inline code or a link's text on a Markdown page. */
interface Segment {
  text: string;
  bold: boolean;
  code?: boolean;
  /** An absolute link's target (a relative one shows as its text only). */
  href?: string;
}

function segmentsOf(text: string, highlights: readonly Highlight[], marks: readonly TextMark[] = []): Segment[] {
  const ranges = highlights
    .map((h) => ({ start: Math.max(0, h.start), end: Math.min(text.length, h.end) }))
    .filter((h) => h.end > h.start)
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
    const href = linkableUrl(link?.href);
    if (href) segment.href = href;
    const previous = segments.at(-1);
    // Runs that look the same are one (a code span is one span however many cuts fall in it).
    if (previous && previous.bold === segment.bold && previous.code === segment.code && previous.href === segment.href)
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

/** Keeps the first `length` characters of the segments. */
function headOf(segments: Segment[], length: number): Segment[] {
  const out: Segment[] = [];
  let left = length;
  for (const seg of segments) {
    if (left <= 0) break;
    out.push({ ...seg, text: seg.text.slice(0, left) });
    left -= seg.text.length;
  }
  return out;
}

function render(segments: Segment[]): string {
  let out = '';
  for (let s = 0; s < segments.length; s++) {
    const seg = segments[s]!;
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

/** A code excerpt as a code block in its language, whole lines that fit `max` (a line cut mid-way never shows). */
function codeBlock(excerpt: Excerpt, max: number): string {
  const language = (excerpt.code?.language ?? '').replace(/[^\w+#.-]/g, '');
  const open = `\`\`\`${language}\n`;
  const close = '\n```';
  // Three backticks in the code would end the block early: a zero-width space keeps them apart.
  const lines = excerpt.text.replace(/```/g, '`\u200b``').split('\n');
  while (lines.length > 1 && open.length + lines.join('\n').length + close.length > max) lines.pop();
  const body = lines.join('\n');
  if (open.length + body.length + close.length <= max) return `${open}${body}${close}`;
  return truncate(escapeText(excerpt.text.replace(/\s+/g, ' ')), Math.max(1, max));
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
  if (excerpt.code && !flatten) return codeBlock(excerpt, max);
  let segments = segmentsOf(excerpt.text, excerpt.highlights, excerpt.marks);
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
