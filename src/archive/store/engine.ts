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
export const ENGINE_VERSION = 1;

/**
 * Sources whose code shapes what the cache holds, relative to this folder. Their contents are
 * hashed into the key, so an edit to analysis or parsing invalidates the cache even when nobody
 * remembers to bump ENGINE_VERSION. Folders are read whole.
 */
const SHAPING_SOURCES = ['../analysis.ts', '../passages.ts', '../inverted-index.ts', '../indexing.ts', '../load/', './'];

/** Packages whose version changes analysis (the model's lexicon and stemmer). */
const SHAPING_PACKAGES = ['wink-nlp', 'wink-eng-lite-web-model'];

let fingerprint: string | undefined;

/** Hash of the engine's shaping sources and packages; computed once per process. */
function codeFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint;
  const hash = createHash('sha256');
  for (const source of SHAPING_SOURCES) {
    const url = new URL(source, import.meta.url);
    try {
      const files = source.endsWith('/')
        ? readdirSync(url)
            .filter((name) => /\.[cm]?[jt]s$/.test(name))
            .sort()
            .map((name) => [source + name, new URL(name, url)] as const)
        : [[source, url] as const];
      // Names relative to this folder, so two checkouts of the same code share a key.
      for (const [name, file] of files) hash.update(`${name}\0`).update(readFileSync(file)).update('\0');
    } catch {
      // Running from a build without sources: ENGINE_VERSION alone has to do.
      hash.update(`${source}: unavailable\0`);
    }
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
