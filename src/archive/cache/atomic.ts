/**
 * Atomic file writes: the bytes go to a temporary file in the same folder, which is renamed over
 * the real name only once complete. A crash, SIGTERM or full disk mid-write leaves at most a
 * temporary file (removed on failure, or later by `removeStaleTemporaries`), never a partial file
 * under the real name; readers see the old file or the new one.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

/** The suffix of temporary files (`<name>.<pid>-<thread>-<tag>-<n>.tmp`). */
const TEMP_SUFFIX = '.tmp';

/** Temporaries older than this are left over from a process that died mid-write. */
const STALE_TEMP_MS = 10 * 60 * 1000;

/**
 * Temporary names: pid, thread, a random tag per module instance (two containers sharing a cache
 * folder may both be pid 1) and a counter (a random name per write cost 0.3 s per 10,000 writes).
 */
const TAG = `${process.pid}-${threadId}-${randomBytes(4).toString('hex')}`;
let written = 0;

/**
 * Writes `chunks` to `path` atomically. Synchronous inside (like the reads, see readContainer):
 * a cold build writes one entry per source file, and small writes through the thread pool cost
 * several times more than the same writes done directly.
 */
// eslint-disable-next-line @typescript-eslint/require-await -- async so that a throw is a rejection, as callers expect
export async function writeFileAtomic(path: string, chunks: Iterable<Uint8Array>): Promise<void> {
  const temp = `${path}.${TAG}-${written++}${TEMP_SUFFIX}`;
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx');
    for (const chunk of chunks) {
      for (let at = 0; at < chunk.byteLength;) at += writeSync(fd, chunk, at);
    }
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Removes temporaries in `folder` left by writers that died (never a live writer's: those are recent). */
export async function removeStaleTemporaries(folder: string, now = Date.now()): Promise<void> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.endsWith(TEMP_SUFFIX)) continue;
    const path = join(folder, name);
    try {
      if (now - (await stat(path)).mtimeMs > STALE_TEMP_MS) await rm(path, { force: true });
    } catch {
      // Gone already, or not ours to remove: either way nothing to do.
    }
  }
}
