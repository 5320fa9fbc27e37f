import { EventEmitter } from 'node:events';
import { describe, expect, test } from 'vitest';
import { Archive, isArchiveLoadError, type LoadProgress } from '../../../src/archive/index.js';
import { ANALYSING } from '../../helpers/load-progress.js';
import { ArchiveHolder } from '../../../src/bot/holder.js';
import { createShardLink, type LauncherChannel } from '../../../src/bot/shards/shard-link.js';
import type { LauncherToShard, ShardToLauncher } from '../../../src/bot/shards/shard-protocol.js';
import { createLogger } from '../../../src/discord/logger.js';

const logger = createLogger({ write: () => {} });

/** The archive grows by one document per load, so a reload is visible. */
function growingHolder(): ArchiveHolder {
  let loads = 0;
  return new ArchiveHolder('/archive', logger, () => {
    loads++;
    return Promise.resolve(
      Archive.fromDocuments(
        Array.from({ length: loads }, (_, i) => ({ id: `d${i}`, title: `D${i}`, text: `Document ${i} text.`, file: `d${i}.md` })),
      ),
    );
  });
}

/** The IPC channel as the shard sees it; `launcher` plays the other side. */
class FakeChannel extends EventEmitter implements LauncherChannel {
  readonly sent: ShardToLauncher[] = [];
  launcher: (message: ShardToLauncher) => void = () => {};
  send(message: ShardToLauncher): void {
    this.sent.push(message);
    setImmediate(() => this.launcher(message));
  }
  deliver(message: LauncherToShard): void {
    this.emit('message', message);
  }
}

/** A shard link over a fake channel, its archive loaded once. */
async function linkedShard(options: { shardIds?: number[]; timeoutMs?: number } = {}) {
  const channel = new FakeChannel();
  const holder = growingHolder();
  await holder.init();
  const link = createShardLink({ channel, holder, logger, shardIds: [0], ...options });
  return { channel, holder, link };
}

describe('a shard process and the launcher', () => {
  test('a reload ordered by the launcher reloads this process and answers with its outcome', async () => {
    const { channel, holder } = await linkedShard({ shardIds: [3] });
    channel.deliver({ archivist: 'reload', runId: 'run-1' });
    while (channel.sent.length === 0) await new Promise((resolve) => setImmediate(resolve));
    expect(channel.sent).toEqual([
      { archivist: 'reloaded', runId: 'run-1', outcome: { shardIds: [3], ok: true, documents: 2, durationMs: expect.any(Number) } },
    ]);
    expect(holder.current.documents).toHaveLength(2);
  });

  test('reloadEverywhere: this shard’s own report, with every shard’s outcome from the launcher', async () => {
    const { channel, link } = await linkedShard();
    const other = { shardIds: [1], ok: true, documents: 2, cache: 'snapshot' as const, documentsAnalyzed: 0, durationMs: 7 };
    channel.launcher = (message) => {
      if (message.archivist === 'reload-request') channel.deliver({ archivist: 'reload', runId: 'run-2' });
      if (message.archivist === 'reloaded') {
        const requestId = (channel.sent.find((m) => m.archivist === 'reload-request') as { requestId: string }).requestId;
        channel.deliver({
          archivist: 'reload-result',
          requestId,
          runId: 'run-2',
          joined: false,
          outcome: { ok: true, shards: [message.outcome, other] },
        });
      }
    };
    const { report, shards } = await link.reloadEverywhere();
    expect(report.ok && report.diff.added.map((d) => d.id)).toEqual(['d1']);
    expect(shards?.map((s) => s.shardIds[0])).toEqual([0, 1]);
  });

  test('reloadEverywhere: the launcher’s progress for this request reaches the caller; another request’s does not', async () => {
    const { channel, link } = await linkedShard();
    channel.launcher = (message) => {
      if (message.archivist !== 'reload-request') return;
      channel.deliver({ archivist: 'reload-progress', requestId: 'someone-else', progress: { ...ANALYSING, passagesAnalysed: 1 } });
      channel.deliver({ archivist: 'reload-progress', requestId: message.requestId, progress: ANALYSING });
      const shards = [{ shardIds: [1], ok: true, documents: 2, durationMs: 7 }];
      channel.deliver({
        archivist: 'reload-result',
        requestId: message.requestId,
        runId: 'run-p',
        joined: false,
        outcome: { ok: true, shards },
      });
    };
    const told: LoadProgress[] = [];
    await link.reloadEverywhere((progress) => told.push(progress));
    expect(told).toEqual([ANALYSING]);
  });

  test('a preparation failure comes back as the engine’s load error; nothing changed here', async () => {
    const { channel, holder, link } = await linkedShard();
    channel.launcher = (message) => {
      if (message.archivist !== 'reload-request') return;
      channel.deliver({
        archivist: 'reload-result',
        requestId: message.requestId,
        runId: 'run-3',
        joined: true,
        outcome: { ok: false, failure: { message: 'Cannot load archive: /archive does not exist', kind: 'unreadable' } },
      });
    };
    const { report, shards } = await link.reloadEverywhere();
    expect(report.ok).toBe(false);
    expect(report.joined).toBe(true);
    expect(!report.ok && isArchiveLoadError(report.error) && report.error.message).toBe('Cannot load archive: /archive does not exist');
    expect(shards).toBeUndefined();
    expect(holder.current.documents).toHaveLength(1);
  });

  test('a launcher that never answers: the reload fails after the timeout instead of hanging', async () => {
    const { channel, link } = await linkedShard({ timeoutMs: 50 });
    const { report } = await link.reloadEverywhere();
    expect(!report.ok && report.error.message).toBe('the launcher did not answer within 0 s');
    expect(channel.listenerCount('message')).toBe(1); // only the link's own listener is left
  });
});
