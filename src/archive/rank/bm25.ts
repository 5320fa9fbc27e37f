/**
 * BM25 scoring as pure functions over a documented parameter object.
 * Kept apart from the index so the formula can be read, tested and tuned alone.
 */

import { BM25_B, BM25_K1 } from '../defaults.js';

export interface Bm25Params {
  /** Term-frequency saturation: how quickly repeats of a word stop adding score. @defaultValue 1.0 */
  k1: number;
  /** Length normalisation: 0 ignores passage length, 1 normalises fully. @defaultValue 0.5 */
  b: number;
}

/**
 * Tuned on SQuAD and Cranfield (see docs/benchmarks.md): passages are paragraphs of similar
 * length, so full length normalisation (Okapi's b = 0.75) over-rewards the short ones.
 */
export const DEFAULT_BM25: Bm25Params = { k1: BM25_K1, b: BM25_B };

/** Inverse document frequency (the Lucene/Okapi form that never goes negative). */
export function inverseDocumentFrequency(documentFrequency: number, documentCount: number): number {
  return Math.log(1 + (documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

/**
 * A field's term frequency divided by its length normalisation (BM25F combines these,
 * field-weighted, before saturation).
 */
export function normalizedFrequency(termFrequency: number, length: number, averageLength: number, { b }: Bm25Params): number {
  return termFrequency / lengthNormalization(length, averageLength, b);
}

/** BM25's length normalisation of a field: `1 - b + b × length / average length`. */
export function lengthNormalization(length: number, averageLength: number, b: number): number {
  return 1 - b + (b * length) / (averageLength || 1);
}

/** BM25's saturation of a (combined, normalised) term frequency; multiply by idf for the score. */
export function saturate(frequency: number, { k1 }: Bm25Params): number {
  return (frequency * (k1 + 1)) / (frequency + k1);
}
