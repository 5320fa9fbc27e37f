import { beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../src/archive/archive.js';
import type { ArchiveDocument } from '../../src/archive/types.js';

let sample: Archive;
beforeAll(async () => {
  // No cache: a test never writes into data/.
  sample = await Archive.load('data', { cache: false });
});

/** Questions about the sample article, each with a phrase only the passage that answers it holds. */
const SAMPLE_QUESTIONS: Array<[string, string]> = [
  ['Where did Kim Jong Un meet Putin?', 'met Vladimir Putin, president of the Russian Federation, at the Vostochny Spaceport'],
  ['Who briefed Kim Jong Un on the Soyuz-2 rocket?', 'Yuri Borisov, CEO of the Russian state-run corporation Roscosmos'],
  ['Why is a spaceport a top-secret place?', 'A spaceport is the top-secret place in all countries'],
  ['Which newspaper is the organ of the Central Committee?', 'Rodong Sinmun'],
  ['On what did the top leaders exchange in-depth views?', 'exchanged in-depth views'],
  ['What happened at the reception hosted for the visit?', 'at the reception hosted in welcome'],
];

describe('ranking on the sample article', () => {
  it.each(SAMPLE_QUESTIONS)('%s → the passage that answers it comes first', (question, answer) => {
    const [top] = sample.search(question).hits;
    expect(top?.text).toContain(answer);
  });

  it('finds "Soyuz-2" from "Soyuz 2" and from a quoted phrase', () => {
    expect(sample.search('Soyuz 2').hits[0]?.text).toContain('Soyuz-2');
    const phrase = sample.search('"carrier rocket launching complex"');
    expect(phrase.hits.length).toBeGreaterThan(0);
    for (const hit of phrase.hits) expect(hit.text).toContain('carrier rocket launching complex');
  });

  it('a quoted phrase that does not occur in that order is searched apart, and says so', () => {
    const apart = sample.search('"spaceport Vostochny"');
    expect(apart.phrasesRelaxed).toBe(true);
    expect(apart.hits.length).toBeGreaterThan(0);
    for (const hit of apart.hits) expect(hit.text).not.toMatch(/spaceport Vostochny/i);
    expect(apart.hits[0]!.text).toMatch(/Vostochny/);
    // A phrase that does occur keeps the constraint, and says nothing.
    expect(sample.search('"carrier rocket launching complex"').phrasesRelaxed).toBeUndefined();
  });

  it('a pasted error message with its path elided still finds the page that quotes it', () => {
    const archive = Archive.fromDocuments([
      {
        id: 'troubleshooting.md',
        file: 'troubleshooting.md',
        title: 'Troubleshooting',
        text:
          "If the HTML file was opened with the file protocol, the scripts won't run:\n\n" +
          "Access to script at 'file:///foo/bar.js' from origin 'null' has been blocked by CORS policy.\n\n" +
          'Serve the build over http instead: run the preview server.',
      },
      { id: 'other.md', file: 'other.md', title: 'Other', text: 'The script tag loads the module from the origin server.' },
    ]);
    const response = archive.search(`got "Access to script at 'file:///...' from origin 'null' has been blocked by CORS policy", help`);
    expect(response.phrasesRelaxed).toBe(true);
    expect(response.hits[0]?.document.id).toBe('troubleshooting.md');
  });

  it('reports the passage position, document and score', () => {
    const [top] = sample.search('Rodong Sinmun').hits;
    expect(top!.document.title).toBe('A New Landmark, Summit at a Spaceport');
    // The 13th paragraph; short paragraphs (under 250 characters) share a passage with the next.
    expect(top!.passage.position).toBe(10);
    expect(top!.text).toContain('Rodong Sinmun');
    expect(top!.score).toBeGreaterThan(0);
    expect(top!.document.text.slice(top!.passage.start, top!.passage.end)).toBe(top!.text);
  });

  it('pages with offset and reports the total', () => {
    const first = sample.search('spaceport', { limit: 2 });
    const second = sample.search('spaceport', { limit: 2, offset: 2 });
    expect(first.total).toBe(second.total);
    expect(first.total).toBeGreaterThan(4);
    const positions = [...first.hits, ...second.hits].map((h) => h.passage.position);
    expect(new Set(positions).size).toBe(4);
  });
});

describe('thin matches are rejected', () => {
  it.each([
    ['What is the capital of Mongolia?', 'no-match'],
    ["What are Kim Jong Un's hobbies and favourite foods?", 'too-thin'],
    ['What is the weather like in Paris today?', 'too-thin'],
    ['what is the', 'no-terms'],
    ['?!…', 'no-terms'],
  ])('%s → no results (%s)', (question, reason) => {
    const response = sample.search(question);
    expect(response.hits).toEqual([]);
    expect(response.total).toBe(0);
    expect(response.emptyReason).toBe(reason);
  });
});

const doc = (id: string, title: string, text: string, extra: Partial<ArchiveDocument> = {}): ArchiveDocument => ({
  id,
  title,
  text,
  file: `${id}.md`,
  ...extra,
});

describe('ranking across documents', () => {
  const archive = Archive.fromDocuments([
    doc(
      'long',
      'Harvest report',
      Array.from({ length: 6 }, (_, i) => `The rice harvest in county ${i + 1} was reported as good this year.`).join('\n\n'),
      { date: '2024-03-05', source: 'KCNA' },
    ),
    doc('short', 'Weather', 'Rain helped the rice harvest in the north.', { date: '2023-11-20', source: 'Rodong Sinmun' }),
    doc('titled', 'Rice harvest festival', 'Farmers celebrated with songs and dances.', { date: '2024-10-01', source: 'KCNA' }),
    doc('undated', 'Notes', 'The harvest of rice is a national event.'),
  ]);

  it('does not let one document fill every slot while others match', () => {
    const documents = archive.search('rice harvest', { limit: 4 }).hits.map((h) => h.document.id);
    expect(documents.filter((id) => id === 'long').length).toBeLessThanOrEqual(2);
    expect(new Set(documents).size).toBeGreaterThanOrEqual(3);
  });

  it('counts a title match', () => {
    const ids = archive.search('festival rice harvest', { limit: 5 }).hits.map((h) => h.document.id);
    expect(ids[0]).toBe('titled');
  });

  it('filters by date range and source before ranking; undated documents only without a date filter', () => {
    const ids = (options: object) => archive.search('rice harvest', { limit: 10, ...options }).hits.map((h) => h.document.id);
    expect(new Set(ids({ from: '2024' }))).toEqual(new Set(['long', 'titled']));
    expect(new Set(ids({ to: '2023-12' }))).toEqual(new Set(['short']));
    expect(new Set(ids({ from: '2024-03-05', to: '2024-03-05' }))).toEqual(new Set(['long']));
    expect(new Set(ids({ source: 'rodong sinmun' }))).toEqual(new Set(['short']));
    expect(ids({})).toContain('undated');
  });

  it('rejects a malformed date filter with a clear message', () => {
    expect(() => archive.search('rice', { from: '2024-13' })).toThrow('Invalid from date "2024-13": use YYYY, YYYY-MM or YYYY-MM-DD.');
    expect(() => archive.search('rice', { to: 'yesterday' })).toThrow('Invalid to date "yesterday": use YYYY, YYYY-MM or YYYY-MM-DD.');
  });

  it('looks documents up by exact id only', () => {
    expect(archive.document('short')?.title).toBe('Weather');
    expect(archive.document('../short')).toBeUndefined();
    expect(archive.passages('long').map((p) => p.passage.position)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(archive.passages('/etc/passwd')).toEqual([]);
  });

  it('summarises the archive', () => {
    expect(archive.stats()).toMatchObject({
      documents: 4,
      passages: 9,
      sources: ['KCNA', 'Rodong Sinmun'],
      firstDate: '2023-11-20',
      lastDate: '2024-10-01',
    });
  });
});

describe('date filters on partially dated documents', () => {
  const archive = Archive.fromDocuments([
    doc('year', 'Year only', 'The harvest festival was a success.', { date: '2024' }),
    doc('month', 'Month only', 'The harvest festival drew crowds.', { date: '2023-11' }),
  ]);
  const ids = (options: object) =>
    archive
      .search('harvest festival', { limit: 5, ...options })
      .hits.map((h) => h.document.id)
      .sort();

  it('matches a range that overlaps the year or month the document is dated by', () => {
    expect(ids({ from: '2024-06', to: '2024-06' })).toEqual(['year']);
    expect(ids({ from: '2023-11-15', to: '2023-11-20' })).toEqual(['month']);
    expect(ids({ to: '2023' })).toEqual(['month']);
    expect(ids({ from: '2025' })).toEqual([]);
  });
});

describe('a quote that runs on into the next paragraph', () => {
  it('does not show that paragraph again as a hit of its own', () => {
    // The sample's third paragraph is one sentence; its quote runs on into the fourth, a hit too.
    for (const limit of [3, 5, 10]) {
      const quotes = sample.search('Where did Kim Jong Un meet Putin?', { limit }).hits.map((hit) => hit.excerpt.text);
      for (const [i, quote] of quotes.entries()) for (const earlier of quotes.slice(0, i)) expect(earlier.includes(quote)).toBe(false);
    }
  });
});
