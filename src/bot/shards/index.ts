/**
 * Several shard processes: the launcher, the link to it, the index preparation child.
 * The wing's entry: everything outside src/bot/shards/ imports it from here.
 */
export { createShardLink } from './shard-link.js';
export type { LauncherChannel, ShardLink, ShardedReload } from './shard-link.js';
export type { ShardReloadOutcome } from './shard-protocol.js';
export { launchShards } from './shards.js';
export { openSharedArchive } from './shared-archive.js';
export type { SharedArchive } from './shared-archive.js';
export { sharedIdentify } from './identify.js';
export type { SharedIdentify } from './identify.js';
