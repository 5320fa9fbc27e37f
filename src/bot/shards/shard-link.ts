/**
 * A shard process's side of the launcher's IPC channel (see shard-protocol.ts): it reloads this
 * process's archive when the launcher says so, and turns an admin's `/reload` here into a reload of
 * every shard, answered with this shard's own report and every shard's outcome.
 */
import { randomUUID } from 'node:crypto';
import { ArchiveLoadError, isArchiveLoadError, type LoadProgress } from '../../archive/index.js';
import type { Logger } from '../../discord/logger.js';
import type { ArchiveHolder, ReloadReport } from '../holder.js';
import { isArchivistMessage, type LauncherToShard, type ShardReloadOutcome, type ShardToLauncher } from './shard-protocol.js';

/** The IPC channel to the launcher: `process` in a shard process. */
export interface LauncherChannel {
  send(message: ShardToLauncher): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

/** A reload of every shard, as the shard that was asked reports it. */
export interface ShardedReload {
  /** This shard's own reload (what the admin's report details). */
  report: ReloadReport;
  /** Every shard process's outcome, this one included (absent when nothing was reloaded anywhere). */
  shards?: readonly ShardReloadOutcome[];
}

export interface ShardLink {
  readonly shardIds: readonly number[];
  /**
   * Reloads every shard process on this machine through the launcher, telling `onProgress` how far
   * the launcher's index update has got. Never rejects.
   */
  reloadEverywhere(onProgress?: (progress: LoadProgress) => void): Promise<ShardedReload>;
  /** Stops listening to the launcher. */
  close(): void;
}

interface ShardLinkOptions {
  channel: LauncherChannel;
  holder: ArchiveHolder;
  logger: Logger;
  shardIds: readonly number[];
  /** How long to wait for the launcher's answer: an interaction can be answered for 15 minutes. @defaultValue 14 minutes */
  timeoutMs?: number;
}

/** Reports of recent reload runs kept for the shard that asked (runs are one at a time; a few is plenty). */
const KEPT_REPORTS = 4;

/** What the launcher learns of one shard's reload: counts and the reason, never a stack. */
function outcomeOf(report: ReloadReport, shardIds: readonly number[]): ShardReloadOutcome {
  const loadReport = report.archive.loadReport;
  return {
    shardIds,
    ok: report.ok,
    documents: report.archive.documents.length,
    ...(loadReport ? { cache: loadReport.cache, documentsAnalyzed: loadReport.documentsAnalyzed } : {}),
    ...(report.ok ? {} : { error: isArchiveLoadError(report.error) ? report.error.message : 'an unexpected error' }),
    durationMs: report.durationMs,
  };
}

export function createShardLink({ channel, holder, logger, shardIds, timeoutMs = 14 * 60_000 }: ShardLinkOptions): ShardLink {
  const reports = new Map<string, ReloadReport>();

  const onReloadOrder = async (runId: string): Promise<void> => {
    const report = await holder.reload();
    reports.set(runId, report);
    for (const old of [...reports.keys()].slice(0, -KEPT_REPORTS)) reports.delete(old);
    channel.send({ archivist: 'reloaded', runId, outcome: outcomeOf(report, shardIds) });
  };
  const onMessage = (message: unknown): void => {
    if (!isArchivistMessage<LauncherToShard>(message) || message.archivist !== 'reload') return;
    onReloadOrder(message.runId).catch((err: unknown) => logger.error('reload ordered by the launcher failed', { err }));
  };
  channel.on('message', onMessage);

  const failed = (error: Error, started: number, joined = false): ShardedReload => ({
    report: { ok: false, joined, error, archive: holder.current, durationMs: Date.now() - started },
  });

  return {
    shardIds,
    async reloadEverywhere(onProgress) {
      const started = Date.now();
      const requestId = randomUUID();
      let stopWaiting = (): void => {};
      const answer = new Promise<Extract<LauncherToShard, { archivist: 'reload-result' }> | undefined>((resolve) => {
        const listener = (message: unknown): void => {
          if (isArchivistMessage<LauncherToShard>(message) && message.archivist === 'reload-progress' && message.requestId === requestId) {
            onProgress?.(message.progress);
            return;
          }
          if (isArchivistMessage<LauncherToShard>(message) && message.archivist === 'reload-result' && message.requestId === requestId) {
            stopWaiting();
            resolve(message);
          }
        };
        const timer = setTimeout(() => {
          stopWaiting();
          resolve(undefined);
        }, timeoutMs);
        stopWaiting = () => {
          clearTimeout(timer);
          channel.off('message', listener);
        };
        channel.on('message', listener);
      });
      channel.send({ archivist: 'reload-request', requestId });
      const result = await answer;
      if (!result) {
        logger.error('the launcher did not answer a reload request', { timeoutMs });
        return failed(new Error(`the launcher did not answer within ${Math.round(timeoutMs / 1000)} s`), started);
      }
      if (!result.outcome.ok) {
        const { message, kind } = result.outcome.failure;
        return failed(kind ? ArchiveLoadError.fromMessage(kind, message) : new Error(message), started, result.joined);
      }
      const own = reports.get(result.runId);
      if (!own) return failed(new Error('this shard took no part in the reload'), started, result.joined);
      // The admin waited for the whole run (the launcher's index update and every shard), not only this shard's part.
      return { report: { ...own, joined: own.joined || result.joined, durationMs: Date.now() - started }, shards: result.outcome.shards };
    },
    close() {
      channel.off('message', onMessage);
    },
  };
}
