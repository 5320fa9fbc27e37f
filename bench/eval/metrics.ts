/**
 * Pure metric functions of the evaluation protocol (../shared/eval/README.md).
 * Everything here is deterministic and tested in tests/bench-metrics.test.ts.
 */

/** 1-based rank of `gold` in `ranked`, or 0 when it is absent. */
export function rankOf(ranked: readonly string[], gold: string): number {
  const i = ranked.indexOf(gold);
  return i < 0 ? 0 : i + 1;
}

/** Reciprocal rank of `gold` within the first `k` results (0 when it is not there). */
export function reciprocalRankAt(ranked: readonly string[], gold: string, k: number): number {
  const rank = rankOf(ranked.slice(0, k), gold);
  return rank === 0 ? 0 : 1 / rank;
}

/** Cranfield's gain for a grade: 1 (complete answer) → 4, …, 4 (minimal interest) → 1; anything else → 0. */
export function cranfieldGain(grade: number | undefined): number {
  return grade !== undefined && grade >= 1 && grade <= 4 ? 5 - grade : 0;
}

/**
 * nDCG@k with linear gains: DCG = Σ gain(rank i) / log2(i + 1) over the first k
 * results, divided by the DCG of the ideal order of all judged gains.
 * Returns undefined when the query has no positive judgement (nDCG is undefined then).
 */
export function ndcgAt(ranked: readonly string[], gains: ReadonlyMap<string, number>, k: number): number | undefined {
  const ideal = [...gains.values()].filter((g) => g > 0).sort((a, b) => b - a);
  if (ideal.length === 0) return undefined;
  const dcg = (list: readonly number[]) => list.slice(0, k).reduce((sum, gain, i) => sum + gain / Math.log2(i + 2), 0);
  const seen = new Set<string>();
  const got = ranked.map((id) => {
    // A system that returns a document twice gets credit for it once.
    if (seen.has(id)) return 0;
    seen.add(id);
    return gains.get(id) ?? 0;
  });
  return dcg(got) / dcg(ideal);
}

/** Case-insensitive, whitespace-collapsed form used to look for an answer in a quote. */
export function normaliseForMatch(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Whether one of the answers occurs in the excerpt (protocol: case-insensitive, whitespace collapsed). */
export function answerInExcerpt(excerpt: string | undefined, answers: readonly string[]): boolean {
  if (!excerpt) return false;
  const haystack = normaliseForMatch(excerpt);
  return answers.some((answer) => {
    const needle = normaliseForMatch(answer);
    return needle.length > 0 && haystack.includes(needle);
  });
}

/** The q-quantile (0..1) of a list of numbers, nearest-rank method; NaN for an empty list. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

/** Arithmetic mean; NaN for an empty list. */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}
