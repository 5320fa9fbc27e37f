/**
 * Worker entry: loads and indexes one archive (with the on-disk cache) and posts it back as a
 * snapshot, its typed arrays and its documents' texts (packed into one buffer) transferred rather
 * than copied. Any failure is posted as a message;
 * the main thread turns it into a rejected promise.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Archive } from '../archive.js';
import { packTexts } from '../wire/lazy-texts.js';
import { transferList } from '../wire/snapshot.js';
import { isArchiveLoadError } from '../errors.js';
import type { LoadRequest, LoadResponse, ProgressMessage } from './protocol.js';
import type { LoadProgress } from '../pipeline/progress.js';

const port = parentPort;
if (!port) throw new Error('worker/entry.ts runs only as a worker thread');
const { path, options, summaryOnly, progress } = workerData as LoadRequest;

try {
  // Warnings travel back in the load report; the main thread reports them.
  const onProgress = progress ? (report: LoadProgress) => port.postMessage({ progress: report } satisfies ProgressMessage) : undefined;
  const archive = await Archive.load(path, { ...options, onCacheWarning: () => undefined, ...(onProgress ? { onProgress } : {}) });
  const report = archive.loadReport ? { report: archive.loadReport } : {};
  if (summaryOnly) {
    // Only the counts go back: the caller wanted the cache written, not a copy of the index.
    const { documents, passages } = archive.stats();
    archive.close();
    const response: LoadResponse = { ok: true, summary: { documents, passages, skipped: archive.skipped.length, ...report } };
    port.postMessage(response);
  } else {
    const snapshot = archive.toSnapshot();
    // The snapshot is whole in memory now: the saved index this archive read on demand is released.
    archive.close();
    const { documents, texts } = packTexts(snapshot.documents);
    const response: LoadResponse = { ok: true, snapshot: { ...snapshot, documents, texts }, ...report };
    // Each buffer once: texts from a saved index live in the same buffer as the index arrays.
    port.postMessage(response, [
      ...new Set([...transferList(snapshot), texts.bytes.buffer as ArrayBuffer, texts.ends.buffer as ArrayBuffer]),
    ]);
  }
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  const response: LoadResponse = { ok: false, message, ...(isArchiveLoadError(error) ? { kind: error.kind } : {}) };
  port.postMessage(response);
}
