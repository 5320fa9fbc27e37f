/**
 * The generated archive as Markdown files in a folder of its own, so our engine can load it from
 * disk (and keep its on-disk index there). Each document is one file: `# title`, a blank line, then
 * its paragraphs separated by blank lines — the engine reads the heading as the title and each
 * paragraph as a passage, as it does with the documents in memory.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import os from 'node:os';
import path from 'node:path';
import { RACY_WINDOW_MS } from '../../src/archive/index.js';
import type { BenchDocument } from '../types.js';

/** Prefix of the temp folders this benchmark makes (each run removes only its own folder). */
export const TEMP_PREFIX = 'archivist-bench-start-';

/**
 * How long to wait after writing the files before the first load. A file changed within the cache's
 * racy window (RACY_WINDOW_MS) of a load is re-read and re-hashed by the next load, which then saves
 * the cache again: with files written just before the first load, the timed second load did that for
 * all 22k files (4.1–4.4 s instead of 2.3 s on 100k passages). That guard is for files just written,
 * not for a bot restarting over an archive it already indexed. (Back-dating mtime is not enough: the
 * cache checks ctime too, which cannot be set.)
 */
const SETTLE_MS = RACY_WINDOW_MS + 500;

export async function writeMarkdownArchive(documents: readonly BenchDocument[]): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), TEMP_PREFIX));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    for (let i = 0; i < documents.length; i += 256) {
      await Promise.all(
        documents.slice(i, i + 256).map((d) => writeFile(path.join(dir, path.basename(d.file ?? d.id)), `# ${d.title}\n\n${d.text}\n`)),
      );
    }
  } catch (error) {
    await remove();
    throw error;
  }
  await sleep(SETTLE_MS);
  return { dir, remove };
}
