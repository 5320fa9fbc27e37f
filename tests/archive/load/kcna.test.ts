import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadArchive } from '../../../src/archive/load/index.js';

// The real archive lives in shared/, beside the project root (in CI too, from a clone elsewhere).
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const kcnaFile = resolve(projectRoot, '../shared/archive/kcna-2024/headlines_2024-11-11.json');
const present = existsSync(kcnaFile);

describe('the KCNA 2024 archive, as it is', () => {
  it.skipIf(!present)('loads 1,059 unique articles, skips 249 empty records and counts 803 duplicates', async () => {
    const archive = await loadArchive(kcnaFile);
    expect(archive.documents).toHaveLength(1059);
    expect(archive.duplicates).toBe(803);
    expect(archive.skipped).toHaveLength(249);
    expect(new Set(archive.skipped.map((s) => s.reason))).toEqual(
      new Set(['record has no text (looked for text, body, content, story_text, context)']),
    );
    expect(archive.skipped.every((s) => s.file === 'headlines_2024-11-11.json' && typeof s.line === 'number')).toBe(true);

    const first = archive.documents[0];
    expect(first).toMatchObject({
      id: 'headlines_2024-11-11.json#1',
      title: "Japan's Discharge of Nuclear-polluted Water Is Crime: KCNA Commentary",
      date: '2023-12-24',
      tags: ['News Commentary'],
    });
    expect(first?.url).toMatch(/^http:\/\/www\.kcna\.kp\/en\/article\//);
    expect(first?.text.startsWith('Pyongyang, December 24 (KCNA) -- Japan continues')).toBe(true);

    expect(new Set(archive.documents.map((d) => d.id)).size).toBe(1059);
    // Titles are single lines even where the scraper kept the page's tabs and newlines.
    expect(archive.documents.filter((d) => /[\r\n\t]/.test(d.title))).toEqual([]);
    // The same article listed under other sections keeps them all as tags: 542 articles have
    // more than one distinct topic (counted from the raw file, grouping by whitespace-collapsed text).
    expect(archive.documents.filter((d) => (d.tags?.length ?? 0) > 1)).toHaveLength(542);
  });
});
