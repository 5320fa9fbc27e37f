import { describe, expect, test } from 'vitest';
import { NO_TERM } from '../../../src/archive/postings/inverted-index.js';
import { DOCUMENTS, threePassageIndex } from '../three-passages.js';

describe('IndexBuilder over three hand-analysed passages', () => {
  const index = threePassageIndex();
  const id = (term: string) => index.termIds.get(term)!;

  test('counts passages, documents and passage lengths without stop words', () => {
    expect(index.passageCount).toBe(3);
    expect([...index.data.passageDocument]).toEqual([0, 0, 1]);
    expect([...index.data.documentFirstPassage]).toEqual([0, 2]);
    expect([...index.data.documentPassageCount]).toEqual([2, 1]);
    expect([...index.data.passageLength]).toEqual([3, 4, 4]);
  });

  test('groups body postings by term with their frequencies', () => {
    const { postingStart, postingPassage, postingFrequency } = index.whole!;
    const postings = (term: string) => {
      const from = postingStart[id(term)]!;
      const to = postingStart[id(term) + 1]!;
      return Array.from({ length: to - from }, (_, k) => [postingPassage[from + k], postingFrequency[from + k]]);
    };
    expect(postings('rocket')).toEqual([
      [0, 1],
      [1, 3],
    ]);
    expect(postings('spaceport')).toEqual([
      [0, 1],
      [2, 1],
    ]);
    expect(index.passageFrequency(id('summit'))).toBe(1);
    expect(index.termIds.has('the')).toBe(false);
  });

  test('indexes titles per document, shared by all of its passages', () => {
    expect(index.titleFrequency(id('rocket'))).toBe(1);
    expect(index.titleFrequency(id('summit'))).toBe(1);
    expect(index.titleFrequency(id('spaceport'))).toBe(0);
  });

  test('keeps stop words as positions that match nothing, so phrases keep their gaps', () => {
    expect([...index.positions(0)]).toEqual([NO_TERM, id('rocket'), id('launch'), NO_TERM, NO_TERM, id('spaceport')]);
  });

  test('gives back each passage its words and sentences relative to the passage start', () => {
    const passageStart = DOCUMENTS[0]!.passages[0]!.length + 2;
    const { tokens, sentences } = index.passageAnalysis(1, passageStart);
    expect(tokens.map((t) => [t.start, t.end, t.terms])).toEqual([
      [0, 6, ['rocket']],
      [7, 13, ['rocket']],
      [14, 20, ['rocket']],
      [21, 28, ['engines']],
    ]);
    expect(sentences).toEqual([{ start: 0, end: 28 }]);
  });
});
