import { describe, expect, it } from 'vitest';
import { Archive } from '../../../src/archive/index.js';
import { answer } from '../../../src/bot/answers/answer.js';

const archive = Archive.fromDocuments([
  { id: 'a', title: 'Briefing', file: 'a.md', text: 'Yuri Borisov, director general of Roscosmos, briefed the leaders.' },
]);

describe('the answer to a misspelt question', () => {
  it('says which word was searched instead, in one line under the header', () => {
    const { content, found } = answer(archive, { question: 'Roskosmos director general?' });
    expect(found).toBe(true);
    const lines = content.split('\n');
    expect(lines[1]).toBe('Showing results for **roscosmos**');
    expect(content).toContain('Roscosmos');
  });

  it('adds no such line when the question is spelt as the archive spells it', () => {
    expect(answer(archive, { question: 'Roscosmos director general?' }).content).not.toContain('Showing results for');
  });
});

describe('a five-result answer', () => {
  // Each passage opens with a long sentence without the question's words and ends with one that
  // holds all four: quoted whole on its own (350 characters), too long for a fifth of a message.
  const openings = [
    'Every spring the valley council meets in the old schoolhouse to read the accounts of the year aloud, one ledger after another, until the candles burn down.',
    'Travellers who cross the northern pass in autumn often stop at the inn by the bridge, where the landlord keeps a book of their names going back a century.',
    'The museum on the square keeps a collection of painted tiles, brass instruments and carved chairs that the founding families gave to the town long ago.',
    'Children in the lower village learn to swim in the lake before they can read, and the summer festival ends with a race from the pier to the island.',
    'Shepherds bring their flocks down from the high meadows in October, and the market that follows fills every street with stalls, music and bargaining.',
  ];
  const closings = [
    'The glacier feeds the turbine below the reservoir through a stone sluice.',
    'Meltwater from the glacier turns a turbine once the reservoir sluice opens.',
    'A sluice lets the reservoir drive the turbine when the glacier thaws.',
    'Beneath the glacier, the reservoir and its sluice keep the turbine running.',
    'The turbine hall stands where the glacier reservoir empties through a sluice.',
  ];
  const archive = Archive.fromDocuments(
    openings.map((opening, i) => ({
      id: `v${i}`,
      title: `${'The valley and its waters, a history in many chapters '.repeat(4)}${i}`,
      file: `v${i}.md`,
      source: 'Valley Chronicle',
      date: '2021-05-0' + (i + 1),
      url: `https://example.org/valley/${'chapter-'.repeat(12)}${i}`,
      text: `${opening} ${closings[i]}`,
    })),
  );
  const question = 'glacier turbine reservoir sluice';

  it('keeps every highlight the engine chose: four in a quote that had to be shorter than the passage', () => {
    const { content, response, shown } = answer(archive, { question, results: 5 });
    expect(shown).toBe(5);
    expect(content.length).toBeLessThanOrEqual(2000);
    const first = response.hits[0]!;
    // On its own the passage is quoted whole, all four words in bold; a fifth of a message is less.
    expect(first.excerpt.highlights).toHaveLength(4);
    expect(first.excerpt.text).toBe(first.text);
    const quotes = content.split('\n').filter((line) => line.startsWith('> '));
    expect(quotes).toHaveLength(5);
    expect(quotes[0]!.length).toBeLessThan(first.text.length);
    for (const quote of quotes) {
      const bold = [...quote.matchAll(/\*\*(.+?)\*\*/g)].flatMap((m) => m[1]!.toLowerCase().split(' '));
      expect(bold.sort(), quote).toEqual(['glacier', 'reservoir', 'sluice', 'turbine']);
    }
  });
});

describe('the answer to a quoted phrase no passage holds in that order', () => {
  it('says under the header that the quoted words were searched apart', () => {
    const { content, found } = answer(archive, { question: '"Roscosmos briefed Borisov"' });
    expect(found).toBe(true);
    expect(content.split('\n')[1]).toBe('No passage has the quoted words in that order; these hold them apart.');
  });

  it('says nothing of the kind when a passage holds the phrase', () => {
    expect(answer(archive, { question: '"director general of Roscosmos"' }).content).not.toContain('in that order');
  });
});
