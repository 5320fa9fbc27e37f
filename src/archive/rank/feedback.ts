/**
 * Pseudo-relevance feedback (after RM3) for topic searches: the best passages of a first ranking
 * are taken as relevant, the words they share are added to the query at a lower weight, and the
 * query is ranked again. Topics typed as a few words ("nuclear polluted water discharge") miss
 * the other words their subject is written with; the first results know them.
 *
 * Cost: one extra ranking plus a walk over the words of `passages` passages.
 */
import type { InvertedIndex } from '../postings/inverted-index.js';
import { NO_TERM } from '../postings/inverted-index.js';
import { inverseDocumentFrequency } from './bm25.js';
import type { AddedTerm, RankedPassage } from './ranking.js';

export interface FeedbackOptions {
  /** Passages of the first ranking taken as relevant. @defaultValue 10 */
  passages?: number;
  /** Words added to the query. @defaultValue 10 */
  terms?: number;
  /** Weight of the strongest added word relative to a typed word (the others scale down from it). @defaultValue 0.5 */
  weight?: number;
}

export const DEFAULT_FEEDBACK: Required<FeedbackOptions> = { passages: 10, terms: 10, weight: 0.5 };

/**
 * The words to add: each feedback passage votes for its words by their share of its length,
 * times the passage's share of the feedback passages' scores (RM1's relevance model), times the
 * word's idf, so words every passage holds add nothing. Question terms are not added again.
 */
export function feedbackTerms(
  index: InvertedIndex,
  first: readonly RankedPassage[],
  questionTerms: readonly string[],
  options: FeedbackOptions = {},
): AddedTerm[] {
  const { passages, terms, weight } = { ...DEFAULT_FEEDBACK, ...options };
  const top = first.slice(0, passages);
  const scoreSum = top.reduce((sum, r) => sum + r.score, 0);
  if (top.length === 0 || scoreSum <= 0) return [];
  const asked = new Set(questionTerms.map((term) => index.termIds.get(term)).filter((id) => id !== undefined));
  const votes = new Map<number, number>();
  for (const { passage, score } of top) {
    const positions = index.positions(passage);
    let length = 0;
    for (const id of positions) if (id !== NO_TERM) length++;
    if (length === 0) continue;
    const share = score / scoreSum / length;
    for (const id of positions) {
      if (id === NO_TERM || asked.has(id)) continue;
      votes.set(id, (votes.get(id) ?? 0) + share);
    }
  }
  const ranked = [...votes]
    .map(([id, vote]) => ({ id, value: vote * inverseDocumentFrequency(index.passageFrequency(id), index.passageCount) }))
    .sort((a, b) => b.value - a.value || a.id - b.id)
    .slice(0, terms);
  const strongest = ranked[0]?.value ?? 0;
  if (strongest <= 0) return [];
  return ranked.map(({ id, value }) => ({ term: index.data.terms[id]!, boost: (weight * value) / strongest }));
}
