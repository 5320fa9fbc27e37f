import { describe, expect, test } from 'vitest';
import { shardGroups } from '../../../src/bot/shards/shard-groups.js';

describe('shardGroups: which shards run together in one process', () => {
  test('by default every shard of this machine runs in one process', () => {
    expect(shardGroups([0, 1, 2, 3])).toEqual([[0, 1, 2, 3]]);
    expect(shardGroups([4, 5, 6, 7])).toEqual([[4, 5, 6, 7]]);
  });

  test('SHARDS_PER_PROCESS splits them in order; the last process takes what is left', () => {
    expect(shardGroups([0, 1, 2, 3, 4], 2)).toEqual([[0, 1], [2, 3], [4]]);
    expect(shardGroups([0, 1, 2, 3], 1)).toEqual([[0], [1], [2], [3]]);
    // SHARD_IDS need not be contiguous: this machine's ids, as listed.
    expect(shardGroups([1, 3, 5, 7, 9], 3)).toEqual([
      [1, 3, 5],
      [7, 9],
    ]);
  });

  test('more per process than shards here is one process; every id is in exactly one group', () => {
    expect(shardGroups([6, 7], 64)).toEqual([[6, 7]]);
    const ids = [...Array(37).keys()];
    const groups = shardGroups(ids, 5);
    expect(groups.flat()).toEqual(ids);
    expect(groups.map((g) => g.length)).toEqual([5, 5, 5, 5, 5, 5, 5, 2]);
  });

  test('a count below 1 or not whole is refused (the setting never passes one)', () => {
    expect(() => shardGroups([0, 1], 0)).toThrow('shards per process must be a whole number from 1, got 0');
    expect(() => shardGroups([0, 1], 1.5)).toThrow('shards per process must be a whole number from 1, got 1.5');
  });
});
