import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArchive } from '../../../src/archive/load/index.js';

/**
 * A scrape shaped like the KCNA headlines export (the archive this project was built on): one JSON
 * array of `{topic, headline, link, date (epoch ms), story_text, date_str}`, where one article is
 * listed once per section it appears in, some records have no text, and headlines keep the page's
 * tabs and newlines. Generated here, so the test holds on any clone.
 */
const ARTICLES = [
  { topic: 'News Commentary', headline: "Japan's Discharge of Nuclear-polluted Water Is Crime: KCNA Commentary" },
  { topic: 'Top News', headline: 'Respected Comrade Kim Jong Un\n\tVisits Vostochny Cosmodrome' },
  { topic: 'Economy', headline: 'Tidal Power Station Begins Operation' },
  { topic: 'Culture', headline: 'Mass Gymnastics\tPerformance Given' },
  { topic: 'Sports', headline: 'Table Tennis Players Win Gold' },
];
/** Sections the same article is listed under again (by article index): the duplicates. */
const RELISTED: [number, string][] = [
  [0, 'Top News'],
  [0, 'Politics'],
  [1, 'Top News'], // same topic again: a duplicate that adds no tag
  [1, 'Diplomacy'],
  [3, 'Top News'],
];
const DAY = 1703376000000; // 2023-12-24T00:00:00Z

function story(n: number): string {
  return `Pyongyang, December ${24 + n} (KCNA) -- Article ${n} opens with its dateline.\nIts second paragraph ${'adds words '.repeat(5 + n).trim()}.`;
}

function record(n: number, topic: string, text = story(n)) {
  const date = DAY + n * 86_400_000;
  return {
    topic,
    headline: ARTICLES[n]!.headline,
    link: `http://www.kcna.kp/en/article/q/${n.toString(16).padStart(8, '0')}.kcmsf`,
    date,
    story_text: text,
    date_str: new Date(date).toISOString().slice(0, 10),
  };
}

const records = [
  ...ARTICLES.map((a, n) => record(n, a.topic)),
  // The same text re-wrapped (different spacing) is still the same article.
  ...RELISTED.map(([n, topic]) => record(n, topic, n === 3 ? story(n).replace('\n', '\n\n  ') : story(n))),
  record(2, 'Economy', ''),
  record(4, 'Sports', ''),
];

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'archivist-kcna-'));
  file = join(dir, 'headlines_2024-11-11.json');
  // Written the way the scraper did: PHP's escaped slashes, four-space indentation.
  await writeFile(file, JSON.stringify(records, null, 4).replaceAll('/', '\\/'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a KCNA-shaped scrape', () => {
  it('loads each article once, skips the empty records and counts the repeats', async () => {
    const archive = await loadArchive(file);
    expect(archive.documents).toHaveLength(ARTICLES.length);
    expect(archive.duplicates).toBe(RELISTED.length);
    expect(archive.skipped).toHaveLength(2);
    expect(new Set(archive.skipped.map((s) => s.reason))).toEqual(
      new Set(['record has no text (looked for text, body, content, story_text, context)']),
    );
    expect(archive.skipped.every((s) => s.file === 'headlines_2024-11-11.json' && typeof s.line === 'number')).toBe(true);

    const first = archive.documents[0];
    expect(first).toMatchObject({
      id: 'headlines_2024-11-11.json#1',
      title: "Japan's Discharge of Nuclear-polluted Water Is Crime: KCNA Commentary",
      date: '2023-12-24',
      tags: ['News Commentary', 'Top News', 'Politics'],
    });
    expect(first?.url).toMatch(/^http:\/\/www\.kcna\.kp\/en\/article\//);
    expect(first?.text.startsWith('Pyongyang, December 24 (KCNA) -- Article 0')).toBe(true);

    expect(new Set(archive.documents.map((d) => d.id)).size).toBe(ARTICLES.length);
    // Titles are single lines even where the scraper kept the page's tabs and newlines.
    expect(archive.documents.filter((d) => /[\r\n\t]/.test(d.title))).toEqual([]);
    expect(archive.documents[1]?.title).toBe('Respected Comrade Kim Jong Un Visits Vostochny Cosmodrome');
    // An article relisted under other sections keeps them all as tags, each once.
    expect(archive.documents.map((d) => d.tags)).toEqual([
      ['News Commentary', 'Top News', 'Politics'],
      ['Top News', 'Diplomacy'],
      ['Economy'],
      ['Culture', 'Top News'],
      ['Sports'],
    ]);
  });
});
