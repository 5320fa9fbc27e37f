/** Telling cache failures apart: a missing file is a plain miss; anything else is worth a warning. */
import { CacheFileError } from '../wire/container.js';

/** The file (or a folder on its path) does not exist. */
export function isMissing(error: unknown): boolean {
  const code: unknown = error instanceof Error ? Reflect.get(error, 'code') : undefined;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** A short reason for a warning: the cache's own message, or the file system's error code. */
export function describeCacheError(error: unknown): string {
  if (error instanceof CacheFileError) return error.message;
  const code: unknown = error instanceof Error ? Reflect.get(error, 'code') : undefined;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}
