/**
 * Near-duplicate folding: the same story filed twice with small edits should take one slot of an
 * answer, not two. Among the ranked passages, one whose words overlap an earlier result's almost
 * entirely (Jaccard similarity of word 3-shingles, over the index's term ids) from another
 * document is folded into that result, which names it; the next passage takes its slot. Two
 * documents with the same URL are one story filed twice (a re-issue with a new headline and edits
 * throughout), so between them a lower similarity folds.
 *
 * Work is bounded by the passages looked at (the requested hits plus as many again), never by the
 * archive's size.
 */
import { NO_TERM } from '../postings/inverted-index.js';
import type { RankedPassage } from './ranking.js';

interface FoldedPassage extends RankedPassage {
  /** Passages of other documents folded into this one, best first. */
  duplicates: number[];
}

/** Hashes of a passage's word 3-shingles (stop words left out, so small wording edits count less). */
export function shingles(positions: ArrayLike<number>): Set<number> {
  const words: number[] = [];
  for (let i = 0; i < positions.length; i++) if (positions[i] !== NO_TERM) words.push(positions[i]!);
  const out = new Set<number>();
  if (words.length < 3) {
    if (words.length) out.add(Math.imul(words[0]!, 0x9e3779b1) ^ (words[1] ?? 0));
    return out;
  }
  for (let i = 0; i + 2 < words.length; i++) {
    out.add((Math.imul(words[i]!, 0x9e3779b1) ^ Math.imul(words[i + 1]!, 0x85ebca77) ^ Math.imul(words[i + 2]!, 0xc2b2ae3d)) >>> 0);
  }
  return out;
}

export function jaccard(a: Set<number>, b: Set<number>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const h of small) if (large.has(h)) shared++;
  return shared / (a.size + b.size - shared);
}

interface FoldingRule {
  /** Similarity at which passages of two documents are one story. */
  threshold: number;
  /** Whether two documents are known to be one story (the same URL), and the lower similarity that folds then. */
  sameStory: (a: number, b: number) => boolean;
  sameStoryThreshold: number;
}

/**
 * The first `limit` passages of `ranked` with near-duplicates (similarity at the rule's threshold,
 * other documents) folded into the earlier, better-ranked one.
 */
export function foldNearDuplicates(
  ranked: readonly RankedPassage[],
  limit: number,
  positions: (passage: number) => ArrayLike<number>,
  documentOf: (passage: number) => number,
  rule: FoldingRule,
): FoldedPassage[] {
  const thresholdFor = (a: number, b: number) => (rule.sameStory(a, b) ? rule.sameStoryThreshold : rule.threshold);
  const kept: Array<FoldedPassage & { size: number; shingles?: Set<number> }> = [];
  const shinglesOf = (k: { passage: number; shingles?: Set<number> }) => (k.shingles ??= shingles(positions(k.passage)));
  for (const hit of ranked) {
    const document = documentOf(hit.passage);
    const size = positions(hit.passage).length;
    const candidate = { passage: hit.passage } as { passage: number; shingles?: Set<number> };
    // Passages of very different lengths cannot be this similar: compare shingles only when it can matter.
    const twin = kept.find((k) => {
      const other = documentOf(k.passage);
      if (other === document) return false;
      const threshold = thresholdFor(other, document);
      return Math.min(k.size, size) >= threshold * Math.max(k.size, size) && jaccard(shinglesOf(k), shinglesOf(candidate)) >= threshold;
    });
    if (twin) {
      twin.duplicates.push(hit.passage);
      continue;
    }
    if (kept.length === limit) break;
    kept.push({ ...hit, duplicates: [], size, ...(candidate.shingles ? { shingles: candidate.shingles } : {}) });
  }
  return kept.map(({ passage, score, duplicates }) => ({ passage, score, duplicates }));
}
