/**
 * `archivist import-archive --data DIR` and `archivist export-archive --out DIR`: an archive folder
 * into the archive several machines share (PostgreSQL, DATABASE_URL), and back out, byte for byte.
 * Importing the same folder twice changes nothing (no new version, no machine reloads).
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { ArchiveDb, isArchivePath } from '../store/archive-db.js';
import { createPool } from '../store/pool.js';
import { readSetting } from '../settings/index.js';

/** Every file the shared archive can hold under `root`: hidden files and folders left out (the loader's own, the cache, the trash), `.archivistignore` kept. */
async function archiveFiles(root: string): Promise<Array<{ path: string; bytes: Buffer }>> {
  const files: Array<{ path: string; bytes: Buffer }> = [];
  const visit = async (folder: string): Promise<void> => {
    for (const entry of (await readdir(folder, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(folder, entry.name);
      const path = relative(root, full).split(sep).join('/');
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.')) await visit(full);
      } else if (entry.isFile() && isArchivePath(path)) {
        files.push({ path, bytes: await readFile(full) });
      }
    }
  };
  await visit(root);
  return files;
}

async function withDb<T>(work: (db: ArchiveDb) => Promise<T>): Promise<T> {
  const url = readSetting(process.env, 'databaseUrl');
  if (!url) throw new Error('DATABASE_URL is not set: it names the PostgreSQL database that holds the shared archive (postgres://…)');
  const pool = createPool(url);
  try {
    return await work(new ArchiveDb(pool));
  } finally {
    await pool.end();
  }
}

export async function importArchive(dir: string): Promise<string> {
  const files = await archiveFiles(dir);
  const result = await withDb((db) => db.importFiles(files, 'import-archive'));
  return `Imported ${dir}: ${files.length} file${files.length === 1 ? '' : 's'}, ${result.added} added, ${result.changed} changed, ${result.unchanged} unchanged; the shared archive is at version ${result.version}.\n`;
}

export async function exportArchive(out: string): Promise<string> {
  const files = await withDb((db) => db.presentFiles());
  for (const { path, bytes } of files) {
    if (!isArchivePath(path)) continue;
    const target = join(out, ...path.split('/'));
    await mkdir(join(target, '..'), { recursive: true });
    await writeFile(target, bytes);
  }
  await mkdir(out, { recursive: true });
  return `Exported ${files.length} file${files.length === 1 ? '' : 's'} to ${out}.\n`;
}
