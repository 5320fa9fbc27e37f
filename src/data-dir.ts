/**
 * Where the archive lives by default: DATA_DIR from the environment (or .env),
 * resolved against the project root when relative, else the bundled `data/`.
 * Shared by the bot and the CLI so both serve the same archive.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.DATA_DIR?.trim();
  return configured ? path.resolve(PROJECT_ROOT, configured) : path.join(PROJECT_ROOT, 'data');
}
