import { chmod, mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Archive } from '../../../src/archive/archive.js';
import { cacheFolder } from '../../../src/archive/cache/cache-files.js';

/** CACHE_DIR: the on-disk index kept away from the archive, so a read-only archive stays warm. */
let tmp: string;
let archiveDir: string;
let cacheRoot: string;

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'archivist-cache-dir-'));
  archiveDir = join(tmp, 'archive');
  cacheRoot = join(tmp, 'cache');
  await mkdir(archiveDir);
  const past = new Date(Date.now() - 60_000);
  for (const [name, text] of [
    ['tides.md', '# Tides\n\nA tidal power station began operating on the west coast.\n'],
    ['mills.md', '# Mills\n\nThe windmill ground barley for the whole village.\n'],
  ]) {
    await writeFile(join(archiveDir, name!), text!);
    await utimes(join(archiveDir, name!), past, past);
  }
});

afterEach(async () => {
  await chmod(archiveDir, 0o755);
  await rm(tmp, { recursive: true, force: true });
});

describe('cacheDir', () => {
  it('keeps the index under the cache folder, names it for the archive, and writes nothing into the archive', async () => {
    const first = await Archive.load(archiveDir, { cacheDir: cacheRoot });
    expect(first.loadReport?.cache).toBe('rebuilt');
    expect(first.loadReport?.saved).toBe(true);
    expect(await readdir(archiveDir)).toEqual(['mills.md', 'tides.md']);
    const [folder, ...others] = await readdir(cacheRoot);
    expect(others).toEqual([]);
    expect(folder).toMatch(/^archive-[0-9a-f]{12}$/);
    expect(first.loadReport?.cacheDir).toBe(join(cacheRoot, folder!));
    expect(await readdir(join(cacheRoot, folder!))).toContain('index.bin');
  });

  it('a read-only archive starts warm from the cache folder', async () => {
    await Archive.load(archiveDir, { cacheDir: cacheRoot });
    await chmod(archiveDir, 0o555);
    const warm = await Archive.load(archiveDir, { cacheDir: cacheRoot, onCacheWarning: (m) => expect.fail(m) });
    expect(warm.loadReport?.cache).toBe('snapshot');
    expect(warm.loadReport?.documentsAnalyzed).toBe(0);
    expect(warm.search('tidal power').hits[0]?.document.id).toBe('tides.md');
  });

  it('two archives share one cache folder without meeting; a relative folder is resolved', () => {
    const a = cacheFolder('/srv/a/archive', false, 'cache');
    const b = cacheFolder('/srv/b/archive', false, 'cache');
    expect(a).not.toBe(b);
    expect(a.startsWith(join(process.cwd(), 'cache', 'archive-'))).toBe(true);
    // Without one, the cache stays beside the archive as before.
    expect(cacheFolder('/srv/a/archive', false)).toBe('/srv/a/archive/.archivist-cache');
    expect(cacheFolder('/srv/a/one.json', true)).toBe('/srv/a/.archivist-cache/one.json');
  });
});
