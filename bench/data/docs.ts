/**
 * The Vite documentation archive (../shared/archive/vite-docs): 57 VitePress pages. Our engine
 * loads the folder with its own loader (it reads Markdown as it will in production); the peers
 * index each page as a document of its raw text, as a developer would feed a search library.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { sharedPath } from '../paths.js';
import type { BenchDocument } from '../types.js';

export const DOCS_DIR = sharedPath('archive/vite-docs');

/** Every `.md` page under `dir` but those its `.archivistignore` names, as raw-text documents. */
export async function loadDocsPages(dir = DOCS_DIR): Promise<BenchDocument[]> {
  const ignored = new Set(
    (await readFile(path.join(dir, '.archivistignore'), 'utf8').catch(() => ''))
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
  );
  const files = (await readdir(dir, { recursive: true }))
    .map((file) => file.split(path.sep).join('/'))
    .filter((file) => file.endsWith('.md') && !ignored.has(file))
    .sort();
  if (files.length === 0) throw new Error(`bench: no Markdown pages in ${dir}`);
  return Promise.all(
    files.map(async (file) => {
      const text = await readFile(path.join(dir, file), 'utf8');
      const title = /^title:\s*(.+)$/m.exec(text)?.[1] ?? /^#\s+(.+)$/m.exec(text)?.[1] ?? path.basename(file, '.md');
      return { id: file, title: title.trim(), text, file };
    }),
  );
}
