/** Messages between `loadArchiveInWorker` and the worker entry. Plain data (structured clone). */
import type { ArchiveOptions } from '../archive.js';
import type { ArchiveLoadErrorKind } from '../errors.js';
import type { LoadReport } from '../pipeline/report.js';
import type { LoadProgress } from '../pipeline/progress.js';
import type { PackedTexts } from '../wire/lazy-texts.js';
import type { ArchiveSnapshot } from '../wire/snapshot.js';
import type { ArchiveDocument } from '../types.js';

/** What the worker is asked to load (its workerData). Functions cannot cross threads, so the options are the data ones. */
export interface LoadRequest {
  path: string;
  options: Pick<ArchiveOptions, 'passages' | 'cache' | 'cacheDir' | 'progressIntervalMs'>;
  /** Post {@link ProgressMessage}s while loading (someone listens). */
  progress?: boolean;
  /** Answer with an {@link ArchiveSummary} instead of the archive (the load only brings the on-disk cache up to date). */
  summaryOnly?: boolean;
}

/** What a load that only brought the on-disk cache up to date found: counts, no index. */
export interface ArchiveSummary {
  documents: number;
  passages: number;
  skipped: number;
  report?: LoadReport;
}

/** An archive as a worker sends it: the snapshot with its documents' texts packed into one buffer. */
interface SentSnapshot extends Omit<ArchiveSnapshot, 'documents'> {
  documents: Omit<ArchiveDocument, 'text'>[];
  texts: PackedTexts;
}

export type LoadResponse =
  | { ok: true; snapshot: SentSnapshot; report?: LoadReport }
  | { ok: true; summary: ArchiveSummary }
  /** `kind` is set when the failure was an ArchiveLoadError, so the caller can rebuild it. */
  | { ok: false; message: string; kind?: ArchiveLoadErrorKind };

/** How far the worker's load has got; posted before its one {@link LoadResponse} when the request asked. */
export interface ProgressMessage {
  progress: LoadProgress;
}

/** A progress message, rather than the worker's answer. */
export function isProgressMessage(message: unknown): message is ProgressMessage {
  return typeof message === 'object' && message !== null && 'progress' in message && !('ok' in message);
}
