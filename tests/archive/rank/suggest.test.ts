import { describe, expect, it } from 'vitest';
import { Archive } from '../../../src/archive/archive.js';
import { boundedEditDistance } from '../../../src/archive/rank/suggest.js';

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

describe('suggestions for an empty answer', () => {
  const archive = Archive.fromDocuments([
    { id: 'a', title: 'Summit', file: 'a.md', text: 'Kim Jong Un met Vladimir Putin at the Vostochny Spaceport.' },
  ]);

  it('offers archive words spelled like the unknown words of the question', () => {
    const response = archive.search('Where did Pootin go?');
    expect(response.hits).toEqual([]);
    expect(response.suggestions).toEqual(['putin']);
    expect(archive.search('Vostochni spaceprot').suggestions).toEqual(expect.arrayContaining(['spaceport']));
  });

  it('offers nothing when no archive word is close, or when there are results', () => {
    expect(archive.search('What is the capital of Mongolia?').suggestions).toBeUndefined();
    expect(archive.search('Putin').suggestions).toBeUndefined();
  });
});
