/**
 * Spelling: the archive's words closest to a word it does not know ("Roskosmos" → "roscosmos"),
 * found through a symmetric-deletion map (after SymSpell) instead of comparing the word with the
 * whole vocabulary.
 *
 * Every index term (from 4 letters) is filed under the strings made by deleting up to two letters
 * from its first PREFIX letters (one letter for terms under 5 letters). A misspelt word's own
 * deletions meet its neighbours' there: two words within two edits of each other share a deletion
 * of their prefixes. Keys are 32-bit hashes in a hash table of flat typed arrays (about 12 bytes a
 * key), and a look-up is a few bucket scans plus an exact edit distance for each candidate,
 * capped at MAX_CANDIDATES.
 *
 * The map is built on first use (most archives never need it) and kept with the index.
 */
import type { InvertedIndex } from '../postings/inverted-index.js';

/** Letters of a word that its deletions are taken from (longer words are told apart by the rest). */
const PREFIX = 7;
/** Shortest index term filed in the map. */
const MIN_TERM_LENGTH = 4;
/** Most candidates whose exact distance is computed for one word. */
export const MAX_CANDIDATES = 300;

interface SpellingCandidate {
  termId: number;
  distance: number;
}

/** Work done by look-ups, for tests and benchmarks (comparisons = exact edit distances computed). */
interface SpellingWork {
  lookups: number;
  comparisons: number;
}

export class SpellingIndex {
  readonly work: SpellingWork = { lookups: 0, comparisons: 0 };
  /** A hash table in three flat arrays: bucket b holds entries bucketStart[b] .. bucketStart[b+1]. */
  private readonly bucketStart: Uint32Array;
  private readonly entryHash: Uint32Array;
  private readonly entryTerm: Uint32Array;
  private readonly mask: number;

  constructor(private readonly terms: readonly string[]) {
    const keysOf = terms.map((term) => (term.length >= MIN_TERM_LENGTH ? [...deletions(term, maxDeletesFor(term.length))].map(hash) : []));
    let count = 0;
    for (const keys of keysOf) count += keys.length;
    // A power of two at least the key count: buckets are short, and grouping them is a counting pass.
    let buckets = 1;
    while (buckets < count) buckets *= 2;
    this.mask = buckets - 1;
    this.bucketStart = new Uint32Array(buckets + 1);
    for (const keys of keysOf) for (const h of keys) this.bucketStart[(h & this.mask) + 1]!++;
    for (let b = 0; b < buckets; b++) this.bucketStart[b + 1]! += this.bucketStart[b]!;
    const next = this.bucketStart.slice(0, buckets);
    this.entryHash = new Uint32Array(count);
    this.entryTerm = new Uint32Array(count);
    keysOf.forEach((keys, id) => {
      for (const h of keys) {
        const at = next[h & this.mask]!++;
        this.entryHash[at] = h;
        this.entryTerm[at] = id;
      }
    });
  }

  /** Index terms within `maxEdits` of `word` (never `word` itself), nearest first. */
  lookup(word: string, maxEdits: number): SpellingCandidate[] {
    this.work.lookups++;
    const seen = new Set<number>();
    const found: SpellingCandidate[] = [];
    for (const key of deletions(word, maxEdits)) {
      const h = hash(key);
      const bucket = h & this.mask;
      for (let i = this.bucketStart[bucket]!, end = this.bucketStart[bucket + 1]!; i < end; i++) {
        if (this.entryHash[i] !== h) continue;
        const id = this.entryTerm[i]!;
        if (seen.has(id)) continue;
        seen.add(id);
        if (seen.size > MAX_CANDIDATES) return sortFound(found);
        const term = this.terms[id]!;
        if (term === word || Math.abs(term.length - word.length) > maxEdits) continue;
        this.work.comparisons++;
        const distance = boundedEditDistance(word, term, maxEdits);
        if (distance <= maxEdits) found.push({ termId: id, distance });
      }
    }
    return sortFound(found);
  }
}

function sortFound(found: SpellingCandidate[]): SpellingCandidate[] {
  return found.sort((a, b) => a.distance - b.distance || a.termId - b.termId);
}

