/**
 * The generated archive as Markdown files in a folder of its own, so our engine can load it from
 * disk (and keep its on-disk index there). Each document is one file: `# title`, a blank line, then
 * its paragraphs separated by blank lines — the engine reads the heading as the title and each
 * paragraph as a passage, as it does with the documents in memory.
 */
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BenchDocument } from '../types.js';

/** Prefix of the temp folders this benchmark makes (each run removes only its own folder). */
export const TEMP_PREFIX = 'archivist-bench-start-';

/**
 * The files' modification time: well in the past, as in an archive whose files predate its index.
 * Files written seconds before the first load fall in the cache's racy window (RACY_WINDOW_MS): the
 * next load re-reads and re-hashes every one of them and saves the cache again (measured: 4.4 s
 * instead of 2.3 s for the second start on 100k passages), which is the safeguard for files just
 * written, not a restart of a bot over an archive it already indexed.
 */
const FILE_TIME = new Date('2024-06-11T00:00:00Z');

export async function writeMarkdownArchive(documents: readonly BenchDocument[]): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), TEMP_PREFIX));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    for (let i = 0; i < documents.length; i += 256) {
      await Promise.all(
        documents.slice(i, i + 256).map(async (d) => {
          const file = path.join(dir, path.basename(d.file ?? d.id));
          await writeFile(file, `# ${d.title}\n\n${d.text}\n`);
          await utimes(file, FILE_TIME, FILE_TIME);
        }),
      );
    }
  } catch (error) {
    await remove();
    throw error;
  }
  return { dir, remove };
}
