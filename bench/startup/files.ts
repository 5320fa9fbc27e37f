/**
 * The generated archive as Markdown files in a folder of its own, so our engine can load it from
 * disk (and keep its on-disk index there). Each document is one file: `# title`, a blank line, then
 * its paragraphs separated by blank lines — the engine reads the heading as the title and each
 * paragraph as a passage, as it does with the documents in memory.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BenchDocument } from '../types.js';

/** Prefix of the temp folders this benchmark makes (each run removes only its own folder). */
export const TEMP_PREFIX = 'archivist-bench-start-';

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
  return { dir, remove };
}
