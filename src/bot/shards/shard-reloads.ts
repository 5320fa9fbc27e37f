/**
 * The launcher's side of a `/reload` (see shard-protocol.ts). Any shard may ask; the launcher
 * brings the on-disk index up to date once (in a child process, so its own memory stays flat and
 * no shard re-analyses), then orders every shard process to reload — each reads that same saved
 * index — and answers the asking shard with every outcome. Requests while a run is under way join
 * it, so admins reloading in two servers at once cause one run.
 */
import { randomUUID } from 'node:crypto';
import type { ArchiveSummary, LoadProgress } from '../../archive/index.js';
import type { Logger } from '../../discord/logger.js';
import { IndexPreparationError } from './index-preparation.js';
import {
  isArchivistMessage,
  type LauncherToShard,
  type ReloadEverywhereOutcome,
  type ShardReloadOutcome,
  type ShardToLauncher,
} from './shard-protocol.js';

/** One shard process as the launcher sees it: discord.js's `Shard`. */
export interface ShardProcess {
  readonly id: number;
  send(message: LauncherToShard): Promise<unknown>;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'death', listener: () => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'death', listener: () => void): unknown;
}

interface ReloadCoordinatorOptions {
  /** The shard processes of this machine, current at the time of a run (discord.js's `manager.shards`). */
  shards: () => Iterable<ShardProcess>;
  /** The shard ids a process runs (SHARDS_PER_PROCESS). @defaultValue its own id only */
  idsOf?: (shard: ShardProcess) => readonly number[];
  /** Brings the on-disk index up to date: {@link prepareIndex} on the archive folder, telling `onProgress` how far it has got. */
  prepare: (onProgress: (progress: LoadProgress) => void) => Promise<ArchiveSummary>;
  logger: Logger;
  /** Longest wait for one shard's reload before it counts as failed. @defaultValue 13 minutes */
  shardTimeoutMs?: number;
  /** Told every run's outcome and duration, whoever asked for it (the shared archive records it). */
  onRun?: (outcome: ReloadEverywhereOutcome, durationMs: number) => Promise<void> | void;
}

interface Run {
  runId: string;
  outcome: Promise<ReloadEverywhereOutcome>;
  /** The shards that asked for this run, told its progress. */
  askers: Set<{ shard: ShardProcess; requestId: string }>;
}

export class ReloadCoordinator {
  #inflight: Run | undefined;
  readonly #options: Required<Omit<ReloadCoordinatorOptions, 'onRun'>> & Pick<ReloadCoordinatorOptions, 'onRun'>;

  constructor(options: ReloadCoordinatorOptions) {
    this.#options = { shardTimeoutMs: 13 * 60_000, idsOf: (shard) => [shard.id], ...options };
  }

  /** Reloads every shard because the shared archive changed (no shard asked); joins a run under way. */
  reloadAll(): Promise<ReloadEverywhereOutcome> {
    return (this.#inflight ?? this.#start('database')).outcome;
  }

  /** Listens to a (newly created) shard process for reload requests. */
  attach(shard: ShardProcess): void {
    shard.on('message', (message) => {
      if (!isArchivistMessage<ShardToLauncher>(message) || message.archivist !== 'reload-request') return;
      void this.#answer(shard, message.requestId);
    });
  }

  async #answer(shard: ShardProcess, requestId: string): Promise<void> {
    const joined = this.#inflight !== undefined;
    const run = this.#inflight ?? this.#start(this.#options.idsOf(shard));
    const asker = { shard, requestId };
    run.askers.add(asker);
    const outcome = await run.outcome;
    run.askers.delete(asker);
    await shard
      .send({ archivist: 'reload-result', requestId, runId: run.runId, joined, outcome })
      .catch((err: unknown) =>
        this.#options.logger.warn('could not send the reload result to the shard that asked', { shard: shard.id, err }),
      );
  }

  #start(requestedBy: readonly number[] | 'database'): Run {
    const runId = randomUUID();
    const started = Date.now();
    const askers: Run['askers'] = new Set();
    const onProgress = (progress: LoadProgress): void => {
      for (const { shard, requestId } of askers) {
        // Progress is a courtesy: a shard that cannot be told now still gets the result.
        shard.send({ archivist: 'reload-progress', requestId, progress }).catch(() => undefined);
      }
    };
    const outcome = this.#run(runId, requestedBy, onProgress)
      .then(async (result) => {
        await this.#options.onRun?.(result, Date.now() - started);
        return result;
      })
      .finally(() => {
        this.#inflight = undefined;
      });
    this.#inflight = { runId, outcome, askers };
    return this.#inflight;
  }

  async #run(
    runId: string,
    requestedBy: readonly number[] | 'database',
    onProgress: (progress: LoadProgress) => void,
  ): Promise<ReloadEverywhereOutcome> {
    const { logger, prepare, shards } = this.#options;
    const started = Date.now();
    logger.info('reload of every shard requested', { shard: requestedBy });
    try {
      const summary = await prepare(onProgress);
      logger.info('archive index saved for the shards', { ...summary, durationMs: Date.now() - started });
    } catch (error) {
      logger.warn('reload failed before any shard reloaded; nothing changed', { err: error, durationMs: Date.now() - started });
      const message = error instanceof Error ? error.message : String(error);
      const kind = error instanceof IndexPreparationError ? error.kind : undefined;
      return { ok: false, failure: kind ? { message, kind } : { message: 'an unexpected error' } };
    }
    const outcomes = await Promise.all([...shards()].map((shard) => this.#reloadShard(shard, runId)));
    logger.info('every shard reloaded', {
      durationMs: Date.now() - started,
      shards: outcomes.map(({ shardIds, ok, documents, cache, documentsAnalyzed, error }) => ({
        shardIds,
        ok,
        documents,
        cache,
        documentsAnalyzed,
        error,
      })),
    });
    return { ok: true, shards: outcomes };
  }

  /** Orders one shard process to reload and waits for its answer, its death or the timeout. */
  #reloadShard(shard: ShardProcess, runId: string): Promise<ShardReloadOutcome> {
    const started = Date.now();
    const failure = (error: string): ShardReloadOutcome => ({
      shardIds: this.#options.idsOf(shard),
      ok: false,
      documents: 0,
      error,
      durationMs: Date.now() - started,
    });
    return new Promise<ShardReloadOutcome>((resolve) => {
      const finish = (outcome: ShardReloadOutcome): void => {
        clearTimeout(timer);
        shard.off('message', onMessage);
        shard.off('death', onDeath);
        resolve(outcome);
      };
      const onMessage = (message: unknown): void => {
        if (isArchivistMessage<ShardToLauncher>(message) && message.archivist === 'reloaded' && message.runId === runId)
          finish(message.outcome);
      };
      const onDeath = (): void => finish(failure('the shard process exited during the reload (it loads the new index when it restarts)'));
      const timer = setTimeout(
        () => finish(failure(`no answer within ${Math.round(this.#options.shardTimeoutMs / 1000)} s`)),
        this.#options.shardTimeoutMs,
      );
      shard.on('message', onMessage);
      shard.on('death', onDeath);
      shard
        .send({ archivist: 'reload', runId })
        .catch(() => finish(failure('the shard process is not running (it loads the new index when it restarts)')));
    });
  }
}
