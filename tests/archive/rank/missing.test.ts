import { describe, expect, it } from 'vitest';
import { Archive } from '../../../src/archive/archive.js';

// A small news archive with a near miss: a world cup, but the women's youth cup of 2024 in Colombia.
const archive = Archive.fromDocuments([
  {
    id: 'youth-cup',
    title: "Women's Football Team Wins World Cup",
    file: 'a.md',
    text:
      "The national team won the FIFA U-20 Women's World Cup final in Bogota, Colombia, on September 22.\n\n" +
      'The players beat Japan 1-0 in the final and were welcomed home at the airport by thousands of fans.\n\n' +
      'The coach praised the defenders, who kept a clean sheet in four of their six matches.',
  },
  {
    id: 'harvest',
    title: 'Rice Harvest Begins',
    file: 'b.md',
    text:
      'Farmers in South Hwanghae Province started the rice harvest this week.\n\n' +
      'The province expects a record crop after the rains of July, officials said.\n\n' +
      'Machines made at the Kumsong Tractor Complex are used on most of the fields.',
  },
  {
    id: 'summit',
    title: 'Talks in Vladivostok',
    file: 'c.md',
    text:
      'The leaders met in Vladivostok in April and discussed the railway link across the Tumen River.\n\n' +
      'They agreed to open the new bridge for trucks next year.',
  },
]);

describe('missing words: a closest match says what it lacks', () => {
  it('lists an absent year and country, as typed, on a result that holds the rest of the question', () => {
    const response = archive.search('Who won the 2022 World Cup in Qatar?');
    const first = response.hits[0]!;
    expect(first.document.id).toBe('youth-cup');
    expect([...first.missing].sort()).toEqual(['2022', 'Qatar']);
  });

  it('does not count words that ask for a form of answer (an example, code) as missing', () => {
    expect(archive.search('rice harvest example code').hits[0]!.missing).toEqual([]);
  });

  it('is empty when the question is answered, and its words may sit anywhere in the document', () => {
    // "Japan" and "final" are in the second paragraph, "Colombia" in the first: all one document.
    const response = archive.search('Whom did they beat in the final of the world cup in Colombia?');
    expect(response.hits[0]!.document.id).toBe('youth-cup');
    expect(response.hits.every((hit) => hit.missing.length === 0 || hit.document.id !== 'youth-cup')).toBe(true);
    expect(response.hits[0]!.missing).toEqual([]);
  });

  it('names a person the archive has never mentioned, even when the rest of the question matches', () => {
    const response = archive.search('When did Shoigu open the new bridge across the Tumen River?');
    expect(response.hits[0]!.document.id).toBe('summit');
    expect(response.hits[0]!.missing).toEqual(['Shoigu']);
  });

  it('leaves out words that ask about the text ("report", "cover") and acronyms the archive may spell out', () => {
    expect(archive.search('Did the media cover the rice harvest in South Hwanghae?').hits[0]!.missing).toEqual([]);
    expect(archive.search('What did the KCNA report say about the Kumsong tractors in the harvest?').hits[0]!.missing).toEqual([]);
  });
});
