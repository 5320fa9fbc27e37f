/**
 * Ranking: a question's terms → scored passages → the few worth quoting.
 *
 * Score = BM25 over the passage body + titleWeight × BM25 over the document title.
 *
 * Thin-match rule: each question term weighs its idf (a word the archive has never
 * seen weighs as much as the rarest word it has). A passage is an answer only when
 * the terms it matches carry at least `minCoverage` of the question's total weight.
 * So "Kim Jong Un's hobbies" does not come back with any passage naming Kim when no
 * passage mentions hobbies, while a question whose distinctive words all match does.
 *
 * Diversity: no document gets more than `maxPerDocument` of the leading results while
 * passages from other documents qualify; its further passages follow after them.
 */
import type { QueryAnalysis } from './analysis.js';
import { DEFAULT_BM25, inverseDocumentFrequency, termFrequencyFactor, type Bm25Params } from './bm25.js';
import { NO_TERM, type InvertedIndex } from './inverted-index.js';

export interface RankingOptions {
  /** BM25 parameters for passage bodies. @defaultValue DEFAULT_BM25 */
  bm25?: Bm25Params;
  /** Weight of a document-title match relative to a body match. @defaultValue 0.5 */
  titleWeight?: number;
  /** Share of the question's idf weight a passage must match to count as an answer. @defaultValue 0.4 */
  minCoverage?: number;
  /** Leading results one document may take while others also match. @defaultValue 2 */
  maxPerDocument?: number;
  /**
   * Bonus per pair of distinct question terms found close together (within `proximityWindow`
   * words), as a share of the smaller term's idf. @defaultValue 0.3
   */
  proximityWeight?: number;
  /** Word distance within which two question terms count as close. @defaultValue 5 */
  proximityWindow?: number;
}

export const DEFAULT_RANKING: Required<RankingOptions> = {
  bm25: DEFAULT_BM25,
  titleWeight: 0.5,
  minCoverage: 0.4,
  maxPerDocument: 2,
  proximityWeight: 0.3,
  proximityWindow: 5,
};

export interface RankedPassage {
  passage: number;
  score: number;
}

export interface Ranking {
  /** The requested slice of the ranked list. */
  ranked: RankedPassage[];
  /** All passages that qualified, for paging. */
  total: number;
  /** idf weight of each question term (unknown terms included), for excerpts and reports. */
  termWeights: Map<string, number>;
  emptyReason?: 'no-terms' | 'no-match' | 'too-thin';
}

export interface RankRequest {
  query: QueryAnalysis;
  /** Keep only passages of documents this accepts; undefined keeps all. */
  acceptDocument?: (document: number) => boolean;
  offset: number;
  limit: number;
}

// The coverage bitmask holds 32 terms; longer questions still score every term, and
// terms past the 32nd simply count as matched for coverage (they cannot tip it to "thin").
const MAX_MASKED_TERMS = 32;

/** Scratch buffers reused across queries: allocating them per query costs more than scoring. */
interface Scratch {
  scores: Float64Array;
  masks: Uint32Array;
  touched: Uint32Array;
}
const scratchByIndex = new WeakMap<InvertedIndex, Scratch>();

function scratchFor(index: InvertedIndex): Scratch {
  let scratch = scratchByIndex.get(index);
  if (!scratch) {
    const n = index.passageCount;
    scratch = { scores: new Float64Array(n), masks: new Uint32Array(n), touched: new Uint32Array(n) };
    scratchByIndex.set(index, scratch);
  }
  return scratch;
}

