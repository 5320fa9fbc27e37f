import { mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import { moveToTrash, moveWithoutOverwrite, safeFileName, saveUpload } from '../../../src/bot/admin/archive-files.js';

describe('safeFileName', () => {
  test.each([
    ['report.md', '.md', 'report.md'],
    ['../../../etc/passwd.md', '.md', 'passwd.md'],
    ['C:\\Users\\x\\notes.txt', '.txt', 'notes.txt'],
    ['...hidden.md', '.md', 'hidden.md'],
    ['gnp\u202Eexe.md', '.md', 'gnpexe.md'],
    ['a\u0000b\u200dc.md', '.md', 'abc.md'],
    ['Ｒｅｐｏｒｔ (final) ✓.md', '.md', 'Report-final.md'],
    ['Доклад о урожае.md', '.md', 'Доклад-о-урожае.md'],
    ['<>:"|?*.md', '.md', 'upload.md'],
    ['a..b.md', '.md', 'a.b.md'],
  ])('%j → %j', (name, extension, expected) => {
    expect(safeFileName(name, extension)).toBe(expected);
  });

  test('a long name is cut to 100 characters, extension kept', () => {
    const name = safeFileName(`${'word-'.repeat(40)}.md`, '.md');
    expect(name.length).toBeLessThanOrEqual(100);
    expect(name).toMatch(/^(word-)+wo\.md$/);
  });
});

describe('archive folder changes', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'archivist-files-'));
  });

  test('moveWithoutOverwrite takes the first free suffix and leaves what was there', async () => {
    await writeFile(join(root, 'a.md'), 'first');
    await writeFile(join(root, 'a-2.md'), 'second');
    await writeFile(join(root, 'incoming'), 'third');
    expect(await moveWithoutOverwrite(join(root, 'incoming'), root, 'a.md')).toBe('a-3.md');
    expect(await readFile(join(root, 'a.md'), 'utf8')).toBe('first');
    expect(await readFile(join(root, 'a-2.md'), 'utf8')).toBe('second');
    expect((await readdir(root)).sort()).toEqual(['a-2.md', 'a-3.md', 'a.md']);
  });

  test('moveToTrash refuses paths that leave the archive, the trash itself, and folders linked from outside', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'archivist-outside-'));
    await writeFile(join(outside, 'secret.md'), 'secret');
    await symlink(outside, join(root, 'linked'));
    for (const file of ['../secret.md', '/etc/passwd', 'a/../../secret.md', '.archivist-trash/x.md', 'linked/secret.md', 'a\\..\\b.md']) {
      expect(await moveToTrash(root, file), file).toEqual({ ok: false, reason: `${file} is not a file inside the archive folder` });
    }
    expect(await readdir(outside)).toEqual(['secret.md']);
    expect(await moveToTrash(root, 'gone.md')).toEqual({
      ok: false,
      reason: 'gone.md is no longer in the archive folder (moved or deleted since the last load)',
    });
  });

  test('moveToTrash keeps the file’s folders inside the trash', async () => {
    await mkdir(join(root, 'news', '2024'), { recursive: true });
    await writeFile(join(root, 'news', '2024', 'a.md'), 'text');
    expect(await moveToTrash(root, 'news/2024/a.md')).toEqual({ ok: true, trashedAs: '.archivist-trash/news/2024/a.md' });
    expect(await readFile(join(root, '.archivist-trash', 'news', '2024', 'a.md'), 'utf8')).toBe('text');
  });

  test('a one-file archive takes no uploads and gives up no files', async () => {
    const file = join(root, 'archive.md');
    await writeFile(file, '# One\n\nfile.');
    const reason = 'the archive is a single file, not a folder, so files cannot be added to it or removed from it here';
    expect(await saveUpload(file, 'x.md', Buffer.from('# X\n\nText.'))).toEqual({ ok: false, reason });
    expect(await moveToTrash(file, 'archive.md')).toEqual({ ok: false, reason });
  });

  test('a folder the bot cannot write to is a clear reason, not a crash', async () => {
    await writeFile(join(root, 'uploads'), 'a file where the folder should be');
    await writeFile(join(root, '.archivist-trash'), 'likewise');
    await writeFile(join(root, 'a.md'), '# A\n\nText.');
    expect(await saveUpload(root, 'x.md', Buffer.from('# X\n\nText.'))).toEqual({
      ok: false,
      reason: 'the bot cannot write to uploads/ in the archive folder (EEXIST)',
    });
    expect(await moveToTrash(root, 'a.md')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^the bot could not move it into \.archivist-trash\/ \(E[A-Z]+\)$/),
    });
    expect(await readFile(join(root, 'a.md'), 'utf8')).toBe('# A\n\nText.');
  });

  test('saveUpload leaves no staging folder behind, saved or refused', async () => {
    expect(await saveUpload(root, 'x.md', Buffer.from('# X\n\nSome text.'))).toMatchObject({ ok: true, file: 'uploads/x.md' });
    expect(await saveUpload(root, 'y.md', Buffer.from('  '))).toMatchObject({
      ok: false,
      skipped: [{ file: 'y.md', reason: 'empty text' }],
    });
    expect(await readdir(join(root, 'uploads'))).toEqual(['x.md']);
  });
});
