import { describe, expect, it } from 'vitest';
import { Archive } from '../../../src/archive/archive.js';
import { jaccard, shingles } from '../../../src/archive/rank/near-duplicates.js';

const story =
  'Kim Jong Un inspected the Hwasong greenhouse farm under construction on Tuesday and praised the builders ' +
  'for finishing the vinyl greenhouses ahead of schedule, saying the farm would supply fresh vegetables all year round.';

const archive = Archive.fromDocuments([
  { id: 'first', title: 'Greenhouse Farm Inspected', file: 'a.md', date: '2024-03-05', text: story },
  // The same story filed again the next day with a word changed and one added.
  {
    id: 'again',
    title: 'Kim Jong Un Inspects Greenhouse Farm',
    file: 'b.md',
    date: '2024-03-06',
    text: story.replace('on Tuesday', 'on Tuesday afternoon').replace('praised', 'highly praised'),
  },
  {
    id: 'other',
    title: 'Vegetable Supply',
    file: 'c.md',
    text: 'The new greenhouse farm will supply fresh vegetables to the capital, officials of the farm said.',
  },
]);

describe('near-duplicate folding', () => {
  it('shows a story filed twice as one result that names the other', () => {
    const response = archive.search('greenhouse farm fresh vegetables', { limit: 3 });
    const ids = response.hits.map((hit) => hit.document.id);
    expect(ids.filter((id) => id === 'first' || id === 'again')).toHaveLength(1);
    const folded = response.hits.find((hit) => hit.duplicates?.length);
    expect(folded?.duplicates?.map((d) => d.id)).toEqual([folded!.document.id === 'first' ? 'again' : 'first']);
    expect(ids).toContain('other');
  });

  it('does not fold passages that only share a topic', () => {
    const a = shingles(Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
    const b = shingles(Int32Array.from([1, 2, 3, 9, 10, 11, 12, 13]));
    expect(jaccard(a, a)).toBe(1);
    expect(jaccard(a, b)).toBeLessThan(0.2);
    expect(
      archive.search('greenhouse farm fresh vegetables', { limit: 3 }).hits.find((h) => h.document.id === 'other')?.duplicates,
    ).toBeUndefined();
  });
});

describe('one URL, one story', () => {
  // A story re-issued at the same address with a new headline and its sentences reworded.
  const url = 'https://news.example.org/item/42';
  const reissued = Archive.fromDocuments([
    {
      id: 'first',
      title: 'Shoigu Received',
      file: 'a.md',
      url,
      text: 'That evening Kim Jong Un received again Sergei Shoigu, secretary of the Security Council, and continued the constructive talk.',
    },
    {
      id: 'again',
      title: 'Kim Jong Un Meets Shoigu Again',
      file: 'b.md',
      url,
      text: 'That evening Kim Jong Un met Sergei Shoigu again, and continued the constructive talk with the secretary.',
    },
    {
      id: 'elsewhere',
      title: 'Another Report',
      file: 'c.md',
      url: 'https://news.example.org/item/43',
      text: 'Sergei Shoigu left Pyongyang on Friday, two days after his constructive talk with Kim Jong Un.',
    },
  ]);

  it('folds a reworded passage of a document at the same URL, not one at another URL', () => {
    const hits = reissued.search('Kim Jong Un Shoigu constructive talk', { limit: 3 }).hits;
    const ids = hits.map((hit) => hit.document.id);
    expect(ids.filter((id) => id === 'first' || id === 'again')).toHaveLength(1);
    expect(hits.find((hit) => hit.document.url === url)?.duplicates?.map((d) => d.id)).toHaveLength(1);
    expect(ids).toContain('elsewhere');
  });

  it('keeps them apart when folding by URL is off', () => {
    const apart = Archive.fromDocuments([...reissued.documents], { sameUrlSimilarity: 1 });
    const ids = apart.search('Kim Jong Un Shoigu constructive talk', { limit: 3 }).hits.map((hit) => hit.document.id);
    expect(ids.filter((id) => id === 'first' || id === 'again')).toHaveLength(2);
  });
});
