/**
 * The messages a shard process and the launcher (src/bot/shards/shards.ts) exchange over the IPC channel
 * discord.js's ShardingManager opens. Plain JSON; every one carries `archivist` so they never mix
 * with discord.js's own (`_eval`, `_ready`, …).
 *
 * A `/reload` in any shard: the shard asks the launcher (`reload-request`); the launcher brings the
 * on-disk index up to date once, tells every shard to reload (`reload`), each answers
 * (`reloaded`), and the launcher answers the asking shard with every shard's outcome
 * (`reload-result`), which becomes the admin's one report. While the launcher brings the index up to
 * date, each shard that asked is told how far it has got (`reload-progress`), for the admin's reply.
 */
import type { ArchiveLoadErrorKind, LoadProgress, LoadReport } from '../../archive/index.js';

/** One shard process's reload, as the launcher reports it. */
export interface ShardReloadOutcome {
  /** The shard ids this process runs. */
  shardIds: readonly number[];
  ok: boolean;
  /** Documents the process answers from after the reload (the old count when it failed). */
  documents: number;
  /** How the process got its index: `snapshot` = the saved index as it was, nothing analysed. */
  cache?: LoadReport['cache'];
  documentsAnalyzed?: number;
  /** Why it failed, for the admin (engine load errors) or "an unexpected error". */
  error?: string;
  durationMs: number;
}

/** Bringing the saved index up to date before the shards reload failed: nothing was reloaded anywhere. */
interface ReloadPreparationFailure {
  message: string;
  /** Set when the failure is the engine's ArchiveLoadError (its message is written for an admin). */
  kind?: ArchiveLoadErrorKind;
}

export type ReloadEverywhereOutcome = { ok: true; shards: ShardReloadOutcome[] } | { ok: false; failure: ReloadPreparationFailure };

export type ShardToLauncher =
  { archivist: 'reload-request'; requestId: string } | { archivist: 'reloaded'; runId: string; outcome: ShardReloadOutcome };

export type LauncherToShard =
  | { archivist: 'reload'; runId: string }
  | { archivist: 'reload-progress'; requestId: string; progress: LoadProgress }
  | { archivist: 'reload-result'; requestId: string; runId: string; joined: boolean; outcome: ReloadEverywhereOutcome };

/** A message of this protocol (anything else on the channel is discord.js's). */
export function isArchivistMessage<T extends { archivist: string }>(message: unknown): message is T {
  return typeof message === 'object' && message !== null && typeof (message as { archivist?: unknown }).archivist === 'string';
}
