import { chmod, chown, mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
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

/** Chowns `path` to nobody (65534), or says why this run cannot (only root can give a folder away). */
async function giveToNobody(path: string): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'not root: cannot give a folder to another user';
  await chown(path, 65534, 65534);
  return undefined;
}

describe('a CACHE_DIR every user can write, owned by another user', () => {
  it('is not trusted: a warning names it and why, and the archive is analysed again without it', async (test) => {
    await Archive.load(archiveDir, { cacheDir: cacheRoot });
    const [folder] = await readdir(cacheRoot);
    for (const path of [cacheRoot, join(cacheRoot, folder!)]) {
      await chmod(path, 0o777);
      const cannot = await giveToNobody(path);
      if (cannot) test.skip(cannot);
    }
    const warnings: string[] = [];
    const archive = await Archive.load(archiveDir, { cacheDir: cacheRoot, onCacheWarning: (m) => warnings.push(m) });
    // The saved index is current, yet not read: it could have been put there by anyone.
    expect(archive.loadReport).toMatchObject({ cache: 'rebuilt', documentsAnalyzed: 2, saved: false });
    expect(warnings).toEqual([
      `cache not used: ${cacheRoot} is writable by every user and owned by another (uid 65534): anyone could put an index there, and a current one would be trusted; make it the bot's own (chown, chmod o-w) or choose another CACHE_DIR; the archive loads without it`,
    ]);
    expect(archive.search('tidal power').hits[0]?.document.id).toBe('tides.md');
  });

  it('a folder of its own planted by another user in a shared folder is not trusted either', async (test) => {
    await Archive.load(archiveDir, { cacheDir: cacheRoot });
    const [folder] = await readdir(cacheRoot);
    // Like /tmp: world-writable and sticky, owned by root (this run's user when it can chown).
    await chmod(cacheRoot, 0o1777);
    const cannot = await giveToNobody(join(cacheRoot, folder!));
    if (cannot) test.skip(cannot);
    const warnings: string[] = [];
    const archive = await Archive.load(archiveDir, { cacheDir: cacheRoot, onCacheWarning: (m) => warnings.push(m) });
    expect(archive.loadReport).toMatchObject({ cache: 'rebuilt', saved: false });
    expect(warnings.join('\n')).toContain(
      `${join(cacheRoot, folder!)} belongs to another user (uid 65534) inside a folder every user can write`,
    );
  });

  it('a shared folder of its own (root, or this user) is used as before', async () => {
    await mkdir(cacheRoot);
    await chmod(cacheRoot, 0o777);
    await Archive.load(archiveDir, { cacheDir: cacheRoot });
    const warm = await Archive.load(archiveDir, { cacheDir: cacheRoot, onCacheWarning: (m) => expect.fail(m) });
    expect(warm.loadReport?.cache).toBe('snapshot');
  });
});
