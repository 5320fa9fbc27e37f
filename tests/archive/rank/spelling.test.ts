import { describe, expect, it } from 'vitest';
import { Archive } from '../../../src/archive/index.js';
import { indexDocuments } from '../../../src/archive/postings/indexing.js';
import {
  boundedEditDistance,
  MAX_CANDIDATES,
  MAX_WORDS_LOOKED_UP,
  SpellingIndex,
  spellingIndexOf,
  suggestWords,
} from '../../../src/archive/rank/spelling.js';

describe('boundedEditDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(boundedEditDistance('putin', 'putin', 2)).toBe(0);
    expect(boundedEditDistance('pootin', 'putin', 2)).toBe(2);
    expect(boundedEditDistance('spaceprot', 'spaceport', 2)).toBe(2);
    expect(boundedEditDistance('rocket', 'rockets', 2)).toBe(1);
  });

  it('stops early once the bound is exceeded', () => {
    expect(boundedEditDistance('abcdef', 'uvwxyz', 2)).toBe(3);
  });
});

/** A seeded vocabulary of made-up words, as a large archive has. */
function vocabulary(count: number, seed = 11): string[] {
  let state = seed;
  const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const words = new Set<string>();
  while (words.size < count) {
    const length = 4 + Math.floor(random() * 9);
    let word = '';
    for (let i = 0; i < length; i++) word += letters[Math.floor(random() * 26)];
    words.add(word);
  }
  return [...words];
}

describe('SpellingIndex', () => {
  const terms = ['roscosmo', 'spaceport', 'vostochni', 'putin', 'rocket', 'launch', 'rocketri'];
  const spelling = new SpellingIndex(terms);
  const found = (word: string, edits: number) => spelling.lookup(word, edits).map((c) => terms[c.termId]);

  it('finds the words within the allowed edits, nearest first', () => {
    expect(found('roskosmo', 1)).toEqual(['roscosmo']);
    expect(found('spaceprot', 2)).toEqual(['spaceport']);
    expect(found('rockt', 1)).toEqual(['rocket']);
    expect(found('rockets', 2)).toEqual(['rocket', 'rocketri']);
  });

  it('finds nothing beyond the allowed edits, and never the word itself', () => {
    expect(found('roskozmo', 1)).toEqual([]);
    expect(found('putin', 2)).toEqual([]);
  });

  it('compares a word with a bounded number of candidates, not with the whole vocabulary', () => {
    const large = vocabulary(60_000);
    const index = new SpellingIndex(large);
    // The full scan this replaces compared every word with every term of similar length.
    for (const word of ['qwertyuiopasd', 'zzzzzzzzz', large[123]!.slice(1), 'abcdefghi']) {
      index.lookup(word, 2);
    }
    expect(index.work.lookups).toBe(4);
    expect(index.work.comparisons).toBeLessThanOrEqual(4 * MAX_CANDIDATES);
    expect(index.work.comparisons).toBeLessThan(large.length / 50);
    // The word one deletion away from a vocabulary word is found.
    expect(index.lookup(large[123]!.slice(1), 1).map((c) => large[c.termId])).toContain(large[123]);
  });
});

describe('suggestions for a long nonsense question', () => {
  const words = vocabulary(5_000, 3);
  const documents = Array.from({ length: 50 }, (_, i) => ({
    title: `Document ${i}`,
    text: words.slice(i * 100, i * 100 + 100).join(' ') + '.',
  }));
  const { index } = indexDocuments(documents);

  it('looks up at most MAX_WORDS_LOOKED_UP words, whatever the question holds', () => {
    const nonsense = vocabulary(200, 99).map((word) => `${word}x`);
    const before = { ...spellingIndexOf(index).work };
    suggestWords(index, { terms: nonsense, words: nonsense });
    const work = spellingIndexOf(index).work;
    expect(work.lookups - before.lookups).toBeLessThanOrEqual(MAX_WORDS_LOOKED_UP);
    expect(work.comparisons - before.comparisons).toBeLessThanOrEqual(MAX_WORDS_LOOKED_UP * MAX_CANDIDATES);
  });
});

describe('corrections to a name first met in a headline or a compound', () => {
  // "Phothae" stems to "photha": compared with the stem, "Photae" is two edits away; with the word, one.
  const archive = Archive.fromDocuments([
    {
      id: 'n',
      file: 'n.txt',
      title: 'New Dwellings in Phothae-dong of Samjiyon City',
      text: 'Kim Jong Un visited Phothae-dong in Samjiyon City. He looked at the new houses in Phothae-dong.',
    },
  ]);

  it('compares the misspelt word with the word as written, not its stem', () => {
    expect(archive.search('when did Kim visit Photae-dong?').corrections).toEqual([{ from: 'Photae', to: 'phothae' }]);
  });

  it('suggests words as written', () => {
    expect(archive.search('Phothaex Samjiyonq').suggestions ?? []).not.toContain('photha');
  });
});
