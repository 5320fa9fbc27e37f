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
import type { Excerpt } from '../types.js';
import { candidatesOf, findMatches, markAnswers } from './candidates.js';
import { displayedLengths, shownLength } from './displayed.js';
import { formatPieces, type PassageLook } from './format.js';
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
}

export const DEFAULT_EXCERPT_OPTIONS: Required<ExcerptOptions> = { maxChars: EXCERPT_MAX_CHARS, answerKindBoost: ANSWER_KIND_BOOST };
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
  const { maxChars, answerKindBoost } = { ...DEFAULT_EXCERPT_OPTIONS, ...options };
  const bits = new TermBits(termWeights);
  const matches = findMatches(analysis.tokens, bits);
  const whole: Span = { start: 0, end: text.length };
  // Code keeps its whitespace: every character counts.
  const collapsed = displayedLengths(text, look?.code !== undefined);
  if (shownLength(collapsed, whole) <= maxChars) return formatPieces(text, [whole], matches, look);
  const candidates = candidatesOf(analysis.sentences.length ? analysis.sentences : [whole], matches);
  if (answerKindBoost > 0) markAnswers(candidates, analysis.tokens, text, answerKinds, bits);
  return formatPieces(text, selectPieces(text, collapsed, candidates, bits, maxChars, answerKindBoost), matches, look);
}
