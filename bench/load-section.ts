/**
 * docs/benchmarks.md has sections written by runs other than the full one: "## Load" by the load
 * benchmark (bench/load.ts), "## SQuAD through the CLI" by `-- cli` (bench/cli/main.ts). Each
 * rewrites only its own section; the full run (bench/main.ts) keeps them.
 */
import { loadSection } from './report.js';

/** `text` with its `## <heading>` section replaced by `section` (added at the end when it has none). */
export function replaceSection(text: string, section: string, heading = 'Load'): string {
  const old = loadSection(text, heading);
  const out = old === undefined ? `${text.trimEnd()}\n\n${section}\n` : text.replace(old, () => section.trimEnd());
  return out.replace(/\n{3,}/g, '\n\n');
}

/** `text` with its "## Load" section replaced by `section`. */
export function replaceLoadSection(text: string, section: string): string {
  return replaceSection(text, section);
}
