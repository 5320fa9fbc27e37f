import { expect, test } from 'vitest';
import { diffArchives } from '../../src/archive/diff.js';
import type { ArchiveDocument } from '../../src/archive/types.js';

const doc = (id: string, text: string, extra: Partial<ArchiveDocument> = {}): ArchiveDocument => ({
  id,
  title: `Title ${id}`,
  text,
  file: `${id}.md`,
  ...extra,
});

test('documents added, changed (text or metadata) and removed, matched by id', () => {
  const before = [doc('a', 'one'), doc('b', 'two'), doc('c', 'three'), doc('d', 'four', { date: '2020-01-01' })];
  const after = [doc('b', 'two'), doc('c', 'three, revised'), doc('d', 'four', { date: '2021-01-01' }), doc('e', 'five')];
  expect(diffArchives(before, after)).toEqual({
    added: [{ id: 'e', title: 'Title e' }],
    changed: [
      { id: 'c', title: 'Title c' },
      { id: 'd', title: 'Title d' },
    ],
    removed: [{ id: 'a', title: 'Title a' }],
    unchanged: 1,
  });
});

test('identical archives differ in nothing; tags compare by value', () => {
  const docs = [doc('a', 'one', { tags: ['x', 'y'] })];
  expect(diffArchives(docs, [doc('a', 'one', { tags: ['x', 'y'] })])).toEqual({ added: [], changed: [], removed: [], unchanged: 1 });
  expect(diffArchives(docs, [doc('a', 'one', { tags: ['x'] })]).changed).toEqual([{ id: 'a', title: 'Title a' }]);
});
