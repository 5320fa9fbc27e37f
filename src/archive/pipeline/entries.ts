/**
 * Reading the per-file entries a rebuild reuses: every pack in the cache folder, and the sound
 * entry (if any) of each listed file.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  decodeFileEntry,
  fileEntryKey,
  packOf,
  packOfFileName,
  PACKS_DIR,
  readPack,
  type FileEntry,
  type Packs,
} from '../cache/cache-files.js';
import type { Slot } from './changes.js';
import { CacheFileError, type ReadLimits } from '../wire/container.js';
import { describeCacheError, isMissing } from '../cache/errors.js';

interface SavedEntries {
  /** The packs as read, minus unsound entries: the writer carries them over into rewritten packs. */
  packs: Packs;
  /** Per slot: its sound entry, when there is one. */
  entries: (FileEntry | undefined)[];
  /** At most one warning per kind of problem, however many files it touched. */
  warnings: string[];
}

/** A short list for a warning: a damaged cache folder should not flood the log. */
function shortList(items: readonly string[]): string {
  return `${items.slice(0, 3).join(', ')}${items.length > 3 ? ` and ${items.length - 3} more` : ''}`;
}

async function readPacks(dir: string, engine: string, limits: ReadLimits): Promise<{ packs: Packs; unusable: string[] }> {
  const packs: Packs = new Map();
  const unusable: string[] = [];
  let names: string[];
  try {
    names = await readdir(join(dir, PACKS_DIR));
  } catch {
    return { packs, unusable }; // No packs at all (a first build, or an unreadable folder: then nothing is usable anyway).
  }
  for (const name of names) {
    const pack = packOfFileName(name);
    if (pack === undefined) continue;
    try {
      packs.set(pack, await readPack(join(dir, PACKS_DIR, name), engine, limits));
    } catch (error) {
      // Packs from another engine version are expected after an upgrade (the snapshot said so).
      if (!isMissing(error) && !(error instanceof CacheFileError && error.outdated))
        unusable.push(`${name} (${describeCacheError(error)})`);
    }
  }
  return { packs, unusable };
}

/** Reads every pack and finds each slot's entry (by its file's path and hash); unsound entries are dropped. */
export async function readSavedEntries(dir: string, engine: string, slots: readonly Slot[], limits: ReadLimits): Promise<SavedEntries> {
  const { packs, unusable: unusablePacks } = await readPacks(dir, engine, limits);
  const unusable: string[] = [];
  const entries = slots.map(({ entry, sha256 }): FileEntry | undefined => {
    if (sha256 === undefined) return undefined;
    const key = fileEntryKey(engine, entry.file, sha256);
    const pack = packs.get(packOf(key));
    const bytes = pack?.get(key);
    if (!bytes) return undefined;
    try {
      return decodeFileEntry(bytes, engine, entry.file, sha256);
    } catch (error) {
      unusable.push(`${entry.file} (${describeCacheError(error)})`);
      pack!.delete(key);
      return undefined;
    }
  });
  const warnings: string[] = [];
  if (unusablePacks.length > 0) warnings.push(`cache packs not used, their files re-analysed instead: ${shortList(unusablePacks)}`);
  if (unusable.length > 0) warnings.push(`cache entries not used, re-analysed instead: ${shortList(unusable)}`);
  return { packs, entries, warnings };
}
