import { describe, expect, test } from 'vitest';
import { describeSkipGroup, groupSkipped, type SkippedFile } from '../../src/archive/index.js';

describe('groupSkipped', () => {
  const skipped: SkippedFile[] = [
    { file: 'notes/a.md', line: 2, reason: 'invalid YAML front matter: bad' },
    ...Array.from({ length: 249 }, (_, i): SkippedFile => ({ file: 'kcna.jsonl', line: i + 1, reason: 'empty text' })),
    { file: 'b.txt', reason: 'not valid UTF-8 text' },
    { file: 'c.txt', reason: 'not valid UTF-8 text' },
  ];

  test('one group per reason, the largest first, with a few examples', () => {
    const groups = groupSkipped(skipped);
    expect(groups.map((g) => [g.reason, g.count])).toEqual([
      ['empty text', 249],
      ['not valid UTF-8 text', 2],
      ['invalid YAML front matter: bad', 1],
    ]);
    expect(groups.map(describeSkipGroup)).toEqual([
      '249 records: empty text (e.g. kcna.jsonl (line 1), kcna.jsonl (line 2), kcna.jsonl (line 3), …)',
      '2 files: not valid UTF-8 text (e.g. b.txt, c.txt)',
      'notes/a.md (line 2): invalid YAML front matter: bad',
    ]);
  });

  test('work is one pass: 100,000 entries with one reason stay one group of three examples', () => {
    const many = Array.from({ length: 100_000 }, (_, i): SkippedFile => ({ file: `f${i}.md`, reason: 'empty text' }));
    const [group] = groupSkipped(many);
    expect(group).toMatchObject({ count: 100_000, records: false });
    expect(group!.examples).toHaveLength(3);
  });
});
