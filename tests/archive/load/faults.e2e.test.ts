/**
 * The loader against files that break in ways tests/load.test.ts does not cover: parsers that throw
 * (a YAML alias bomb, JSON and HTML nested past the stack), a 50 MB file, a file that grows, is
 * deleted or is rewritten while a load reads it, permissions (as another user when running as root),
 * and archive paths that cannot be loaded at all. One broken file never stops a load.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, truncate, unlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Archive } from '../../../src/archive/archive.js';
import { loadArchive } from '../../../src/archive/load/index.js';
import { FileTooLargeError, readFileWithin } from '../../../src/archive/load/read.js';
import type { LoadedArchive } from '../../../src/archive/types.js';
import { PROJECT_ROOT } from '../../../src/settings/index.js';
import { bytesReadByProcess, spyOnFs, withFsHook } from '../../helpers/fs-spy.js';
import { runningAsRoot, unprivilegedSpawnOptions } from '../../helpers/unprivileged.js';

let tmp: string;
const MB = 1024 * 1024;
// How many bytes the process read is known on Linux (/proc/self/io); elsewhere that check is left out.
if (process.platform === 'linux' && bytesReadByProcess() === undefined) throw new Error('/proc/self/io is not readable');

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'archivist-faults-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function archiveWith(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(tmp, name);
  await mkdir(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) await writeFile(join(dir, file), content);
  return dir;
}

const skippedOf = (loaded: LoadedArchive) => Object.fromEntries(loaded.skipped.map((s) => [s.file, s.reason]));

describe('a parser that throws skips its file, and the rest loads', () => {
  test('YAML aliases to nothing and alias bombs, JSON and HTML nested deeper than the stack', async () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdef'[i]}`).join(',')}]`),
    ];
    const dir = await archiveWith('throwing', {
      'alias.md': '---\ntitle: *nope\n---\nBody.\n',
      'bomb.md': `---\n${bomb.join('\n')}\ntitle: bomb\n---\nBody of the bomb.\n`,
      'deep.json': `{"text": "deep", "tags": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`,
      'deep.html': `${'<div>'.repeat(100_000)}deep html text${'</div>'.repeat(100_000)}`,
      'good.md': '# Good\n\nThe good text still loads.\n',
    });
    const loaded = await loadArchive(dir);
    expect(loaded.documents.map((d) => d.id)).toEqual(['good.md']);
    const skipped = skippedOf(loaded);
    expect(skipped['alias.md']).toBe('invalid YAML front matter: Unresolved alias (the anchor must be set before the alias): nope');
    expect(skipped['bomb.md']).toBe('invalid YAML front matter: Excessive alias count indicates a resource exhaustion attack');
    expect(skipped['deep.json']).toBe('cannot be parsed (RangeError: Maximum call stack size exceeded)');
    expect(skipped['deep.html']).toBe('cannot be parsed (RangeError: Maximum call stack size exceeded)');
    // And so the bot can start from such an archive, not only reload it.
    expect((await Archive.load(dir)).documents).toHaveLength(1);
  });
});

describe('size limit', () => {
  test('a 50 MB file is skipped with its reason without being read', async () => {
    const dir = await archiveWith('big', { 'small.md': '# Small\n\nA small file about the reservoir.\n', 'huge.txt': '' });
    await truncate(join(dir, 'huge.txt'), 50 * MB); // sparse: no disk used
    const before = bytesReadByProcess();
    const loaded = await loadArchive(dir);
    const read = before === undefined ? undefined : bytesReadByProcess()! - before;
    expect(loaded.documents.map((d) => d.id)).toEqual(['small.md']);
    expect(loaded.skipped).toEqual([{ file: 'huge.txt', reason: `file is larger than the 20 MB limit (${50 * MB} bytes)` }]);
    if (read !== undefined) expect(read).toBeLessThan(MB);
  });

  test('a file that grows past the limit after it was listed is still not read whole', async () => {
    const dir = await archiveWith('growing', { 'a.md': '# A\n\nText of a.\n', 'growing.txt': 'Small for now.\n' });
    const growing = join(dir, 'growing.txt');
    const spy = spyOnFs(async ({ fn, path }) => {
      if (fn === 'promises.open' && path === growing) await truncate(growing, 50 * MB);
    });
    let loaded: LoadedArchive;
    const before = bytesReadByProcess();
    try {
      loaded = await loadArchive(dir);
    } finally {
      spy.stop();
    }
    const read = before === undefined ? undefined : bytesReadByProcess()! - before;
    expect(loaded.documents.map((d) => d.id)).toEqual(['a.md']);
    expect(loaded.skipped).toEqual([{ file: 'growing.txt', reason: `file is larger than the 20 MB limit (${50 * MB} bytes)` }]);
    if (read !== undefined) expect(read).toBeLessThan(MB);
  });

  test('readFileWithin stops one byte past the limit, and reads a file that fits whole', async () => {
    const dir = await archiveWith('within', { 'fits.txt': 'x'.repeat(1000) });
    expect((await readFileWithin(join(dir, 'fits.txt'), 1000)).length).toBe(1000);
    await expect(readFileWithin(join(dir, 'fits.txt'), 999)).rejects.toThrow(FileTooLargeError);
    await expect(readFileWithin(join(dir, 'fits.txt'), 999)).rejects.toMatchObject({ size: 1000, grew: false });
    await expect(readFileWithin(join(dir, 'missing.txt'), 999)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('special files: never opened for reading, always named (issue 10, items 4 and 13)', () => {
  const mkfifo = (path: string) => promisify(execFile)('mkfifo', [path]);

  test('a FIFO and a socket in the archive are listed as skipped; the load never waits on them', async () => {
    const dir = await archiveWith('special', { 'a.md': '# A\n\nText about the reservoir.\n' });
    await mkfifo(join(dir, 'pipe.md'));
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(dir, 'daemon.sock'), resolve));
    try {
      const loaded = await loadArchive(dir);
      expect(loaded.documents.map((d) => d.id)).toEqual(['a.md']);
      expect(skippedOf(loaded)).toEqual({ 'daemon.sock': 'not a regular file (a socket)', 'pipe.md': 'not a regular file (a FIFO)' });
    } finally {
      server.close();
    }
  });

  test('a file replaced by a FIFO after it was listed is skipped, not waited on forever', async () => {
    const dir = await archiveWith('fifo-swap', { 'a.md': '# A\n\nText of a.\n', 'b.md': '# B\n\nText of b.\n' });
    const swapped = join(dir, 'b.md');
    const loaded = await withFsHook(
      async ({ fn, path }) => {
        if (fn === 'promises.open' && path === swapped) {
          await unlink(swapped);
          await mkfifo(swapped);
        }
      },
      () => loadArchive(dir),
    );
    expect(loaded.documents.map((d) => d.id)).toEqual(['a.md']);
    expect(loaded.skipped).toEqual([{ file: 'b.md', reason: 'not a regular file' }]);
  });

  test('a file replaced by a symlink after it was listed is not followed', async () => {
    const dir = await archiveWith('link-swap', { 'a.md': '# A\n\nText of a.\n' });
    const secret = join(tmp, 'secret-outside.md');
    await writeFile(secret, '# Secret\n\nText from outside the archive.\n');
    const swapped = join(dir, 'a.md');
    const loaded = await withFsHook(
      async ({ fn, path }) => {
        if (fn === 'promises.open' && path === swapped) {
          await unlink(swapped);
          await symlink(secret, swapped);
        }
      },
      () => loadArchive(dir),
    );
    expect(loaded.documents).toEqual([]);
    expect(loaded.skipped).toEqual([{ file: 'a.md', reason: 'cannot read file: ELOOP' }]);
  });

  test('a sparse file just under the size limit is read within the limit and refused as binary', async () => {
    const dir = await archiveWith('sparse', { 'a.md': '# A\n\nText of a.\n', 'holes.txt': '' });
    await truncate(join(dir, 'holes.txt'), 19 * MB); // all holes: reads as NUL bytes
    const before = bytesReadByProcess();
    const loaded = await loadArchive(dir);
    const read = before === undefined ? undefined : bytesReadByProcess()! - before;
    expect(loaded.skipped).toEqual([{ file: 'holes.txt', reason: 'not valid UTF-8 text' }]);
    if (read !== undefined) expect(read).toBeLessThanOrEqual(20 * MB + 1);
  });

  test('a file whose name is not valid UTF-8 is reported as such, not as missing', async () => {
    const dir = await archiveWith('bad-name', { 'a.md': '# A\n\nText of a.\n' });
    // `f\xff.md`: 0xff never occurs in UTF-8.
    await writeFile(Buffer.concat([Buffer.from(`${dir}/f`), Buffer.from([0xff]), Buffer.from('.md')]), '# F\n\nText of f.\n');
    const loaded = await loadArchive(dir);
    expect(loaded.documents.map((d) => d.id)).toEqual(['a.md']);
    expect(loaded.skipped).toEqual([{ file: 'f\uFFFD.md', reason: 'file name is not valid UTF-8 (rename it)' }]);
  });
});

describe('files that change while a load reads them', () => {
  test('deleted after listing: skipped as unreadable; rewritten half-way: its own problem; replaced: the new text', async () => {
    const dir = await archiveWith('changing', {
      'a-deleted.md': '# Deleted\n\nThis file will be gone.\n',
      'b-records.json': JSON.stringify([
        { title: 'One', text: 'First record.' },
        { title: 'Two', text: 'Second record.' },
      ]),
      'c-replaced.md': '# Old\n\nOld text.\n',
      'd-stable.md': '# Stable\n\nStable text about the glacier.\n',
    });
    const loaded = await withFsHook(
      async ({ fn, path }) => {
        if (fn !== 'promises.open') return;
        if (path.endsWith('a-deleted.md')) await unlink(path);
        // A writer caught mid-way: the JSON is cut off inside the second record.
        if (path.endsWith('b-records.json')) await writeFile(path, '[{"title": "One", "text": "First record."}, {"title": "Tw');
        if (path.endsWith('c-replaced.md')) await writeFile(path, '# New\n\nNew text.\n');
      },
      () => loadArchive(dir),
    );
    expect(loaded.documents.map((d) => [d.id, d.title])).toEqual([
      ['c-replaced.md', 'New'],
      ['d-stable.md', 'Stable'],
    ]);
    const skipped = skippedOf(loaded);
    expect(skipped['a-deleted.md']).toBe('cannot read file: ENOENT');
    expect(skipped['b-records.json']).toMatch(/^invalid JSON: /);
  });

  test('a folder removed while it is walked is skipped, and the rest loads', async () => {
    const dir = await archiveWith('vanishing', { 'keep.md': '# Keep\n\nKept text.\n' });
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', 'gone.md'), '# Gone\n\nGone text.\n');
    const loaded = await withFsHook(
      async ({ fn, path }) => {
        if (fn === 'promises.readdir' && path === join(dir, 'sub')) await rm(path, { recursive: true });
      },
      () => loadArchive(dir),
    );
    expect(loaded.documents.map((d) => d.id)).toEqual(['keep.md']);
    expect(loaded.skipped).toEqual([{ file: 'sub', reason: 'cannot read folder: ENOENT' }]);
  });
});

describe('an archive path that cannot be loaded at all: one "Cannot load archive:" message for people', () => {
  test('a symlink loop, a dangling link, a device, a folder-less path', async () => {
    const loop = join(tmp, 'loop');
    await symlink(loop, loop);
    await expect(loadArchive(loop)).rejects.toThrow(`Cannot load archive: ${loop} is a symlink loop`);
    const dangling = join(tmp, 'dangling');
    await symlink(join(tmp, 'nowhere'), dangling);
    await expect(loadArchive(dangling)).rejects.toThrow(`Cannot load archive: ${dangling} does not exist`);
    await expect(loadArchive('/dev/null')).rejects.toThrow('Cannot load archive: /dev/null is neither a file nor a folder');
    const file = join(tmp, 'plain.md');
    await writeFile(file, '# Plain\n\nText.\n');
    await expect(loadArchive(join(file, 'below'))).rejects.toThrow(`Cannot load archive: ${join(file, 'below')} does not exist`);
  });
});

// Root reads every file whatever its mode, so when the tests run as root (as in CI) the check runs
// in a child process as the unprivileged user `nobody`.
const unprivileged = unprivilegedSpawnOptions();

async function loadAsUnprivileged(path: string): Promise<LoadedArchive | { error: string }> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', join(PROJECT_ROOT, 'tests/helpers/load-archive-child.ts'), path],
    {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: tmpdir() },
      ...('options' in unprivileged ? unprivileged.options : {}),
    },
  );
  return JSON.parse(stdout) as LoadedArchive | { error: string };
}

describe('permissions', () => {
  if ('skip' in unprivileged) console.warn(`load-faults: permission test skipped: ${unprivileged.skip}`);
  test.skipIf('skip' in unprivileged)(
    `an unreadable file is skipped with EACCES, an unreadable subfolder too, an unreadable root fails the load (${runningAsRoot ? 'as nobody' : 'as this user'})`,
    async () => {
      const dir = await archiveWith('permissions', { 'ok.md': '# Ok\n\nReadable text.\n', 'locked.md': '# Locked\n\nUnreadable text.\n' });
      await mkdir(join(dir, 'closed'));
      await writeFile(join(dir, 'closed', 'inside.md'), '# Inside\n\nText inside a closed folder.\n');
      await chmod(tmp, 0o755);
      await chmod(dir, 0o755);
      await chmod(join(dir, 'ok.md'), 0o644);
      await chmod(join(dir, 'locked.md'), 0o000);
      await chmod(join(dir, 'closed'), 0o000);
      try {
        const loaded = await loadAsUnprivileged(dir);
        expect(loaded).toEqual({
          documents: [{ id: 'ok.md', title: 'Ok', text: 'Readable text.', file: 'ok.md', layout: expect.anything() as unknown }],
          skipped: [
            { file: 'closed', reason: 'cannot read folder: EACCES' },
            { file: 'locked.md', reason: 'cannot read file: EACCES' },
          ],
          duplicates: 0,
        });
        // An archive that is one unreadable file cannot be loaded at all.
        expect(await loadAsUnprivileged(join(dir, 'locked.md'))).toEqual({
          error: `Cannot load archive: permission denied reading ${join(dir, 'locked.md')}`,
        });
        await chmod(dir, 0o000);
        expect(await loadAsUnprivileged(dir)).toEqual({ error: `Cannot load archive: permission denied reading ${dir}` });
      } finally {
        await chmod(dir, 0o755);
        await chmod(join(dir, 'locked.md'), 0o644);
        await chmod(join(dir, 'closed'), 0o755);
      }
    },
    30_000,
  );
});
