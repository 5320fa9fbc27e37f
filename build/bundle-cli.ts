/**
 * `npm run build`'s last step: the compiled CLI (dist/src/cli/main.js) made one file with the
 * modules it imports, so a one-question `archivist ask` loads one script instead of ~140 (the
 * loader's work per module — resolve, stat, read, compile — was a quarter of its CPU time).
 *
 *   tsx build/bundle-cli.ts [DIST]   (default: dist/ of the project folder)
 *
 * Every other compiled file stays where tsc put it: the bot, the worker threads a cold load starts
 * and the engine key (which hashes the engine's compiled files) use them as before. Each bundled
 * module keeps its own `import.meta.url` (rewritten to its compiled file's URL), so what it finds
 * beside itself — the project folder, worker entries, the engine's files, packages required at run
 * time — is what the compiled file finds. Packages stay outside the bundle (resolved from
 * node_modules at run time, pruned of dev dependencies in production) except the small pure ones
 * every `ask` loads, listed in {@link INLINE_PACKAGES}.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/** Packages bundled in: every `ask` loads them, they are plain JavaScript, and wink-nlp alone is 44 files. */
const INLINE_PACKAGES = new Set(['wink-nlp', 'dotenv', 'ignore']);

/** The modules `ask` imports on demand (compiled paths in dist/): bundled, as what they import statically is. */
const ASK_MODULES = new Set([
  'src/archive/index.js',
  'src/cli/format.js',
  'src/cli/progress-bar.js',
  'src/cli/json.js',
  'src/cli/batch.js',
]);

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.resolve(process.argv[2] ?? path.join(projectRoot, 'dist'));
const entry = path.join(dist, 'src/cli/main.js');

/** The bare name of an import (`@scope/name` or `name`), without its subpath. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Packages outside the bundle, and each compiled module's `import.meta.url` kept as its own. */
const keepModulesWhereTheyAre: Plugin = {
  name: 'keep-modules-where-they-are',
  setup(bundle) {
    bundle.onResolve({ filter: /^[^./]/ }, ({ path: specifier }) =>
      specifier.startsWith('node:') || !INLINE_PACKAGES.has(packageName(specifier)) ? { external: true } : undefined,
    );
    // A module imported on demand by another command (feedback, the shared archive) or step (the
    // Markdown reader) stays its compiled file, imported when it is needed: in the bundle, its
    // packages' imports would run at every start.
    bundle.onResolve({ filter: /^\./ }, ({ path: specifier, kind, resolveDir }) => {
      if (kind !== 'dynamic-import') return undefined;
      const file = path.resolve(resolveDir, specifier);
      if (ASK_MODULES.has(path.relative(dist, file).split(path.sep).join('/'))) return undefined;
      return { path: `./${path.relative(path.dirname(entry), file).split(path.sep).join('/')}`, external: true };
    });
    bundle.onLoad({ filter: /\.js$/ }, async ({ path: file }) => {
      if (!file.startsWith(dist + path.sep)) return undefined;
      const fromBundle = path.relative(path.dirname(entry), file).split(path.sep).join('/');
      const source = await readFile(file, 'utf8');
      return {
        contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`),
        loader: 'js',
        resolveDir: path.dirname(file),
      };
    });
  },
};

await build({
  entryPoints: [entry],
  outfile: entry,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // The bundled CommonJS packages call `require` (dotenv: node:fs and friends); an ES module has none.
  banner: {
    js: "import { createRequire as createRequireForBundle } from 'node:module';\nconst require = createRequireForBundle(import.meta.url);",
  },
  sourcemap: 'linked',
  // The packages bundled in come from this project's install, wherever DIST is.
  nodePaths: [path.join(projectRoot, 'node_modules')],
  logLevel: 'warning',
  plugins: [keepModulesWhereTheyAre],
});
