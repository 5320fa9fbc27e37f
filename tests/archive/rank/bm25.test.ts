import { describe, expect, it } from 'vitest';
import { DEFAULT_BM25, inverseDocumentFrequency, normalizedFrequency, saturate } from '../../../src/archive/rank/bm25.js';

describe('BM25 parts', () => {
  it('idf falls as a term gets commoner and never goes negative', () => {
    const rare = inverseDocumentFrequency(1, 1000);
    const common = inverseDocumentFrequency(500, 1000);
    const everywhere = inverseDocumentFrequency(1000, 1000);
    expect(rare).toBeGreaterThan(common);
    expect(common).toBeGreaterThan(everywhere);
    expect(everywhere).toBeGreaterThan(0);
    expect(inverseDocumentFrequency(1, 1000)).toBeCloseTo(Math.log(1 + 999.5 / 1.5), 10);
  });

  it('normalises by length: longer than average lowers the frequency, b = 0 ignores length', () => {
    expect(normalizedFrequency(2, 100, 100, DEFAULT_BM25)).toBeCloseTo(2, 10);
    expect(normalizedFrequency(2, 200, 100, DEFAULT_BM25)).toBeLessThan(2);
    expect(normalizedFrequency(2, 50, 100, DEFAULT_BM25)).toBeGreaterThan(2);
    expect(normalizedFrequency(2, 500, 100, { k1: 1, b: 0 })).toBe(2);
  });

  it('saturates: more repeats add less, and the factor stays under k1 + 1', () => {
    const params = { k1: 1.2, b: 0.75 };
    const one = saturate(1, params);
    const two = saturate(2, params);
    const many = saturate(1000, params);
    expect(one).toBeCloseTo(1, 10);
    expect(two - one).toBeLessThan(one);
    expect(many).toBeLessThan(params.k1 + 1);
    expect(saturate(0, params)).toBe(0);
  });
});
