import { describe, expect, test } from 'vitest';
import { formatReport } from '../../commands/reload.js';
import { Archive } from '../../src/archive/index.js';
import type { ShardReloadOutcome } from '../../src/bot/shards/shard-protocol.js';
import { reloadedReport } from '../helpers/reload-report.js';

const before = Archive.fromDocuments([{ id: 'a', title: 'A', text: 'Alpha text.', file: 'a.md' }]);
const after = Archive.fromDocuments([
  { id: 'a', title: 'A', text: 'Alpha text.', file: 'a.md' },
  { id: 'b', title: 'B', text: 'Beta text.', file: 'b.md' },
]);
const report = reloadedReport(before, after, 2_300);
const shard = (id: number, outcome: Partial<ShardReloadOutcome> = {}): ShardReloadOutcome => ({
  shardIds: [id],
  ok: true,
  documents: 2,
  cache: 'snapshot',
  documentsAnalyzed: 0,
  durationMs: 900,
  ...outcome,
});

describe('the /reload report of a sharded bot', () => {
  test('one line when every shard switched to the same index', () => {
    expect(formatReport(report, [shard(0), shard(1)]).split('\n')).toEqual([
      '**Reloaded** in 2.3 s: 2 documents; 1 added, 0 changed, 0 removed, 1 unchanged, 0 skipped.',
      '**Shards:** all 2 switched to the new index.',
      '**Added:** B (b)',
    ]);
  });

  test('a shard that failed is named with its reason; shards that analysed files themselves are flagged', () => {
    const text = formatReport(report, [
      shard(0),
      shard(1, { ok: false, documents: 1, error: 'Cannot load archive: /srv/archive is not readable (EACCES)' }),
      shard(2, { documents: 3, cache: 'rebuilt', documentsAnalyzed: 1 }),
    ]);
    expect(text).toContain('**Shards:** 2 of 3 switched to the new index.');
    expect(text).toContain(
      '- Shard 1 did not: Cannot load archive: /srv/archive is not readable (EACCES) It answers from its previous archive until it reloads.',
    );
    expect(text).toContain('- The archive changed while the shards reloaded, so they may not hold the same index: run /reload again.');
  });

  test('shards are counted, not processes: a process that runs several names them all', () => {
    const text = formatReport(report, [
      { ...shard(0), shardIds: [0, 1] },
      { ...shard(2, { ok: false, documents: 1, error: 'no answer within 780 s' }), shardIds: [2, 3] },
    ]);
    expect(text).toContain('**Shards:** 2 of 4 switched to the new index.');
    expect(text).toContain('- Shards 2, 3 did not: no answer within 780 s It answers from its previous archive until it reloads.');
    expect(formatReport(report, [{ ...shard(0), shardIds: [0, 1] }])).toContain('**Shards:** all 2 switched to the new index.');
  });

  test('without shards the report is unchanged', () => {
    expect(formatReport(report)).not.toContain('Shards');
  });
});
