/**
 * Excerpts: the verbatim span the bot quotes for a passage, in four pure steps
 * (after Lucene's UnifiedHighlighter):
 *   candidates — the passage's sentences, with the question terms each contains;
 *   score      — a run of whole sentences is worth the idf of the distinct terms it covers,
 *                so the rarest words of the question decide what is quoted;
 *   select     — the best run that fits, then sentences that add uncovered terms, then
 *                neighbouring sentences while room is left (context helps the reader);
 *   format     — cut the original text by offsets, join pieces that do not touch with " … ",
 *                collapse whitespace, and report matched words as highlight ranges.
 * A sentence longer than the whole budget is cut at word boundaries around its matches.
 */
import type { Span, TextAnalysis } from '../analysis/analyze.js';
import type { Excerpt, ExcerptCost } from '../types.js';
import { candidatesOf, findMatches, markAnswers } from './candidates.js';
import { displayedLengths, shownLength } from './displayed.js';
import { formatPieces, verbatimFlags, type PassageLook } from './format.js';
import { selectPieces } from './select.js';
import { TermBits } from './terms.js';
import { ANSWER_KIND_BOOST, EXCERPT_MAX_CHARS } from '../defaults.js';

export interface ExcerptOptions {
  /** Longest excerpt in characters, separators included. @defaultValue {@link EXCERPT_MAX_CHARS} (350) */
  maxChars?: number;
  /**
   * A run of sentences holding a word of the asked-for kind of answer counts 1 + this times its
   * question weight. @defaultValue {@link ANSWER_KIND_BOOST}
   */
  answerKindBoost?: number;
  /**
   * How the caller renders text, when `maxChars` is its room as rendered (escapes and emphasis
   * included) rather than characters shown. @defaultValue one per character shown
   */
  cost?: ExcerptCost;
}

const DEFAULT_EXCERPT_OPTIONS: Required<Omit<ExcerptOptions, 'cost'>> = {
  maxChars: EXCERPT_MAX_CHARS,
  answerKindBoost: ANSWER_KIND_BOOST,
};
export { ELLIPSIS, type PassageLook } from './format.js';

/**
 * Quote `text` (a passage) for a question whose terms carry the given weights.
 * `analysis` is the passage's words and sentences with offsets into `text`; `answerKinds`
 * (ANSWER_* bits) the kinds of answer the question asks for.
 */
export function buildExcerpt(
  text: string,
  analysis: TextAnalysis,
  termWeights: Map<string, number>,
  options: ExcerptOptions = {},
  answerKinds = 0,
  look?: PassageLook,
): Excerpt {
  const { maxChars, answerKindBoost, cost } = { ...DEFAULT_EXCERPT_OPTIONS, ...options };
  const bits = new TermBits(termWeights);
  const matches = findMatches(analysis.tokens, bits);
  const whole: Span = { start: 0, end: text.length };
  const code = look?.code !== undefined;
  // Code keeps its whitespace: every character counts; a page keeps its line breaks. A caller's
  // pricing adds its emphasis where each highlight and mark starts, and a code block its fences.
  const added = new Map<number, number>();
  if (cost) {
    const add = (at: number, extra: number) => added.set(at, (added.get(at) ?? 0) + Math.max(0, Math.ceil(extra)));
    for (const start of new Set(matches.map((m) => m.start))) add(start, cost.highlight);
    for (const mark of look?.marks ?? []) add(mark.start, cost.mark?.(mark) ?? 0);
  }
  const room = maxChars - (cost && code ? Math.max(0, Math.ceil(cost.codeBlock?.(look?.code ?? '') ?? 0)) : 0);
  const verbatimAt = verbatimFlags(text.length, look);
  const collapsed = displayedLengths(text, {
    verbatim: code,
    lineBreaks: look !== undefined,
    ...(verbatimAt ? { verbatimAt } : {}),
    ...(cost ? { cost, added } : {}),
  });
  if (shownLength(collapsed, whole) <= room) return formatPieces(text, [whole], matches, look, verbatimAt);
  const candidates = candidatesOf(analysis.sentences.length ? joinDottedNames(text, analysis.sentences) : [whole], matches);
  if (answerKindBoost > 0) markAnswers(candidates, analysis.tokens, text, answerKinds, bits);
  const pieces = selectPieces(text, collapsed, candidates, bits, Math.max(1, room), answerKindBoost);
  return formatPieces(text, pieces, matches, look, verbatimAt);
}

/**
 * The language model ends a sentence at the dot of "discord.js", "package.json" or "Node.js": a
 * quote must not open at "js first.". A sentence that starts right after a dot, with no space
 * between, goes on the one before.
 */
function joinDottedNames(text: string, sentences: readonly Span[]): Span[] {
  const joined: Span[] = [];
  for (const sentence of sentences) {
    const previous = joined.at(-1);
    if (previous && previous.end === sentence.start && text[sentence.start - 1] === '.' && /[\p{L}\p{N}]/u.test(text[sentence.start] ?? ''))
      previous.end = sentence.end;
    else joined.push({ start: sentence.start, end: sentence.end });
  }
  return joined;
}

/**
 * What an excerpt costs as `cost` prices it: each character of its text as it stands, one highlight
 * cost per highlight, each mark's cost and, for code, the block's. The exact price of a rendering
 * that `cost` bounds: {@link SearchHit.excerptWithin} checks its choice against it.
 */
export function excerptCost(excerpt: Excerpt, cost?: ExcerptCost): number {
  if (!cost) return excerpt.text.length;
  let total = Math.max(0, Math.ceil(cost.highlight)) * excerpt.highlights.length;
  for (const mark of excerpt.marks ?? []) total += Math.max(0, Math.ceil(cost.mark?.(mark) ?? 0));
  if (excerpt.code) total += Math.max(0, Math.ceil(cost.codeBlock?.(excerpt.code.language ?? '') ?? 0));
  const text = excerpt.text;
  for (let i = 0; i < text.length; i++) total += Math.max(1, Math.ceil(cost.char(text[i]!, text[i - 1] ?? '', text[i + 1] ?? '')));
  return total;
}
