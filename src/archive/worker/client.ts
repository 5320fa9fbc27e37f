/**
 * Building an archive off the main thread. `loadArchiveInWorker` runs `Archive.load` (with the
 * on-disk cache) in a worker thread and rebuilds the Archive here from what it sends back, so the
 * caller's event loop (a bot's gateway heartbeat, its answers from the current archive) keeps
 * running through a long build. The caller swaps the new archive in when the promise resolves;
 * when it rejects, the old one simply keeps serving.
 */
import { Worker } from 'node:worker_threads';
import { Archive, type ArchiveOptions } from '../archive.js';
import { unpackTexts } from '../wire/lazy-texts.js';
import { ArchiveLoadError } from '../errors.js';
import { siblingModule, workerBootstrap } from '../threads.js';
import { isProgressMessage, type ArchiveSummary, type LoadRequest, type LoadResponse } from './protocol.js';
import type { ProgressListener } from '../pipeline/progress.js';

/** The prefix of a rejection that is the worker's own failure rather than the load's. */
export const WORKER_ERROR_PREFIX = 'Archive worker failed: ';

const workerFailure = (detail: string): Error => new Error(WORKER_ERROR_PREFIX + detail);

const ENTRY = siblingModule('entry', import.meta.url);

type LoadSuccess = Extract<LoadResponse, { ok: true }>;

interface WorkerLoadOptions extends ArchiveOptions {
  /**
   * Aborting stops the load: the worker is terminated (however stuck it is) and the promise
   * rejects with the signal's reason.
   */
  signal?: AbortSignal;
}

/** Runs one load request in a fresh worker thread; resolves with its successful answer. */
async function runLoad(request: LoadRequest, signal?: AbortSignal, onProgress?: ProgressListener): Promise<LoadSuccess> {
  const response = await runWorker<LoadResponse>(ENTRY, request, signal, onProgress);
  if (response.ok) return response;
  throw response.kind ? ArchiveLoadError.fromMessage(response.kind, response.message) : new Error(response.message);
}

/**
 * Runs the worker module `entry` on `request` (its workerData) in a fresh worker thread and
 * resolves with the one message it posts; rejects when it dies first, or with the signal's reason
 * when `signal` aborts (the worker is terminated, however stuck it is). Progress messages posted
 * before the answer go to `onProgress`.
 */
export function runWorker<Response>(entry: URL, request: unknown, signal?: AbortSignal, onProgress?: ProgressListener): Promise<Response> {
  const { code, eval: isEval } = workerBootstrap(entry);
  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    let settled = false;
    const worker = new Worker(code, { eval: isEval, workerData: request });
    const onAbort = (): void => settle(() => reject(abortReason(signal!)));
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      outcome();
      // The worker's job is done once it has answered; do not wait for it to wind down.
      void worker.terminate();
    };
    const onMessage = (message: unknown): void => {
      if (isProgressMessage(message)) {
        if (!settled) onProgress?.(message.progress);
        return;
      }
      worker.off('message', onMessage);
      settle(() => resolve(message as Response));
    };
    worker.on('message', onMessage);
    worker.once('error', (error) => settle(() => reject(workerFailure(error.message))));
    worker.once('exit', (code) => settle(() => reject(workerFailure(`exited with code ${code} before answering`))));
  });
}

function loadRequest(
  path: string,
  { passages, cache, cacheDir, onProgress, progressIntervalMs }: ArchiveOptions,
  summaryOnly = false,
): LoadRequest {
  return {
    path,
    options: {
      ...(passages ? { passages } : {}),
      ...(cache === undefined ? {} : { cache }),
      ...(cacheDir === undefined ? {} : { cacheDir }),
      ...(progressIntervalMs === undefined ? {} : { progressIntervalMs }),
    },
    ...(summaryOnly ? { summaryOnly } : {}),
    ...(onProgress ? { progress: true } : {}),
  };
}

/**
 * Loads and indexes the archive at `path` in a worker thread.
 *
 * @throws (rejects with) the load's own error — an ArchiveLoadError such as `Cannot load archive: <path> does not exist` —
 * or an Error starting with {@link WORKER_ERROR_PREFIX} when the worker itself died.
 */
export async function loadArchiveInWorker(path: string, options: WorkerLoadOptions = {}): Promise<Archive> {
  const response = await runLoad(loadRequest(path, options), options.signal, options.onProgress);
  if (!('snapshot' in response)) throw workerFailure('answered without the archive');
  const { texts, ...snapshot } = response.snapshot;
  const archive = Archive.fromSnapshot({ ...snapshot, documents: unpackTexts(snapshot.documents, texts) }, options, response.report);
  const warn = options.onCacheWarning ?? ((message: string) => console.warn(`archivist: ${message}`));
  for (const warning of response.report?.warnings ?? []) warn(warning);
  return archive;
}

/**
 * Loads the archive at `path` in a worker thread only to bring its on-disk cache up to date, and
 * answers with counts: processes that load it next (the bot's shards) read the saved index instead
 * of analysing. The index itself never reaches this thread, so the caller's memory stays flat.
 *
 * @throws (rejects with) the same errors as {@link loadArchiveInWorker}.
 */
export async function warmArchiveCache(path: string, options: ArchiveOptions = {}): Promise<ArchiveSummary> {
  const response = await runLoad(loadRequest(path, options, true), undefined, options.onProgress);
  if (!('summary' in response)) throw workerFailure('answered without the summary');
  return response.summary;
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(String(reason));
}
