import { describe, expect, it } from 'vitest';
import { Archive } from '../../../src/archive/archive.js';

/** Small hand-made news archive: each document is one story of short paragraphs. */
const archive = Archive.fromDocuments([
  {
    id: 'soyuz',
    title: 'Summit at the Spaceport',
    file: 'a.md',
    text:
      'Kim Jong Un met Vladimir Putin at the Vostochny Spaceport on Wednesday.\n\n' +
      'Yuri Borisov, director general of Roscosmos, briefed the leaders on the Soyuz-2 carrier rocket.\n\n' +
      'The two leaders then toured the launch complex.',
  },
  {
    id: 'hwasong-area',
    title: 'Farmers in Hwasong Area Finish Harvest',
    file: 'b.md',
    text:
      'Farmers in the Hwasong area finished the autumn harvest ahead of schedule.\n\n' +
      'The Hwasong cooperative farm reaped a bumper crop of rice and maize this year.\n\n' +
      'Officials of the Hwasong area praised the farmers.',
  },
  {
    id: 'hwasong-19',
    title: 'New ICBM Test-fired',
    file: 'c.md',
    text:
      'The Missile Administration test-fired a new-type ICBM on October 31.\n\n' +
      'The Hwasong-19 missile flew for 5 156 seconds and reached an altitude of 7 687 km.',
  },
  {
    id: 'relations',
    title: 'Talks with Laos',
    file: 'd.md',
    text:
      'A delegation of Laos arrived in Pyongyang for talks on trade.\n\n' +
      'The talks closed with a banquet.\n\n' +
      'Both sides expressed the hope that the friendly relations between the two countries would grow stronger.',
  },
]);

describe('typo correction', () => {
  it('searches a misspelt name as the archive word it clearly means, and says so', () => {
    const response = archive.search('Who heads Roskosmos?');
    expect(response.corrections).toEqual([{ from: 'Roskosmos', to: 'roscosmos' }]);
    expect(response.hits[0]?.text).toContain('director general of Roscosmos');
  });

  it('corrects nothing in a question the archive knows, nor short or ordinary English words', () => {
    expect(archive.search('Who briefed the leaders at Roscosmos?').corrections).toBeUndefined();
    // "Pootin" is 2 edits from "putin": under 9 letters, too far to be sure.
    expect(archive.search('Pootin').corrections).toBeUndefined();
    expect(archive.search('Puten').corrections).toEqual([{ from: 'Puten', to: 'putin' }]);
  });
});

describe('identifiers', () => {
  it('matches "Hwasong-19" as one identifier, never the Hwasong area alone', () => {
    const response = archive.search('How long did the Hwasong-19 fly?');
    expect(response.hits.length).toBeGreaterThan(0);
    for (const hit of response.hits) expect(hit.document.id).toBe('hwasong-19');
    expect(response.hits[0]!.excerpt.text).toContain('Hwasong-19');
  });

  it('an identifier the archive lacks does not fall back to its most common part', () => {
    const response = archive.search('Hwasong-20 launch');
    expect(response.hits.filter((hit) => hit.document.id === 'hwasong-area')).toEqual([]);
  });
});

describe('words the archive lacks', () => {
  it('answers a question whose meta words ("described", "end", "article") the archive never uses', () => {
    const response = archive.search('How are the relations with Laos described at the end of the article?');
    expect(response.hits[0]?.text).toContain('friendly relations between the two countries');
  });

  it('still gives an honest empty for a topic the archive never reports', () => {
    const response = archive.search('What did Kamala Harris say in her campaign?');
    expect(response.hits).toEqual([]);
    expect(response.emptyReason).toBeDefined();
  });
});
