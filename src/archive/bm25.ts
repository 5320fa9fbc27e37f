/**
 * BM25 scoring as pure functions over a documented parameter object.
 * Kept apart from the index so the formula can be read, tested and tuned alone.
 */

export interface Bm25Params {
  /** Term-frequency saturation: how quickly repeats of a word stop adding score. @defaultValue 1.2 */
  k1: number;
  /** Length normalisation: 0 ignores passage length, 1 normalises fully. @defaultValue 0.75 */
  b: number;
}

export const DEFAULT_BM25: Bm25Params = { k1: 1.2, b: 0.75 };

/** Inverse document frequency (the Lucene/Okapi form that never goes negative). */
export function inverseDocumentFrequency(documentFrequency: number, documentCount: number): number {
  return Math.log(1 + (documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

/** The saturated, length-normalised term-frequency factor of BM25 (multiply by idf for the score). */
export function termFrequencyFactor(
  termFrequency: number,
  length: number,
  averageLength: number,
  { k1, b }: Bm25Params,
): number {
  const norm = k1 * (1 - b + (b * length) / (averageLength || 1));
  return (termFrequency * (k1 + 1)) / (termFrequency + norm);
}
