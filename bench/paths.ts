/** Where the benchmark finds its data: the project root and the shared folder beside it. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (the folder holding package.json), wherever the clone lives. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The shared folder: `../shared` beside the project root, or beside the folder holding it (a
 * git worktree in `/work/wt/<name>` reads the same `/work/shared` as the clone in `/work/main`).
 */
const sharedRoot =
  [path.resolve(projectRoot, '../shared'), path.resolve(projectRoot, '../../shared')].find((dir) => existsSync(dir)) ??
  path.resolve(projectRoot, '../shared');

/** A path inside the shared folder (the evaluation sets and the sample archives). */
export function sharedPath(...parts: string[]): string {
  return path.resolve(sharedRoot, ...parts);
}
