/**
 * The launcher's one analysis of the archive: prepare-index.ts in a child process brings the
 * on-disk index up to date, so that every shard process then reads the saved index instead of
 * analysing, and the launcher itself never holds (nor keeps the memory of) an index.
 */
import { fork } from 'node:child_process';
import type { ArchiveLoadErrorKind, ArchiveSummary } from '../../archive/index.js';
import { childExecArgv, entryPath } from './child-entry.js';

/** What prepare-index.ts answers over IPC. */
export type PreparationAnswer = { ok: true; summary: ArchiveSummary } | { ok: false; message: string; kind?: ArchiveLoadErrorKind };

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

/** Runs prepare-index.ts on `dataDir` (its index kept under `cacheDir` when set: CACHE_DIR); rejects with {@link IndexPreparationError}. */
export function prepareIndex(dataDir: string, cacheDir?: string): Promise<ArchiveSummary> {
  return new Promise((resolve, reject) => {
    const child = fork(entryPath('prepare-index'), cacheDir === undefined ? [dataDir] : [dataDir, cacheDir], {
      execArgv: childExecArgv(),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let answer: PreparationAnswer | undefined;
    child.once('message', (message: PreparationAnswer) => (answer = message));
    child.once('error', (error) => reject(new IndexPreparationError(`could not start the index preparation: ${error.message}`)));
    // Settled on exit, once the child's memory is returned, so that the shards start on a machine with it free.
    child.once('exit', (code, signal) => {
      if (answer?.ok) resolve(answer.summary);
      else if (answer) reject(new IndexPreparationError(answer.message, answer.kind));
      else reject(new IndexPreparationError(`the index preparation exited (${signal ?? `code ${code}`}) without an answer`));
    });
  });
}
