/**
 * The launcher's one analysis of the archive: prepare-index.ts in a child process brings the
 * on-disk index up to date, so that every shard process then reads the saved index instead of
 * analysing, and the launcher itself never holds (nor keeps the memory of) an index.
 */
import { fork } from 'node:child_process';
import type { ArchiveLoadErrorKind, ArchiveSummary, LoadProgress } from '../../archive/index.js';

/** How often the preparation reports its progress (the launcher logs each report). */
export const PREPARATION_PROGRESS_INTERVAL_MS = 5000;
import { childExecArgv, entryPath } from './child-entry.js';

/** What prepare-index.ts answers over IPC (after any number of {@link PreparationProgress} messages). */
export type PreparationAnswer = { ok: true; summary: ArchiveSummary } | { ok: false; message: string; kind?: ArchiveLoadErrorKind };

/** How far the preparation has got (a long analysis reports every few seconds). */
export interface PreparationProgress {
  progress: LoadProgress;
}

/** The index could not be brought up to date; `kind` is set when the engine could not load the archive (its message is for admins). */
export class IndexPreparationError extends Error {
  override readonly name = 'IndexPreparationError';
  constructor(
    message: string,
    readonly kind?: ArchiveLoadErrorKind,
  ) {
    super(message);
  }
}

/**
 * Runs prepare-index.ts, which reads DATA_DIR and CACHE_DIR from this process's environment (the
 * settings table, as the launcher did); rejects with {@link IndexPreparationError}. `onProgress` is
 * told how far a long analysis has got, every {@link PREPARATION_PROGRESS_INTERVAL_MS}.
 */
export function prepareIndex(onProgress?: (progress: LoadProgress) => void): Promise<ArchiveSummary> {
  return new Promise((resolve, reject) => {
    const child = fork(entryPath('prepare-index'), [], {
      execArgv: childExecArgv(),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let answer: PreparationAnswer | undefined;
    child.on('message', (message: PreparationAnswer | PreparationProgress) => {
      if ('progress' in message) onProgress?.(message.progress);
      else answer = message;
    });
    child.once('error', (error) => reject(new IndexPreparationError(`could not start the index preparation: ${error.message}`)));
    // Settled on exit, once the child's memory is returned, so that the shards start on a machine with it free.
    child.once('exit', (code, signal) => {
      if (answer?.ok) resolve(answer.summary);
      else if (answer) reject(new IndexPreparationError(answer.message, answer.kind));
      else reject(new IndexPreparationError(`the index preparation exited (${signal ?? `code ${code}`}) without an answer`));
    });
  });
}
