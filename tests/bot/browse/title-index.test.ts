import { describe, expect, test } from 'vitest';
import type { ArchiveDocument } from '../../../src/archive/index.js';
import { CANDIDATES_PER_KIND, documentRef, REF_ID_MAX, TitleIndex, type WorkCounter } from '../../../src/bot/browse/title-index.js';
import { SearchSessions } from '../../../src/bot/browse/search-sessions.js';

/** `n` documents with titles from a small vocabulary (seeded, so every run is the same). */
function documents(n: number): ArchiveDocument[] {
  const words = ['harvest', 'irrigation', 'summit', 'rocket', 'reservoir', 'canal', 'observatory', 'tideland', 'brigade', 'rally'];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  return Array.from({ length: n }, (_, i) => ({
    id: `doc-${i}`,
    title: `${words[next() % words.length]} ${words[next() % words.length]} report ${i}`,
    text: 'x',
    file: `f${i}.md`,
    date: `20${String(10 + (i % 15))}-01-01`,
  }));
}

describe('TitleIndex', () => {
  test('the work of a lookup does not grow with the number of documents', () => {
    const indexes = new Map([1_000, 100_000].map((n) => [n, new TitleIndex(documents(n))]));
    const examined = (n: number, query: string): number => {
      const index = indexes.get(n)!;
      const work: WorkCounter = { examined: 0 };
      expect(index.search(query, 25, work).length).toBeGreaterThan(0);
      return work.examined;
    };
    for (const query of ['irr', 'harvest rep', 'report 1', 'summit']) {
      const small = examined(1_000, query);
      const large = examined(100_000, query);
      // At most one bounded scan per kind of match (title prefix, word prefix, all words).
      expect(large, query).toBeLessThanOrEqual(3 * (CANDIDATES_PER_KIND + 1));
      expect(large, query).toBeLessThanOrEqual(Math.max(small, 3 * (CANDIDATES_PER_KIND + 1)));
    }
  });

  test('ranks the exact title, then title prefixes, then title words; an empty query lists the newest', () => {
    const docs: ArchiveDocument[] = [
      { id: 'a', title: 'Harvest report', text: '', file: 'a', date: '2020-01-01' },
      { id: 'b', title: 'Spring harvest', text: '', file: 'b', date: '2024-01-01' },
      { id: 'c', title: 'Harvest', text: '', file: 'c', date: '2019-01-01' },
      { id: 'd', title: 'Aftharvest', text: '', file: 'd', date: '2025-01-01' },
    ];
    const index = new TitleIndex(docs);
    expect(index.search('harvest', 25).map((d) => d.id)).toEqual(['c', 'a', 'b']);
    expect(index.search('', 2).map((d) => d.id)).toEqual(['d', 'b']);
    expect(index.search('spr harv', 25).map((d) => d.id)).toEqual(['b']);
  });

  test('references: short plain ids as they are, others hashed; both resolve', () => {
    const long = { id: `deep/${'x'.repeat(REF_ID_MAX)}`, title: 'Long', text: '', file: 'l' };
    const colon = { id: 'feed.json:3', title: 'Colon', text: '', file: 'c' };
    const plain = { id: 'notes/a.md', title: 'Same title', text: '', file: 'a' };
    const twin = { id: 'notes/b.md', title: 'Same title', text: '', file: 'b' };
    const index = new TitleIndex([long, colon, plain, twin]);
    expect(documentRef(plain)).toBe('notes/a.md');
    expect(documentRef(long)).toMatch(/^~[0-9a-f]{16}$/);
    expect(documentRef(colon)).toMatch(/^~[0-9a-f]{16}$/);
    expect(index.resolve(documentRef(long))).toBe(long);
    expect(index.resolve(documentRef(colon))).toBe(colon);
    expect(index.resolve('long')).toBe(long);
    // A title two documents share names neither.
    expect(index.resolve('same title')).toBeUndefined();
  });
});

describe('SearchSessions', () => {
  test("one user's searches evict only their own oldest, never someone else's", () => {
    const sessions = new SearchSessions({ max: 1000, perUser: 5 });
    const others = Array.from({ length: 10 }, (_, i) => sessions.create({ userId: `other-${i}`, query: 'q', filters: {} }));
    const mine = Array.from({ length: 500 }, () => sessions.create({ userId: 'flooder', query: 'q', filters: {} }));
    for (const id of others) expect(sessions.get(id)).toBeDefined();
    expect(mine.slice(-5).every((id) => sessions.get(id))).toBe(true);
    expect(sessions.get(mine[0]!)).toBeUndefined();
    expect(sessions.size).toBe(15);
  });
});
