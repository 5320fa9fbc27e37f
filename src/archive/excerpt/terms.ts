/** The question's terms as bits of one integer, so a set of covered terms is a mask and its weight a sum over bits. */
import { QUESTION_TERMS_MAX } from '../defaults.js';

/** Question terms as bits, so a set of covered terms is one integer and its weight a sum over bits. */
export class TermBits {
  private readonly bitOf = new Map<string, number>();
  private readonly weights: number[] = [];

  constructor(termWeights: Map<string, number>) {
    for (const [term, weight] of termWeights) {
      if (this.weights.length === QUESTION_TERMS_MAX) break; // the rest still match, they just add no weight
      this.bitOf.set(term, 1 << this.weights.length);
      this.weights.push(weight);
    }
  }

  has(term: string): boolean {
    return this.bitOf.has(term);
  }

  maskOf(terms: Iterable<string>): number {
    let mask = 0;
    for (const term of terms) mask |= this.bitOf.get(term) ?? 0;
    return mask;
  }

  weightOf(mask: number): number {
    let weight = 0;
    for (let bit = 0; mask !== 0; bit++, mask >>>= 1) if (mask & 1) weight += this.weights[bit]!;
    return weight;
  }
}
