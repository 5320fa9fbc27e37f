/**
 * Where the archive lives by default: DATA_DIR from the environment (or .env),
 * resolved against the project root when relative, else the bundled `data/`.
 * Shared by the bot and the CLI so both serve the same archive.
 */
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
    if (path.dirname(dir) === dir) return path.resolve(folder, '..');
  }
}

/** CACHE_DIR from the environment (or .env), resolved like DATA_DIR; undefined keeps the cache beside the archive. */
export function configuredCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env.CACHE_DIR?.trim();
  return configured ? path.resolve(PROJECT_ROOT, configured) : undefined;
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.DATA_DIR?.trim();
  return configured ? path.resolve(PROJECT_ROOT, configured) : path.join(PROJECT_ROOT, 'data');
}
