/** The project folder: where `.env`, `data/` and package.json are, and what relative paths in settings start from. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding package.json (and `.env`, `data/`): the nearest one above this module, which
 * runs from `src/` under tsx and from `dist/src/` once built.
 */
export const PROJECT_ROOT = projectRootAbove(path.dirname(fileURLToPath(import.meta.url)));

function projectRootAbove(folder: string): string {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(folder, '..', '..');
  }
}
