/**
 * Suggestions for a question that found nothing: the archive's words closest in spelling
 * to the question's words the archive has never seen ("Pootin" → "putin").
 */
import type { InvertedIndex } from '../index/inverted-index.js';

export interface SuggestOptions {
  /** Most words to suggest. @defaultValue 5 */
  limit?: number;
}

/** Edits allowed for a word of this length: short words have too many near neighbours. */
function allowedEdits(length: number): number {
  return length <= 3 ? 0 : length <= 5 ? 1 : 2;
}

export function suggestWords(index: InvertedIndex, queryTerms: readonly string[], { limit = 5 }: SuggestOptions = {}): string[] {
  const { terms, termWords } = index.data;
  const found: Array<{ word: string; distance: number; frequency: number }> = [];
  for (const term of queryTerms) {
    if (index.termIds.has(term)) continue;
    const maxEdits = allowedEdits(term.length);
    if (maxEdits === 0) continue;
    for (let id = 0; id < terms.length; id++) {
      const candidate = terms[id]!;
      if (Math.abs(candidate.length - term.length) > maxEdits) continue;
      const distance = boundedEditDistance(term, candidate, maxEdits);
      if (distance <= maxEdits) {
        found.push({ word: termWords[id]!, distance, frequency: index.passageFrequency(id) + index.titleFrequency(id) });
      }
    }
  }
  found.sort((a, b) => a.distance - b.distance || b.frequency - a.frequency || a.word.localeCompare(b.word));
  return [...new Set(found.map((f) => f.word))].slice(0, limit);
}

/** Levenshtein distance, or maxEdits + 1 as soon as it must exceed maxEdits. */
export function boundedEditDistance(a: string, b: string, maxEdits: number): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > maxEdits) return maxEdits + 1;
    previous = current;
  }
  return previous[b.length]!;
}
