/**
 * The systems under test, by key. Each is imported only when it runs, so a job
 * process holds one library and its memory figures are its own.
 */
import type { SearchSystem } from '../types.js';

export const SYSTEM_KEYS = ['archivist', 'minisearch', 'wink', 'lunr', 'sqlite'] as const;
export type SystemKey = (typeof SYSTEM_KEYS)[number];

/** `oursOptions` are ArchiveOptions for our engine (ignored by peers). */
export async function createSystem(key: SystemKey, oursOptions?: object): Promise<SearchSystem> {
  switch (key) {
    case 'archivist':
      return (await import('./archivist.js')).createArchivist(oursOptions);
    case 'minisearch':
      return (await import('./minisearch.js')).createMiniSearch();
    case 'wink':
      return (await import('./wink.js')).createWink();
    case 'lunr':
      return (await import('./lunr.js')).createLunr();
    case 'sqlite':
      return (await import('./sqlite.js')).createSqlite();
  }
}

export function isSystemKey(value: string): value is SystemKey {
  return (SYSTEM_KEYS as readonly string[]).includes(value);
}
