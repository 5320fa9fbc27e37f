/**
 * Several processes on one cache folder (the shard processes of one bot): they may build it at the
 * same time, and any of them starts from the index another one saved.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Archive } from '../../../src/archive/archive.js';

const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
let root: string;

interface ChildLoad {
  cache: string;
  saved: boolean;
  warnings: string[];
  documents: number;
}

async function loadInProcess(): Promise<ChildLoad> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', join(PROJECT_ROOT, 'tests/helpers/cached-load-child.ts'), root],
    { cwd: PROJECT_ROOT },
  );
  return JSON.parse(stdout) as ChildLoad;
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'archivist-processes-'));
  for (let i = 0; i < 30; i++) {
    await writeFile(
      join(root, `note-${i}.md`),
      `# Note ${i}\n\nNote ${i} tells of harbour ${i}, its ships and the salt trade of year ${1900 + i}.\n`,
    );
  }
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('processes sharing one cache folder', () => {
  it('three building at once all load, the cache they leave is whole, and another process starts from it', async () => {
    const builds = await Promise.all([loadInProcess(), loadInProcess(), loadInProcess()]);
    for (const build of builds) expect(build).toMatchObject({ documents: 30, warnings: [] });
    // Every writer renamed a complete file into place: no temporaries, one snapshot, readable.
    const files = await readdir(join(root, '.archivist-cache'), { recursive: true });
    expect(files.filter((name) => name.endsWith('.tmp'))).toEqual([]);
    // A fresh process (a shard starting later) uses the saved index without analysing anything.
    expect(await loadInProcess()).toMatchObject({ cache: 'snapshot', saved: true, warnings: [], documents: 30 });
    const here = await Archive.load(root);
    expect(here.loadReport).toMatchObject({ cache: 'snapshot', documentsAnalyzed: 0 });
    expect(here.search('harbour 7 salt').hits[0]?.document.id).toBe('note-7.md');
  });
});
