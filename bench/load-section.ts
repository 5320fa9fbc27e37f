/**
 * The "## Load" section of docs/benchmarks.md belongs to the load benchmark (bench/load.ts); the rest
 * of the file to the engine benchmark (bench/main.ts). Each rewrites only its own part.
 */
import { loadSection } from './report.js';

/** `text` with its "## Load" section replaced by `section` (added at the end when it has none). */
export function replaceLoadSection(text: string, section: string): string {
  const old = loadSection(text);
  const out = old === undefined ? `${text.trimEnd()}\n\n${section}\n` : text.replace(old, () => section.trimEnd());
  return out.replace(/\n{3,}/g, '\n\n');
}
