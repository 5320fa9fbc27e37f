// Temporary minimal loader (Markdown/text only) until the full loaders land.
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import type { ArchiveDocument, LoadedArchive } from '../types.js';

export async function loadArchive(root: string): Promise<LoadedArchive> {
  let info;
  try {
    info = await stat(root);
  } catch (error) {
    throw new Error(`Cannot load archive: ${root} does not exist`);
  }
  const files = info.isDirectory()
    ? (await readdir(root, { recursive: true })).filter((f) => /\.(md|txt)$/.test(f)).sort().map((f) => path.join(root, f))
    : [root];
  const base = info.isDirectory() ? root : path.dirname(root);
  const documents: ArchiveDocument[] = [];
  for (const file of files) {
    let text = await readFile(file, 'utf8');
    let meta: Record<string, unknown> = {};
    const fm = /^---\n([\s\S]*?)\n---\n/.exec(text);
    if (fm) {
      meta = parse(fm[1]!) ?? {};
      text = text.slice(fm[0].length);
    }
    const rel = path.relative(base, file);
    documents.push({ id: rel, file: rel, title: String(meta.title ?? rel), text });
  }
  return { documents, skipped: [], duplicates: 0 };
}
