/**
 * Worker entry for {@link checkFileInWorker}: writes one file (with front matter set, when asked)
 * and reads it back with the archive's loader. Both steps can cost seconds on a hostile file (YAML,
 * a huge HTML table), so they run here, never on the caller's thread.
 */
import { writeFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { loadArchive } from '../load/index.js';
import { setFrontMatter } from '../load/markdown.js';
import type { CheckRequest, CheckResponse } from './check.js';

const port = parentPort;
if (!port) throw new Error('worker/check-entry.ts runs only as a worker thread');
const { path, bytes, frontMatter } = workerData as CheckRequest;

let response: CheckResponse;
try {
  const written = setFrontMatter(bytes, frontMatter);
  if (!written.ok) {
    response = { ok: false, reason: written.reason };
  } else {
    await writeFile(path, written.bytes, { flag: 'wx' });
    const { documents, skipped } = await loadArchive(path);
    response = { ok: true, documents, skipped };
  }
} catch (error) {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  response = { ok: false, failure: error instanceof Error ? error.message : String(error), ...(typeof code === 'string' ? { code } : {}) };
}
port.postMessage(response);
