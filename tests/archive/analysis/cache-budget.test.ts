/**
 * The per-word memo tables that questions feed are capped by size, not by entries (issue 10,
 * item 17): 10,000 long nonsense questions grew the heap from 35 to 167 MB under a 500,000-entry cap.
 */
import { describe, expect, it } from 'vitest';
import { ANALYSIS_CACHE_BUDGET_BYTES, analysisCacheBytes, analyzeQuery, termsOfWord } from '../../../src/archive/analysis/analyze.js';
import { SizedCache } from '../../../src/archive/analysis/sized-cache.js';

describe('analysis memo tables', () => {
  it('stay within their byte budget however many distinct long words questions bring', () => {
    const word = (i: number) => `Zq${i.toString(36).padStart(8, 'x')}${'w'.repeat(20)}`;
    // 250,000 distinct 30-character words: about 60 MB of entries without a byte cap.
    for (let i = 0; i < 250_000; i++) termsOfWord(word(i), false);
    expect(analysisCacheBytes()).toBeGreaterThan(0);
    expect(analysisCacheBytes()).toBeLessThanOrEqual(ANALYSIS_CACHE_BUDGET_BYTES);
    // Emptying a table loses nothing: a word analysed again gets the same terms.
    expect(termsOfWord(word(7), false)).toEqual(termsOfWord(word(7), false));
    expect(analyzeQuery('reservoir repairs').terms).toEqual(['reservoir', 'repair']);
  });
});

describe('SizedCache', () => {
  it('empties itself when the next entry would pass the budget', () => {
    const cache = new SizedCache<string>(1000, (value) => 2 * value.length);
    cache.set('a', 'x'.repeat(100)); // 96 + 2 + 200
    cache.set('b', 'x'.repeat(100));
    cache.set('c', 'x'.repeat(100));
    expect(cache.bytes).toBe(894);
    cache.set('d', 'x'.repeat(100));
    expect([cache.get('a'), cache.get('d')?.length]).toEqual([undefined, 100]);
    expect(cache.bytes).toBe(298);
  });
});