/** Deletions kept for a term: two letters from 5 letters on, so two-edit look-ups find it. */
function maxDeletesFor(length: number): number {
  return length >= 5 ? 2 : 1;
}

/** The word's prefix with up to `max` letters deleted, the prefix itself included. */
function deletions(word: string, max: number): Set<string> {
  const out = new Set<string>([word.slice(0, PREFIX)]);
  let frontier = [...out];
  for (let d = 0; d < max; d++) {
    const next: string[] = [];
    for (const form of frontier) {
      if (form.length <= 1) continue;
      for (let i = 0; i < form.length; i++) {
        const shorter = form.slice(0, i) + form.slice(i + 1);
        if (!out.has(shorter)) {
          out.add(shorter);
          next.push(shorter);
        }
      }
    }
    frontier = next;
  }
  return out;
}

/** FNV-1a, 32 bits. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
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

const spellingByIndex = new WeakMap<InvertedIndex, SpellingIndex>();

/** The index's spelling map, built on first use. */
export function spellingIndexOf(index: InvertedIndex): SpellingIndex {
  let spelling = spellingByIndex.get(index);
  // Words as written, not stems: "harris" is two edits from "carry", while their stems are one apart.
  if (!spelling) spellingByIndex.set(index, (spelling = new SpellingIndex(index.data.termWords)));
  return spelling;
}

/** Most unknown question words looked up for one question: the rest are left as typed. */
export const MAX_WORDS_LOOKED_UP = 8;

/** Edits a correction may make to a word of this length, as search engines do: 1 from 5 letters, 2 from 9. */
export function correctionEdits(length: number): number {
  return length >= 9 ? 2 : length >= 5 ? 1 : 0;
}

/** Edits a suggestion may make: short words have too many near neighbours. */
function suggestionEdits(length: number): number {
  return length <= 3 ? 0 : length <= 5 ? 1 : 2;
}

/**
 * The one archive term a misspelt word stands for, or undefined when there is none or the choice
 * is not clear: the nearest word, if no other is as near, or if it is used at least DOMINANCE
 * times as often as every other as near. Words are compared as written (lower-cased), not stemmed.
 */
export function correctWord(index: InvertedIndex, word: string, maxEdits: number): number | undefined {
  if (maxEdits === 0) return undefined;
  const candidates = spellingIndexOf(index).lookup(word.toLowerCase(), maxEdits);
  if (candidates.length === 0) return undefined;
  const nearest = candidates.filter((c) => c.distance === candidates[0]!.distance);
  if (nearest.length === 1) return nearest[0]!.termId;
  const usage = (id: number) => index.passageFrequency(id) + index.titleFrequency(id);
  const ranked = nearest.sort((a, b) => usage(b.termId) - usage(a.termId));
  return usage(ranked[0]!.termId) >= DOMINANCE * usage(ranked[1]!.termId) ? ranked[0]!.termId : undefined;
}
const DOMINANCE = 10;

/** Archive words spelled like the question's unknown words, for an empty answer (nearest, then commonest). */
export function suggestWords(index: InvertedIndex, query: { terms: readonly string[]; words: readonly string[] }, limit = 5): string[] {
  const { termWords } = index.data;
  const found: Array<{ word: string; distance: number; frequency: number }> = [];
  let looked = 0;
  query.terms.forEach((term, i) => {
    const word = (query.words[i] ?? term).toLowerCase();
    if (index.termIds.has(term)) return;
    const maxEdits = suggestionEdits(word.length);
    if (maxEdits === 0 || looked++ >= MAX_WORDS_LOOKED_UP) return;
    for (const { termId, distance } of spellingIndexOf(index).lookup(word, maxEdits)) {
      found.push({ word: termWords[termId]!, distance, frequency: index.passageFrequency(termId) + index.titleFrequency(termId) });
    }
  });
  found.sort((a, b) => a.distance - b.distance || b.frequency - a.frequency || a.word.localeCompare(b.word));
  return [...new Set(found.map((f) => f.word))].slice(0, limit);
}
