/**
 * Cutting a document's text into passages: the unit that is ranked and quoted.
 *
 * Passages follow the author's paragraphs, never cut inside a sentence:
 *  1. paragraphs are blank-line separated blocks, or single lines when the text
 *     has no blank lines at all (one paragraph per line, as scraped news is laid out) —
 *     unless the lines are wrapped at a fixed width, when only an indented line starts one;
 *  2. a paragraph that stops mid-sentence (no closing punctuation, and the next one
 *     goes on in lower case) is joined with the next: PDFs and scans break lines so;
 *  3. headings and lines without words are not passages (a headline is the title);
 *  4. a paragraph longer than `maxChars` is split at sentence boundaries into
 *     near-equal parts; a single sentence longer than that stays whole.
 */
import type { Span } from './analysis/analyze.js';
import type { TextBlock } from './types.js';
import { JOIN_BLOCKS_BELOW_CHARS, PASSAGE_MAX_CHARS, WRAP_WIDTH_MAX } from './shaping-defaults.js';

export interface PassageOptions {
  /**
   * Longest passage, in characters, before a paragraph is split at sentence boundaries.
   * Long enough to hold a typical news paragraph whole, short enough that one passage
   * is about one thing. @defaultValue 1000
   */
  maxChars?: number;
  /**
   * A page's block shorter than this (in characters), or ending in a colon, is one passage with the
   * next block of its section (see splitBlocks). 0 disables. @defaultValue {@link JOIN_BLOCKS_BELOW_CHARS}
   */
  joinBelowChars?: number;
}

export const DEFAULT_PASSAGE_OPTIONS: Required<PassageOptions> = { maxChars: PASSAGE_MAX_CHARS, joinBelowChars: JOIN_BLOCKS_BELOW_CHARS };

