/**
 * What a cache entry was made by. Cached analyses and indexes are only valid for the code and
 * options that made them; the engine key names both, and every cache file records the key it
 * was written under. A different key is a miss (the file is rebuilt), never a partial trust.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DEFAULT_PASSAGE_OPTIONS, type PassageOptions } from '../passages.js';

/**
 * Bump whenever analysis, passage splitting, the index layout or the cache format change in a way
 * that the source fingerprint below might not see (a dependency's behaviour, a data file).
 */
const ENGINE_VERSION = 3;

/**
 * The engine's sources are hashed into the key, so an edit to analysis, passages, the postings
 * builder, the loaders, the byte formats, the load pipeline or this store invalidates the cache
 * even when nobody remembers to bump ENGINE_VERSION. Every source file in these folders (relative
 * to this one) counts, a new one included, except those that only read an index and never shape
 * what is cached: editing ranking, excerpts, suggestions or their numbers (`defaults.ts`; the
 * numbers that shape the index are in `shaping-defaults.ts`) does not cost a rebuild.
 */
const SOURCE_FOLDERS = ['../', '../load/', '../analysis/', '../postings/', '../wire/', '../pipeline/', './'];
export const READERS_ONLY = new Set([
  '../archive',
  '../defaults',
  '../diff',
  '../errors',
  '../explain',
  '../filters',
  '../index',
  '../skipped',
  '../types',
]);

/**
 * Engine source files: `.ts` when run from the sources (tsx), `.js` when run from the build
 * (dist/, where source maps and declarations sit beside them and are not code).
 */
const SOURCE_FILE = /^(.+)\.[cm]?[jt]s$/;

/** Packages whose version changes analysis (the model's lexicon and stemmer). */
const SHAPING_PACKAGES = ['wink-nlp', 'wink-eng-lite-web-model'];

let fingerprint: string | undefined;

/**
 * The source files hashed into the key, as `folder + name` relative to this folder (sorted per
 * folder), with `folder: unavailable` for a folder that cannot be listed (a build without sources).
 */
export function fingerprintedSources(): string[] {
  const sources: string[] = [];
  for (const folder of SOURCE_FOLDERS) {
    try {
      const names = readdirSync(new URL(folder, import.meta.url))
        .filter((name) => {
          const stem = SOURCE_FILE.exec(name)?.[1];
          return stem !== undefined && !stem.endsWith('.d') && !READERS_ONLY.has(folder + stem);
        })
        .sort();
      sources.push(...names.map((name) => folder + name));
    } catch {
      sources.push(`${folder}: unavailable`);
    }
  }
  return sources;
}

/** Hash of the engine's shaping sources and packages; computed once per process. */
function codeFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint;
  const hash = createHash('sha256');
  for (const source of fingerprintedSources()) {
    // Names relative to this folder, so two checkouts of the same code share a key. Running from a
    // build without sources, ENGINE_VERSION alone has to do.
    if (source.endsWith(': unavailable')) hash.update(`${source}\0`);
    else
      hash
        .update(`${source}\0`)
        .update(readFileSync(new URL(source, import.meta.url)))
        .update('\0');
  }
  const require = createRequire(import.meta.url);
  for (const name of SHAPING_PACKAGES) {
    try {
      hash.update(`${name}@${(require(`${name}/package.json`) as { version: string }).version}\0`);
    } catch {
      hash.update(`${name}: unavailable\0`);
    }
  }
  return (fingerprint = hash.digest('hex').slice(0, 16));
}

/** The key cache files are written under, for these passage options. */
export function engineKey(passages: PassageOptions = {}): string {
  const options = { ...DEFAULT_PASSAGE_OPTIONS, ...passages };
  return `v${ENGINE_VERSION}-${codeFingerprint()}-${createHash('sha256').update(JSON.stringify(options)).digest('hex').slice(0, 8)}`;
}
