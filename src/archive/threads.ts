/**
 * Starting a worker thread on one of the engine's modules, from sources or from a build.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The worker's bootstrap for `entry` (a module URL ending in .ts under tsx, .js in a build). Under
 * tsx (the project runs TypeScript directly) the entry is a .ts file, and on Node 20 a worker
 * ignores loader flags in `execArgv` (nodejs/node#47747), so the worker registers tsx itself
 * before importing the entry.
 */
export function workerBootstrap(entry: URL): { code: string; eval: true } | { code: URL; eval: false } {
  if (!entry.pathname.endsWith('.ts')) return { code: entry, eval: false };
  const require = createRequire(import.meta.url);
  const tsxApi = pathToFileURL(join(dirname(require.resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const code = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return { code, eval: true };
}

/** The URL of a sibling module of `base` named `name`, with the extension `base` has (.ts or .js). */
export function siblingModule(name: string, base: string): URL {
  return new URL(`./${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base);
}
