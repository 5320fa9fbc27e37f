/**
 * Starting another of this folder's entry files as a child process, under tsx (development) or
 * compiled (dist) alike: the file is `.ts` when this module is, `.js` otherwise (as
 * src/archive/worker/client.ts picks its worker's entry).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const EXTENSION = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** The absolute path of `src/bot/shards/<name>.ts` (or `dist/…/<name>.js` once compiled). */
export function entryPath(name: string): string {
  return fileURLToPath(new URL(`./${name}${EXTENSION}`, import.meta.url));
}

/** Node flags for a child: this process's own (memory limits, say), tsx under development, no second inspector. */
export function childExecArgv(): string[] {
  const own = process.execArgv.filter((flag) => !flag.startsWith('--inspect'));
  if (EXTENSION !== '.ts') return own;
  const require = createRequire(import.meta.url);
  const tsx = pathToFileURL(join(dirname(require.resolve('tsx/package.json')), 'dist/loader.mjs')).href;
  return [...own, '--import', tsx];
}