export function rankPassages(index: InvertedIndex, request: RankRequest, options: RankingOptions = {}): Ranking {
  const settings = { ...DEFAULT_RANKING, ...options };
  const { query, acceptDocument, offset, limit } = request;
  const passageCount = index.passageCount;
  const termWeights = new Map<string, number>();
  if (query.terms.length === 0) return { ranked: [], total: 0, termWeights, emptyReason: 'no-terms' };

  const termIds = query.terms.map((term) => index.termIds.get(term) ?? -1);
  query.terms.forEach((term, i) => {
    const id = termIds[i]!;
    termWeights.set(term, inverseDocumentFrequency(id < 0 ? 0 : index.passageFrequency(id), passageCount));
  });
  const weights = query.terms.map((term) => termWeights.get(term)!);
  const totalWeight = weights.reduce((sum, w) => sum + w, 0);

  const { scores, masks, touched } = scratchFor(index);
  let touchedCount = 0;
  const data = index.data;
  const { k1, b } = settings.bm25;

  for (let q = 0; q < termIds.length; q++) {
    const id = termIds[q]!;
    if (id < 0) continue;
    const weight = weights[q]!;
    const bit = q < MAX_MASKED_TERMS ? 1 << q : 0;
    // Body field.
    const average = index.averagePassageLength || 1;
    for (let i = data.postingStart[id]!, end = data.postingStart[id + 1]!; i < end; i++) {
      const passage = data.postingPassage[i]!;
      const tf = data.postingFrequency[i]!;
      const norm = k1 * (1 - b + (b * data.passageLength[passage]!) / average);
      if (masks[passage] === 0 && scores[passage] === 0) touched[touchedCount++] = passage;
      scores[passage]! += (weight * tf * (k1 + 1)) / (tf + norm);
      masks[passage]! |= bit;
    }
    // Title field: a title match counts for every passage of its document.
    if (settings.titleWeight > 0) {
      for (let i = data.titleStart[id]!, end = data.titleStart[id + 1]!; i < end; i++) {
        const document = data.titleDocument[i]!;
        const titleScore =
          settings.titleWeight *
          weight *
          termFrequencyFactor(data.titleFrequency[i]!, data.titleLength[document]!, index.averageTitleLength, settings.bm25);
        const first = data.documentFirstPassage[document]!;
        for (let p = first, last = first + data.documentPassageCount[document]!; p < last; p++) {
          if (masks[p] === 0 && scores[p] === 0) touched[touchedCount++] = p;
          scores[p]! += titleScore;
          masks[p]! |= bit;
        }
      }
    }
  }

  const phraseIds = query.phrases.map((phrase) => phrase.map((term) => (term ? (index.termIds.get(term) ?? -2) : NO_TERM)));
  const candidates: RankedPassage[] = [];
  let anyMatch = touchedCount > 0;
  for (let i = 0; i < touchedCount; i++) {
    const passage = touched[i]!;
    const score = scores[passage]!;
    const mask = masks[passage]!;
    scores[passage] = 0;
    masks[passage] = 0;
    if (acceptDocument && !acceptDocument(data.passageDocument[passage]!)) continue;
    if (coverage(mask, weights, totalWeight) < settings.minCoverage) continue;
    const positions = index.positions(passage);
    if (!phraseIds.every((phrase) => containsPhrase(positions, phrase))) continue;
    candidates.push({ passage, score: score + proximityBonus(positions, termIds, weights, settings) });
  }

  if (candidates.length === 0) {
    return { ranked: [], total: 0, termWeights, emptyReason: anyMatch ? 'too-thin' : 'no-match' };
  }
  const wanted = offset + limit;
  const leading = topByScore(candidates, Math.max(wanted * 4, wanted + 20));
  const ordered = diversify(leading, (p) => data.passageDocument[p]!, settings.maxPerDocument);
  return { ranked: ordered.slice(offset, wanted), total: candidates.length, termWeights };
}

function coverage(mask: number, weights: number[], totalWeight: number): number {
  if (totalWeight <= 0) return 1;
  let matched = 0;
  for (let q = 0; q < weights.length; q++) {
    if (q >= MAX_MASKED_TERMS || mask & (1 << q)) matched += weights[q]!;
  }
  return matched / totalWeight;
}

