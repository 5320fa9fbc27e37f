import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { Archive } from '../../../src/archive/archive.js';
import { listArchive } from '../../../src/archive/load/walk.js';

/** An archive of three notes and a drafts folder, with `rules` as its .archivistignore (if given). */
async function archiveWith(rules?: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'archivist-ignore-'));
  await writeFile(path.join(dir, 'keep.md'), '# Keep\n\nRockets launched from the spaceport.');
  await writeFile(path.join(dir, 'secret.md'), '# Secret\n\nThe password is swordfish.');
  await writeFile(path.join(dir, 'notes.txt'), 'Rice harvest notes.');
  await mkdir(path.join(dir, 'drafts'));
  await writeFile(path.join(dir, 'drafts', 'a.md'), '# Draft A\n\nUnfinished rockets.');
  await writeFile(path.join(dir, 'drafts', 'b.md'), '# Draft B\n\nUnfinished rice.');
  if (rules !== undefined) await writeFile(path.join(dir, '.archivistignore'), rules);
  return dir;
}

describe('.archivistignore', () => {
  test('files and folders it matches (gitignore syntax) are not documents, and are counted', async () => {
    const dir = await archiveWith('# private\nsecret.md\ndrafts/\n*.txt\n');
    const listing = await listArchive(dir);
    expect(listing.files.map((f) => f.file)).toEqual(['keep.md']);
    expect(listing.ignored).toBe(3);
    expect(listing.skipped).toEqual([]);

    const archive = await Archive.load(dir, { cache: false });
    expect(archive.documents.map((d) => d.id)).toEqual(['keep.md']);
    expect(archive.loadReport?.ignored).toBe(3);
    expect(archive.search('swordfish password').hits).toEqual([]);
  });

  test('negation and nested paths work as in git', async () => {
    const dir = await archiveWith('drafts/*\n!drafts/b.md\n');
    const listing = await listArchive(dir);
    expect(listing.files.map((f) => f.file)).toEqual(['drafts/b.md', 'keep.md', 'notes.txt', 'secret.md']);
    expect(listing.ignored).toBe(1);
  });

  test('without the file nothing is ignored; an oversized one is skipped with a reason and ignores nothing', async () => {
    expect((await listArchive(await archiveWith())).ignored).toBe(0);
    const dir = await archiveWith(`${'x'.repeat(70 * 1024)}\nsecret.md\n`);
    const listing = await listArchive(dir);
    expect(listing.ignored).toBe(0);
    expect(listing.files).toHaveLength(5);
    expect(listing.skipped).toEqual([{ file: '.archivistignore', reason: 'larger than 64 KB; nothing ignored' }]);
  });

  test('the cached load reports the same count', async () => {
    const dir = await archiveWith('secret.md\n');
    const first = await Archive.load(dir, { cacheDir: path.join(dir, '..', `${path.basename(dir)}-cache`) });
    expect(first.loadReport?.ignored).toBe(1);
    expect(first.documents.map((d) => d.id)).not.toContain('secret.md');
  });
});
