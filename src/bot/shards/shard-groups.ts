/**
 * Which shards run together in one process (SHARDS_PER_PROCESS). A process holds one copy of the
 * index whatever the number of shards it runs — discord.js's Client opens a gateway connection per
 * shard it is given — so the fewer processes, the less memory; by default one process runs all of
 * this machine's shards.
 */

/**
 * This machine's shard ids split into processes of at most `perProcess` shards, in order:
 * `[0, 1, 2, 3, 4]` by 2 → `[[0, 1], [2, 3], [4]]`. @defaultValue perProcess: all of them in one
 */
export function shardGroups(ids: readonly number[], perProcess: number = ids.length): number[][] {
  if (!Number.isInteger(perProcess) || perProcess < 1)
    throw new RangeError(`shards per process must be a whole number from 1, got ${perProcess}`);
  const groups: number[][] = [];
  for (let start = 0; start < ids.length; start += perProcess) groups.push(ids.slice(start, start + perProcess));
  return groups;
}
