import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { READERS_ONLY, fingerprintedSources } from '../../../src/archive/cache/engine-key.js';

/** A path in src/archive/cache/, where the engine key's relative names start. */
const cacheFolder = new URL('../../../src/archive/cache/', import.meta.url);

/** Modules a shaping module may import although they are reader-only: they hold messages and types only. */
const MESSAGES_AND_TYPES = new Set(['../errors', '../types']);

describe('the engine key’s source fingerprint', () => {
  it('leaves out the modules that only read an index (explain, skipped, ranking’s archive) and keeps the shaping ones', () => {
    const sources = fingerprintedSources();
    expect(sources).not.toContain('../explain.ts');
    expect(sources).not.toContain('../skipped.ts');
    expect(sources).not.toContain('../archive.ts');
    expect(sources).toEqual(
      expect.arrayContaining([
        '../passages.ts',
        '../shaping-defaults.ts',
        '../pipeline/build.ts',
        '../analysis/analyze.ts',
        '../postings/builder.ts',
        '../wire/snapshot.ts',
      ]),
    );
  });

  it('lists only reader-only modules that exist (a renamed module would silently be fingerprinted again)', () => {
    for (const stem of READERS_ONLY) expect(existsSync(new URL(`${stem}.ts`, cacheFolder)), `${stem}.ts`).toBe(true);
  });

  it('has no fingerprinted module import a reader-only module for its values (its edits would shape the cache unseen)', () => {
    const offending: string[] = [];
    for (const source of fingerprintedSources()) {
      const text = readFileSync(new URL(source, cacheFolder), 'utf8');
      const sourceFolder = new URL('.', new URL(source, cacheFolder));
      for (const [, specifier] of text.matchAll(/^import (?!type )[^;]*? from '(\.[^']+)\.js';/gms)) {
        const target = new URL(`${specifier}.ts`, sourceFolder).href;
        for (const stem of READERS_ONLY) {
          if (!MESSAGES_AND_TYPES.has(stem) && new URL(`${stem}.ts`, cacheFolder).href === target)
            offending.push(`${source} imports ${stem}`);
        }
      }
    }
    expect(offending).toEqual([]);
  });
});
