import { expect, test } from 'vitest';
import { uploadReport } from '../../commands/upload.js';
import { Archive, ArchiveLoadError } from '../../src/archive/index.js';
import type { ReloadReport } from '../../src/bot/holder.js';
import { reloadedReport } from '../helpers/reload-report.js';

const before = Archive.fromDocuments([{ id: 'a', title: 'A', text: 'Alpha text.', file: 'a.md' }]);
const records = [1, 2, 3].map((i) => ({ id: `r${i}`, title: `Record ${i}`, text: `Record ${i} text.`, file: 'uploads/records.jsonl' }));
const after = Archive.fromDocuments([...before.documents, ...records]);
const saved = {
  ok: true as const,
  file: 'uploads/records.jsonl',
  documents: records,
  skipped: [{ file: 'records.jsonl', line: 4, reason: 'invalid JSON: x' }],
};

test('a file of several documents: each with its passages, and the records the loader skipped', () => {
  expect(uploadReport(saved, { report: reloadedReport(before, after, 1_200) }).split('\n')).toEqual([
    '**Added** `uploads/records.jsonl`: 3 documents: **Record 1** (1 passage); **Record 2** (1 passage); **Record 3** (1 passage).',
    'Reloaded in 1.2 s: 4 documents in all. It answers /ask and /search now; /remove takes it out again.',
    'Skipped in the file:',
    '- records.jsonl (line 4): invalid JSON: x',
  ]);
});

test('a reload that failed: the file is saved, the archive in use is unchanged, and the admin is told why', () => {
  const report: ReloadReport = {
    ok: false,
    joined: false,
    error: new ArchiveLoadError('timeout', 'loading took longer than the 1 s limit (RELOAD_TIMEOUT_S) and was stopped'),
    archive: before,
    durationMs: 1_000,
  };
  const lines = uploadReport({ ...saved, skipped: [] }, { report }).split('\n');
  expect(lines[0]).toBe('**Saved** `uploads/records.jsonl`, but the archive was not reloaded:');
  expect(lines[1]).toBe(
    '**Reload failed**: Cannot load archive: loading took longer than the 1 s limit (RELOAD\\_TIMEOUT\\_S) and was stopped',
  );
  expect(lines[2]).toMatch(/^Nothing changed: still answering from the archive loaded <t:\d+:R> \(1 document\)\.$/);
});
