/**
 * Morphological relatives the stemmer misses ("teach"/"teacher", "Syria"/"Syrian"): at question
 * time each longer question term is joined by the archive's terms that share its long prefix,
 * at a lower weight than the word typed. No index memory: a sorted list of term ids, built on
 * first use, is searched by binary search.
 */
import type { InvertedIndex } from '../postings/inverted-index.js';
import type { AddedTerm } from './ranking.js';

export interface PrefixExpansionOptions {
  /** Shortest question term expanded; its prefix is all but its last two letters, at least this long. @defaultValue 5 */
  minLength?: number;
  /** Most relatives added per question term. @defaultValue 3 */
  perTerm?: number;
  /** Weight of a relative relative to the typed word. @defaultValue 0.5 */
  weight?: number;
}

const sortedByIndex = new WeakMap<InvertedIndex, Uint32Array>();

function sortedTerms(index: InvertedIndex): Uint32Array {
  let sorted = sortedByIndex.get(index);
  if (!sorted) {
    const terms = index.data.terms;
    sorted = Uint32Array.from(terms.keys()).sort((a, b) => (terms[a]! < terms[b]! ? -1 : terms[a]! > terms[b]! ? 1 : 0));
    sortedByIndex.set(index, sorted);
  }
  return sorted;
}

export function prefixRelatives(index: InvertedIndex, questionTerms: readonly string[], options: PrefixExpansionOptions = {}): AddedTerm[] {
  const { minLength = 5, perTerm = 3, weight = 0.5 } = options;
  const terms = index.data.terms;
  const sorted = sortedTerms(index);
  const asked = new Set(questionTerms);
  const added: AddedTerm[] = [];
  for (const term of questionTerms) {
    if (term.length < minLength || !/^\p{L}+$/u.test(term)) continue;
    const prefix = term.slice(0, Math.max(minLength, term.length - 2));
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (terms[sorted[mid]!]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    // The relatives nearest in length first: "syrian" for "syria" before "syrianization".
    const relatives: string[] = [];
    for (let i = lo; i < sorted.length && relatives.length < 50; i++) {
      const candidate = terms[sorted[i]!]!;
      if (!candidate.startsWith(prefix)) break;
      if (!asked.has(candidate) && Math.abs(candidate.length - term.length) <= 3) relatives.push(candidate);
    }
    relatives.sort((a, b) => Math.abs(a.length - term.length) - Math.abs(b.length - term.length) || (a < b ? -1 : 1));
    for (const relative of relatives.slice(0, perTerm)) {
      asked.add(relative);
      added.push({ term: relative, boost: weight });
    }
  }
  return added;
}
