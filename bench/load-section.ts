/**
 * The "## Load" section of docs/benchmarks.md belongs to the load benchmark (bench/load.ts); the rest
 * of the file to the engine benchmark (bench/main.ts). Each rewrites only its own part.
 */
import { readFile } from 'node:fs/promises';

const HEADING = /^## Load$/m;

/** The "## Load" section of `text` (up to the next "## " heading), or undefined. */
export function loadSectionOf(text: string): string | undefined {
  const start = text.search(HEADING);
  if (start === -1) return undefined;
  const next = text.slice(start + 1).search(/^## /m);
  return text.slice(start, next === -1 ? text.length : start + 1 + next).trimEnd();
}

/** `text` with its "## Load" section replaced by `section` (added at the end when it has none). */
export function replaceLoadSection(text: string, section: string): string {
  const old = loadSectionOf(text);
  const out = old === undefined ? `${text.trimEnd()}\n\n${section}\n` : text.replace(old, () => section.trimEnd());
  return out.replace(/\n{3,}/g, '\n\n');
}

/** The engine benchmark's new `markdown` for `file`, keeping the load section the file already has. */
export async function withLoadSection(file: string, markdown: string): Promise<string> {
  const section = loadSectionOf(await readFile(file, 'utf8').catch(() => ''));
  return section === undefined ? markdown : replaceLoadSection(markdown, section);
}
