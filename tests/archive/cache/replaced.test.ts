/**
 * Shard processes and the launcher's index child save the same index. One may replace the saved
 * file between another's reading its header and its body: that reader must read the new file, not
 * count it as damage and re-analyse the archive.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { decodeSnapshot, encodeSnapshot, SNAPSHOT_FILE } from '../../../src/archive/cache/cache-files.js';
import { loadCached } from '../../../src/archive/pipeline/cached-load.js';
import { decodeContainer } from '../../../src/archive/wire/container.js';
import { engineKey } from '../../../src/archive/cache/engine-key.js';
import { withFsHook } from '../../helpers/fs-spy.js';

let root: string;
let cacheDir: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'archivist-replaced-'));
  cacheDir = await mkdtemp(join(tmpdir(), 'archivist-replaced-cache-'));
  await writeFile(join(root, 'alpha.md'), '# Aardvarks\n\nThe aardvark ate apricots at dawn beside the old mill.\n');
  await writeFile(join(root, 'beetles.md'), '# Beetles\n\nThe beetle survey counted four hundred stag beetles.\n');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(cacheDir, { recursive: true, force: true });
});

/** The saved index as another process would save it again: the same index, a later check time. */
function resaved(path: string): Buffer {
  const { manifest, snapshot } = decodeSnapshot(decodeContainer(readFileSync(path)), engineKey(), root);
  return Buffer.concat(encodeSnapshot(engineKey(), { ...manifest, checkedAt: manifest.checkedAt + 1 }, snapshot));
}

it('a saved index replaced by another process while it is read is read again, not rebuilt', async () => {
  const first = await loadCached(root, { cacheDir, racyWindowMs: 0 });
  const snapshotPath = join(first.report.cacheDir!, SNAPSHOT_FILE);
  const replacement = resaved(snapshotPath);

  // Files are read to check them after the snapshot's header is read and before its body is: replace it then, once.
  let replaced = false;
  const warnings: string[] = [];
  const result = await withFsHook(
    ({ path }, calls) => {
      const headerRead = calls.some((call) => call.fn === 'openSync' && call.path === snapshotPath);
      if (replaced || !headerRead || !path.startsWith(root)) return;
      writeFileSync(`${snapshotPath}.other`, replacement);
      renameSync(`${snapshotPath}.other`, snapshotPath);
      replaced = true;
    },
    // A racy window so wide that every file is read (and hashed) before the snapshot is trusted.
    () => loadCached(root, { cacheDir, racyWindowMs: 60_000, warn: (w) => warnings.push(w) }),
  );
  expect(replaced).toBe(true);
  expect(warnings).toEqual([]);
  expect(result.report.cache).toBe('snapshot');
  expect(result.report.documentsAnalyzed ?? 0).toBe(0);
  expect(result.loaded.documents.map((d) => d.title).sort()).toEqual(['Aardvarks', 'Beetles']);
});
