import { describe, expect, it } from 'vitest';
import { analyzeQuery, analyzeText, termsOfWord } from '../../../src/archive/analysis/analyze.js';

const termsIn = (text: string) => analyzeText(text).tokens.flatMap((t) => t.terms);

describe('analyzeText', () => {
  it('reports exact character offsets for every word token', () => {
    const text = 'Kim Jong Un\u2019s visit —\t“Soyuz-2”  rockets,\nU.S. officials said.';
    for (const token of analyzeText(text).tokens) {
      expect(text.slice(token.start, token.end)).toMatch(/^[\p{L}\p{N}][\p{L}\p{N}.-]*$/u);
    }
    expect(analyzeText(text).tokens.map((t) => text.slice(t.start, t.end))).toContain('Soyuz-2');
  });

  it('drops stop words and punctuation but keeps their positions as empty terms', () => {
    const tokens = analyzeText('Where did they meet?').tokens;
    expect(tokens.map((t) => t.terms)).toEqual([[], [], [], ['meet']]);
  });

  it('stems, lower-cases and folds diacritics', () => {
    expect(termsIn('Rockets LAUNCHING café')).toEqual(['rocket', 'launch', 'cafe']);
  });

  it('maps irregular forms to the same term as their base word', () => {
    expect(termsIn('met')).toEqual(termsIn('meet'));
    expect(termsIn('held')).toEqual(termsIn('holding'));
    expect(termsIn('children')).toEqual(termsIn('child'));
  });

  it('splits hyphenated and glued words and also indexes the joined form', () => {
    expect(termsOfWord('Soyuz-2', false)).toEqual({ terms: ['soyuz', '2'], extra: 'soyuz2' });
    expect(termsOfWord('ComradeKim', false).terms).toEqual(['comrad', 'kim']);
  });

  it('handles possessives, abbreviations and thousands separators', () => {
    expect(termsIn("Putin's")).toEqual(['putin']);
    expect(termsIn('Putin\u2019s')).toEqual(['putin']);
    expect(termsIn('U.S.')).toEqual(['us']);
    expect(termsIn('1,000')).toEqual(['1000']);
  });

  it('gives sentence spans that cover whole sentences', () => {
    const text = 'The summit was held. It was in Amur! Was it? Yes.';
    const { sentences } = analyzeText(text);
    expect(sentences.map((s) => text.slice(s.start, s.end))).toEqual(['The summit was held.', 'It was in Amur!', 'Was it?', 'Yes.']);
  });

  it('survives odd input without throwing', () => {
    for (const text of ['', ' ', '\u0000', '😀😀', 'שלום עולם', '```\ncode\n```', '(((', '"unbalanced', '\u202eRTL']) {
      expect(() => analyzeText(text)).not.toThrow();
    }
  });
});

describe('analyzeQuery', () => {
  it('keeps distinct content terms in order', () => {
    expect(analyzeQuery('Where did Kim Jong Un meet Putin? Putin!').terms).toEqual(['kim', 'jong', 'un', 'meet', 'putin']);
  });

  it('turns quoted text into phrase constraints, ignoring unbalanced quotes', () => {
    expect(analyzeQuery('the "Soyuz 2" rocket').phrases).toEqual([['soyuz', '2']]);
    expect(analyzeQuery('“carrier rocket” launch').phrases).toEqual([['carrier', 'rocket']]);
    expect(analyzeQuery('an "unbalanced quote').phrases).toEqual([]);
  });

  it('gives back typed words without the invisible characters a token may hold', () => {
    const { terms, words } = analyzeQuery('𠀀\u2028\u200b <@!123456789012345678> caf\u00ade');
    expect(words.length).toBe(terms.length);
    for (const word of words) expect(word).toMatch(/^[^\p{C}\p{Z}\s]+$/u);
  });

  it('has no terms for a question made only of stop words', () => {
    expect(analyzeQuery('what is the').terms).toEqual([]);
  });
});

describe('acronyms', () => {
  it('keeps an all-capitals acronym that looks like a stop word, in mixed-case text', () => {
    expect(termsIn('Price controls worsened the crisis in the US.')).toContain('us');
    expect(termsIn('The WHO issued a warning.')).toContain('who');
    expect(termsIn('who knows')).toEqual(['know']);
  });
});

describe('names glued to the next word by a scraper', () => {
  it('splits an unknown capitalised word after a name into the name part and the word', () => {
    expect(termsIn('Kim Jong Unvisited the farm.')).toEqual(termsIn('Kim Jong Un visited the farm.'));
    expect(termsIn('Kim Jong Unwho is general secretary')).toEqual(termsIn('Kim Jong Un who is general secretary'));
    expect(termsIn('Kim Jong Unwarmly welcomed them')).toEqual(termsIn('Kim Jong Un warmly welcomed them'));
  });

  it('leaves known words and names alone', () => {
    expect(termsIn('Seoul Central Park is big.')).toEqual(['seoul', 'central', 'park', 'big']);
    expect(termsIn('Kim Jong Un')).toEqual(['kim', 'jong', 'un']);
    // Names whose tail happens to be a word stay whole.
    expect(termsIn('Carl Lewis and Bill Clinton met David')).toEqual(['carl', 'lewi', 'bill', 'clinton', 'meet', 'david']);
  });
});
