/** Messages between `loadArchiveInWorker` and the worker entry. Plain data (structured clone). */
import type { ArchiveOptions } from '../archive.js';
import type { LoadReport } from '../store/report.js';
import type { ArchiveSnapshot } from '../store/snapshot.js';

/** What the worker is asked to load (its workerData). Functions cannot cross threads, so the options are the data ones. */
export interface LoadRequest {
  path: string;
  options: Pick<ArchiveOptions, 'passages' | 'cache'>;
}

export type LoadResponse = { ok: true; snapshot: ArchiveSnapshot; report?: LoadReport } | { ok: false; message: string };
