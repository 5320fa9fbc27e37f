import { EventEmitter } from 'node:events';
import { describe, expect, test } from 'vitest';
import type { ArchiveSummary } from '../../../src/archive/index.js';
import { createLogger } from '../../../src/discord/logger.js';
import { ANALYSING } from '../../helpers/load-progress.js';
import { IndexPreparationError } from '../../../src/bot/shards/index-preparation.js';
import type { LauncherToShard, ShardReloadOutcome } from '../../../src/bot/shards/shard-protocol.js';
import { ReloadCoordinator, type ShardProcess } from '../../../src/bot/shards/shard-reloads.js';

const logger = createLogger({ write: () => {} });
const SUMMARY: ArchiveSummary = { documents: 2, passages: 4, skipped: 0 };

/** A shard process as the launcher sees it; `answer` decides what it does with a reload order. */
class FakeShard extends EventEmitter implements ShardProcess {
  readonly received: LauncherToShard[] = [];
  constructor(
    readonly id: number,
    private readonly answer: (shard: FakeShard, runId: string) => void = (shard, runId) => shard.reply(runId),
  ) {
    super();
  }
  send(message: LauncherToShard): Promise<unknown> {
    this.received.push(message);
    if (message.archivist === 'reload') setImmediate(() => this.answer(this, message.runId));
    return Promise.resolve(this);
  }
  reply(runId: string, outcome: Partial<ShardReloadOutcome> = {}): void {
    const full: ShardReloadOutcome = {
      shardIds: [this.id],
      ok: true,
      documents: 2,
      cache: 'snapshot',
      documentsAnalyzed: 0,
      durationMs: 5,
      ...outcome,
    };
    this.emit('message', { archivist: 'reloaded', runId, outcome: full });
  }
  /** Asks the launcher for a reload, as an admin's /reload in this shard does; resolves with the result sent back. */
  async request(requestId: string): Promise<Extract<LauncherToShard, { archivist: 'reload-result' }>> {
    this.emit('message', { archivist: 'reload-request', requestId });
    for (;;) {
      const result = this.received.find((m) => m.archivist === 'reload-result' && m.requestId === requestId);
      if (result?.archivist === 'reload-result') return result;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

function coordinate(
  shards: FakeShard[],
  prepare: () => Promise<ArchiveSummary> = () => Promise.resolve(SUMMARY),
  idsOf?: (shard: ShardProcess) => readonly number[],
) {
  const calls = { prepare: 0 };
  const coordinator = new ReloadCoordinator({
    shards: () => shards,
    ...(idsOf ? { idsOf } : {}),
    prepare: () => {
      calls.prepare++;
      return prepare();
    },
    logger,
    shardTimeoutMs: 1_000,
  });
  for (const shard of shards) coordinator.attach(shard);
  return calls;
}

describe('ReloadCoordinator', () => {
  test('while the index is prepared, the shards that asked are told how far it has got; the others are not', async () => {
    const shards = [new FakeShard(0), new FakeShard(1)];
    const coordinator = new ReloadCoordinator({
      shards: () => shards,
      prepare: async (onProgress) => {
        await new Promise((resolve) => setImmediate(resolve));
        onProgress(ANALYSING);
        return SUMMARY;
      },
      logger,
      shardTimeoutMs: 1_000,
    });
    for (const shard of shards) coordinator.attach(shard);
    await shards[1]!.request('r1');
    expect(shards[1]!.received.filter((m) => m.archivist === 'reload-progress')).toEqual([
      { archivist: 'reload-progress', requestId: 'r1', progress: ANALYSING },
    ]);
    expect(shards[0]!.received.some((m) => m.archivist === 'reload-progress')).toBe(false);
  });

  test('a request from one shard prepares the index once, reloads every shard, and answers the asker with every outcome', async () => {
    const shards = [new FakeShard(0), new FakeShard(1)];
    const calls = coordinate(shards);
    const result = await shards[1]!.request('r1');
    expect(calls.prepare).toBe(1);
    expect(shards.map((s) => s.received.filter((m) => m.archivist === 'reload').length)).toEqual([1, 1]);
    expect(result).toMatchObject({ joined: false, outcome: { ok: true } });
    expect(result.outcome.ok && result.outcome.shards.map((o) => o.shardIds[0])).toEqual([0, 1]);
    // Only the asker gets the result.
    expect(shards[0]!.received.some((m) => m.archivist === 'reload-result')).toBe(false);
  });

  test('requests while a run is under way join it: one preparation, one reload per shard', async () => {
    const shards = [new FakeShard(0), new FakeShard(1)];
    const calls = coordinate(shards);
    const [first, second] = await Promise.all([shards[0]!.request('a'), shards[1]!.request('b')]);
    expect(calls.prepare).toBe(1);
    expect(first.joined).toBe(false);
    expect(second.joined).toBe(true);
    expect(second.runId).toBe(first.runId);
    expect(shards.map((s) => s.received.filter((m) => m.archivist === 'reload').length)).toEqual([1, 1]);
  });

  test('a shard that dies during the reload, or never answers, is reported as failed; the others still count', async () => {
    const shards = [new FakeShard(0), new FakeShard(1, (shard) => shard.emit('death')), new FakeShard(2, () => {})];
    coordinate(shards);
    const result = await shards[0]!.request('r');
    expect(result.outcome.ok).toBe(true);
    const outcomes = result.outcome.ok ? result.outcome.shards : [];
    expect(outcomes.map((o) => [o.shardIds[0], o.ok])).toEqual([
      [0, true],
      [1, false],
      [2, false],
    ]);
    expect(outcomes[1]!.error).toMatch(/^the shard process exited during the reload/);
    expect(outcomes[2]!.error).toBe('no answer within 1 s');
  });

  test('a process that runs several shards and dies is reported with all of them', async () => {
    const shards = [new FakeShard(0), new FakeShard(2, (shard) => shard.emit('death'))];
    coordinate(shards, undefined, (shard) => (shard.id === 0 ? [0, 1] : [2, 3]));
    const result = await shards[0]!.request('r');
    const outcomes = result.outcome.ok ? result.outcome.shards : [];
    expect(outcomes.map((o) => [o.shardIds, o.ok])).toEqual([
      [[0], true], // the process's own answer: what it reports
      [[2, 3], false],
    ]);
  });

  test('when the index cannot be prepared no shard is told to reload; an archive error keeps its message and kind', async () => {
    const shards = [new FakeShard(0), new FakeShard(1)];
    coordinate(shards, () => Promise.reject(new IndexPreparationError('Cannot load archive: /srv/a does not exist', 'unreadable')));
    const result = await shards[0]!.request('r');
    expect(result.outcome).toEqual({ ok: false, failure: { message: 'Cannot load archive: /srv/a does not exist', kind: 'unreadable' } });
    expect(shards.flatMap((s) => s.received.filter((m) => m.archivist === 'reload'))).toEqual([]);
  });

  test('any other preparation failure is an unexpected error; its text stays in the log', async () => {
    const shards = [new FakeShard(0)];
    coordinate(shards, () => Promise.reject(new Error('EPIPE at some internal place')));
    expect((await shards[0]!.request('r')).outcome).toEqual({ ok: false, failure: { message: 'an unexpected error' } });
  });
});
