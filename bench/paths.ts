/** Where the benchmark finds its data: the project root and the shared folder beside it. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (the folder holding package.json), wherever the clone lives. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A path inside `../shared/` next to the project root (the evaluation sets and the sample archives). */
export function sharedPath(...parts: string[]): string {
  return path.resolve(projectRoot, '../shared', ...parts);
}
