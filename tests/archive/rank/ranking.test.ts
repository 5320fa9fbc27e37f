import { describe, expect, test } from 'vitest';
import { rankPassages, type RankingOptions } from '../../../src/archive/rank/ranking.js';
import { threePassageIndex } from '../three-passages.js';

const index = threePassageIndex();

function rank(terms: string[], options: RankingOptions = {}, phrases: string[][] = []) {
  return rankPassages(index, { query: { terms, phrases }, offset: 0, limit: 10 }, options);
}
const order = (ranking: ReturnType<typeof rank>) => ranking.ranked.map((r) => r.passage);

describe('rankPassages over a hand-built three-passage index', () => {
  test("coordination: a passage holding half the question's weight keeps coverage^0.5 of its score", () => {
    // "rocket" and "spaceport" are equally rare (2 of 3 passages), so p1 ("rocket" only) covers half.
    const score = (ranking: ReturnType<typeof rank>, passage: number) => ranking.ranked.find((r) => r.passage === passage)!.score;
    const coordinated = rank(['rocket', 'spaceport'], { sentenceWeight: 0 });
    const plain = rank(['rocket', 'spaceport'], { sentenceWeight: 0, coordination: 0 });
    expect(score(coordinated, 0)).toBeCloseTo(score(plain, 0), 9);
    expect(score(coordinated, 1) / score(plain, 1)).toBeCloseTo(Math.SQRT1_2, 6);
    expect(order(coordinated)[0]).toBe(0);
  });

  test('the thin-match bar: matching one of three equally rare words is not an answer', () => {
    const ranking = rank(['launch', 'engines', 'leaders']);
    expect(ranking.ranked).toEqual([]);
    expect(ranking.emptyReason).toBe('too-thin');
    // Lowering the bar lets them through, each for its one word.
    expect(order(rank(['launch', 'engines', 'leaders'], { minCoverage: 0.3 })).sort()).toEqual([0, 1, 2]);
  });

  test('a question with no indexed word is "no-match", one with no terms at all "no-terms"', () => {
    expect(rank(['zebra']).emptyReason).toBe('no-match');
    expect(rank([]).emptyReason).toBe('no-terms');
  });

  test('diversity: one document takes at most maxPerDocument leading results while another matches', () => {
    expect(order(rank(['rocket', 'spaceport'], { maxPerDocument: 1 })).slice(0, 2)).toEqual([0, 2]);
    const twoEach = order(rank(['rocket', 'spaceport'], { maxPerDocument: 2 }));
    expect(twoEach).toHaveLength(3);
    expect(twoEach[0]).toBe(0);
  });

  test('phrases keep their gaps: stop-word positions match any word, order matters', () => {
    // "launch at the spaceport": two stop words between.
    const held = rank(['launch', 'spaceport'], {}, [['launch', '', '', 'spaceport']]);
    expect(order(held)).toEqual([0]);
    expect(held.phrasesRelaxed).toBeUndefined();
    // No passage holds these in that order: the words are searched apart, and the ranking says so.
    for (const phrase of [
      ['launch', 'spaceport'],
      ['spaceport', '', '', 'launch'],
    ]) {
      const apart = rank(['launch', 'spaceport'], {}, [phrase]);
      expect(apart.phrasesRelaxed).toBe(true);
      expect(order(apart)).toEqual(order(rank(['launch', 'spaceport'])));
    }
  });

  test('term weights are the idf of each question term, unknown terms included', () => {
    const { termWeights } = rank(['rocket', 'summit', 'zebra']);
    expect(termWeights.get('summit')).toBeGreaterThan(termWeights.get('rocket')!);
    expect(termWeights.get('zebra')).toBeGreaterThan(termWeights.get('summit')!);
  });
});
