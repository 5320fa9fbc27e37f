/**
 * Quoting across a paragraph break: a news story often names its subject in one paragraph and
 * gives the asked-for date, number or name at the start of the next ("The finals will be held on
 * Nov. 3."). When the paragraph after the matched one opens with a word of the kind the question
 * asks for, the quote may be cut from both paragraphs; the excerpt's own choice of sentences then
 * decides whether the answer or the match is shown.
 */
import type { TextAnalysis } from '../analysis/analyze.js';
import { markAnswers } from './candidates.js';
import { TermBits } from './terms.js';

/** Whether the first sentence of a passage holds a word of the asked-for kinds that is not a question word. */
export function opensWithAnswer(analysis: TextAnalysis, text: string, kinds: number, termWeights: Map<string, number>): boolean {
  const first = analysis.sentences[0];
  if (!kinds || !first) return false;
  const candidate = { start: first.start, end: first.end, matches: [], mask: 0, answers: false };
  markAnswers([candidate], analysis.tokens, text, kinds, new TermBits(termWeights));
  return candidate.answers;
}

/** Two consecutive passages' analyses as one, both with offsets from the first passage's start. */
export function joinAnalyses(first: TextAnalysis, second: TextAnalysis): TextAnalysis {
  return { tokens: [...first.tokens, ...second.tokens], sentences: [...first.sentences, ...second.sentences] };
}