const BLANK_LINE = /\n[ \t\u00a0]*\n/;
const PARAGRAPH_END = /[.!?…:;"”’'»)\]]$/u;
const CONTINUES_SENTENCE = /^[\p{Ll}\d(,;]/u;
const MARKDOWN_HEADING = /^#{1,6}\s/;
const HAS_WORD = /[\p{L}\p{N}]/u;

/** Paragraph spans, trimmed, in text order. */
export function findParagraphs(text: string): Span[] {
  const separator = BLANK_LINE.test(text)
    ? /\n[ \t\u00a0]*\n\s*/g
    : isHardWrapped(text)
      ? INDENTED_LINE // wrapped at a fixed width: a line break is not a paragraph break, an indent is
      : /\n+/g;
  const paragraphs: Span[] = [];
  let start = 0;
  const push = (from: number, to: number) => {
    const span = trimSpan(text, from, to);
    if (span.end > span.start) paragraphs.push(span);
  };
  for (const match of text.matchAll(separator)) {
    push(start, match.index);
    start = match.index + match[0].length;
  }
  push(start, text.length);
  return paragraphs;
}

const INDENTED_LINE = /\n(?=[ \t\u00a0]+\S)/g;
/** Lines of wrapped text end near one width; short lines are paragraph ends. */

/**
 * Text wrapped at a fixed width (old abstracts, e-mail, plain-text exports) has no blank
 * lines and many lines of nearly the same, short length. Such line breaks are not paragraphs.
 */
function isHardWrapped(text: string): boolean {
  const lengths = text
    .split('\n')
    .map((line) => line.trimEnd().length)
    .filter((length) => length > 0);
  if (lengths.length < 4) return false;
  const width = [...lengths].sort((a, b) => a - b)[Math.floor(lengths.length * 0.9)]!;
  if (width > WRAP_WIDTH_MAX) return false;
  const full = lengths.slice(0, -1).filter((length) => length >= width * 0.75).length;
  return full >= (lengths.length - 1) * 0.6;
}

export function trimSpan(text: string, start: number, end: number): Span {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return { start, end };
}

/** Rejoin paragraphs that a line break cut mid-sentence. */
function joinBrokenParagraphs(text: string, paragraphs: Span[]): Span[] {
  const joined: Span[] = [];
  for (const paragraph of paragraphs) {
    const previous = joined.at(-1);
    if (
      previous &&
      // Only the last character: testing the whole (growing) paragraph made joining n lines O(n²).
      !PARAGRAPH_END.test(text.slice(previous.end - 1, previous.end)) &&
      CONTINUES_SENTENCE.test(text.slice(paragraph.start, paragraph.end)) &&
      !isHeading(text.slice(previous.start, previous.end))
    ) {
      previous.end = paragraph.end;
    } else {
      joined.push({ ...paragraph });
    }
  }
  return joined;
}

function isHeading(paragraph: string): boolean {
  return MARKDOWN_HEADING.test(paragraph);
}

/** Split one long paragraph at sentence ends into parts close to equal length. */
function splitAtSentences(paragraph: Span, sentences: readonly Span[], maxChars: number): Span[] {
  const length = paragraph.end - paragraph.start;
  if (length <= maxChars) return [paragraph];
  // Sentence ends strictly inside the paragraph are the only legal cut points. Sentences are in
  // text order, so the paragraph's are found by binary search, not by a scan of the whole text.
  const cuts: number[] = [];
  for (let s = firstEndingAfter(sentences, paragraph.start); s < sentences.length && sentences[s]!.end < paragraph.end; s++) {
    if (sentences[s]!.end > (cuts.at(-1) ?? paragraph.start)) cuts.push(sentences[s]!.end);
  }
  if (cuts.length === 0) return [paragraph];
  const parts = Math.ceil(length / maxChars);
  const target = length / parts;
  const spans: Span[] = [];
  let start = paragraph.start;
  for (let i = 0; i < cuts.length; i++) {
    const cut = cuts[i]!;
    const remaining = paragraph.end - start;
    if (remaining <= maxChars) break;
    const sizeHere = cut - start;
    // Cut here when this is the end closest to the target size, or the next would overshoot the cap.
    const nextSize = i + 1 < cuts.length ? cuts[i + 1]! - start : Infinity;
    if (Math.abs(sizeHere - target) <= Math.abs(nextSize - target) || nextSize > maxChars) {
      spans.push({ start, end: cut });
      start = cut;
    }
  }
  spans.push({ start, end: paragraph.end });
  return spans;
}

/** Index of the first sentence that ends after `offset` (sentences' ends never decrease). */
function firstEndingAfter(sentences: readonly Span[], offset: number): number {
  let low = 0;
  let high = sentences.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sentences[middle]!.end > offset) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * Passage spans of a document's text, in order. `sentences` are the analyser's
 * sentence spans for the same text (used only to split long paragraphs).
 */
export function splitPassages(text: string, sentences: Span[], options: PassageOptions = {}): Span[] {
  const { maxChars } = { ...DEFAULT_PASSAGE_OPTIONS, ...options };
  const paragraphs = joinBrokenParagraphs(text, findParagraphs(text)).filter((paragraph) => {
    const body = text.slice(paragraph.start, paragraph.end);
    return !isHeading(body) && HAS_WORD.test(body);
  });
  return paragraphs
    .flatMap((paragraph) => splitAtSentences(paragraph, sentences, maxChars))
    .map((span) => trimSpan(text, span.start, span.end))
    .filter((span) => span.end > span.start);
}

/** A passage of a laid-out page: its span and the block it was cut from. */
interface BlockPassage extends Span {
  /** Index of its block in the layout's `blocks`. */
  block: number;
}

/**
 * Passage spans of a laid-out page (a Markdown document): each block (paragraph, list, table,
 * admonition, code block) is a passage, a short one joined to the next of its section. A prose block longer than `maxChars` is split at sentence
 * ends or line ends into near-equal parts; a code block at line ends (never inside a line).
 */
export function splitBlocks(text: string, blocks: readonly TextBlock[], sentences: Span[], options: PassageOptions = {}): BlockPassage[] {
  const { maxChars, joinBelowChars } = { ...DEFAULT_PASSAGE_OPTIONS, ...options };
  const passages: BlockPassage[] = [];
  for (const { start, end, b } of joinShortBlocks(text, blocks, joinBelowChars, maxChars)) {
    const block = blocks[b]!;
    const span = { start, end };
    const cuts = block.kind === 'code' ? lineSpans(text, span) : mergeSpans(clipSpans(sentences, span), lineSpans(text, span));
    for (const part of splitAtSentences(span, cuts, maxChars)) {
      const trimmed = trimSpan(text, part.start, part.end);
      if (trimmed.end > trimmed.start) passages.push({ ...trimmed, block: b });
    }
  }
  return passages;
}

/**
 * Blocks with the short ones joined to the next block of their section: an error message and its
 * explanation, "Example:" and its code, an option's type and default and its description are one
 * passage. `b` is the block whose kind and section the joined span takes (its prose, if any).
 */
function joinShortBlocks(
  text: string,
  blocks: readonly TextBlock[],
  below: number,
  maxChars: number,
): Array<{ start: number; end: number; b: number }> {
  const joined: Array<{ start: number; end: number; b: number }> = [];
  blocks.forEach((block, b) => {
    const last = joined.at(-1);
    const short = last !== undefined && (last.end - last.start < below || text[last.end - 1] === ':');
    if (last && short && blocks[last.b]!.section === block.section && block.end - last.start <= maxChars) {
      last.end = block.end;
      if (block.kind === 'prose') last.b = b;
    } else {
      joined.push({ start: block.start, end: block.end, b });
    }
  });
  return joined;
}

/** The lines of a span, as spans (without their line breaks). */
export function lineSpans(text: string, span: Span): Span[] {
  const lines: Span[] = [];
  let start = span.start;
  for (let at = text.indexOf('\n', start); at >= 0 && at < span.end; at = text.indexOf('\n', start)) {
    if (at > start) lines.push({ start, end: at });
    start = at + 1;
  }
  if (span.end > start) lines.push({ start, end: span.end });
  return lines;
}

/** The sentences that overlap a span, clipped to it (sentences are in text order). */
function clipSpans(sentences: readonly Span[], span: Span): Span[] {
  const clipped: Span[] = [];
  for (let s = firstEndingAfter(sentences, span.start); s < sentences.length && sentences[s]!.start < span.end; s++) {
    clipped.push({ start: Math.max(span.start, sentences[s]!.start), end: Math.min(span.end, sentences[s]!.end) });
  }
  return clipped;
}

/** Cut points of both lists, as spans ordered by their ends (only the ends are used as cuts). */
function mergeSpans(a: readonly Span[], b: readonly Span[]): Span[] {
  return [...a, ...b].sort((x, y) => x.end - y.end);
}