/** Does the passage hold the phrase's terms at consecutive positions? (NO_TERM = any word) */
function containsPhrase(positions: Int32Array, phrase: number[]): boolean {
  const length = phrase.length;
  outer: for (let start = 0; start + length <= positions.length; start++) {
    for (let k = 0; k < length; k++) {
      const want = phrase[k]!;
      if (want !== NO_TERM && positions[start + k] !== want) continue outer;
    }
    return true;
  }
  return false;
}

/**
 * Reward passages where distinct question terms occur near each other: "met Putin at the
 * Vostochny Spaceport" answers a question about a meeting better than the same words scattered.
 */
function proximityBonus(
  positions: Int32Array,
  termIds: number[],
  weights: number[],
  { proximityWeight, proximityWindow }: Required<RankingOptions>,
): number {
  if (proximityWeight <= 0 || termIds.length < 2) return 0;
  const lastSeen = new Map<number, number>();
  const queryIndex = new Map<number, number>();
  termIds.forEach((id, q) => id >= 0 && !queryIndex.has(id) && queryIndex.set(id, q));
  const rewarded = new Set<number>();
  let bonus = 0;
  for (let position = 0; position < positions.length; position++) {
    const id = positions[position]!;
    const q = queryIndex.get(id);
    if (q === undefined) continue;
    for (const [otherId, seenAt] of lastSeen) {
      if (otherId === id || position - seenAt > proximityWindow) continue;
      const other = queryIndex.get(otherId)!;
      const pairKey = Math.min(q, other) * MAX_MASKED_TERMS * 4 + Math.max(q, other);
      if (rewarded.has(pairKey)) continue;
      rewarded.add(pairKey);
      bonus += proximityWeight * Math.min(weights[q]!, weights[other]!);
    }
    lastSeen.set(id, position);
  }
  return bonus;
}

/** The `count` best candidates, best first: a bounded min-heap, O(n log count), no full sort. */
function topByScore(candidates: RankedPassage[], count: number): RankedPassage[] {
  const better = (x: RankedPassage, y: RankedPassage) => x.score > y.score || (x.score === y.score && x.passage < y.passage);
  const heap: RankedPassage[] = [];
  for (const candidate of candidates) {
    if (heap.length < count) {
      heap.push(candidate);
      siftUp(heap, heap.length - 1, better);
    } else if (better(candidate, heap[0]!)) {
      heap[0] = candidate;
      siftDown(heap, 0, better);
    }
  }
  return heap.sort((x, y) => (better(x, y) ? -1 : 1));
}

// The heap's root is its worst element: a parent is never better than its children.
function siftUp<T>(heap: T[], at: number, better: (x: T, y: T) => boolean): void {
  while (at > 0) {
    const parent = (at - 1) >> 1;
    if (!better(heap[parent]!, heap[at]!)) break;
    [heap[parent], heap[at]] = [heap[at]!, heap[parent]!];
    at = parent;
  }
}

function siftDown<T>(heap: T[], at: number, better: (x: T, y: T) => boolean): void {
  for (;;) {
    let worst = at;
    for (const child of [2 * at + 1, 2 * at + 2]) {
      if (child < heap.length && better(heap[worst]!, heap[child]!)) worst = child;
    }
    if (worst === at) return;
    [heap[worst], heap[at]] = [heap[at]!, heap[worst]!];
    at = worst;
  }
}

/** Stable reorder: a document's passages beyond the first `cap` move after every other document's. */
function diversify(ranked: RankedPassage[], documentOf: (passage: number) => number, cap: number): RankedPassage[] {
  const seen = new Map<number, number>();
  const leading: RankedPassage[] = [];
  const trailing: RankedPassage[] = [];
  for (const hit of ranked) {
    const document = documentOf(hit.passage);
    const count = seen.get(document) ?? 0;
    seen.set(document, count + 1);
    (count < cap ? leading : trailing).push(hit);
  }
  return leading.concat(trailing);
}
