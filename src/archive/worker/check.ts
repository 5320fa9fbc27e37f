/**
 * Checking one new file the way the archive would read it, off the caller's thread and within a
 * deadline: `/upload` uses it before a file joins the archive.
 */
import type { FrontMatterFields } from '../load/markdown.js';
import type { ArchiveDocument, SkippedFile } from '../types.js';
import { runWorker } from './client.js';
import { siblingModule } from '../threads.js';

export interface CheckRequest {
  /** Where to write the file: a path that must not exist yet (in a staging folder). */
  path: string;
  bytes: Uint8Array;
  /** Front matter to set first (Markdown and text files; see setFrontMatter). */
  frontMatter: FrontMatterFields;
}

export type CheckResponse =
  | { ok: true; documents: ArchiveDocument[]; skipped: SkippedFile[] }
  /** The bytes are not a file the loader could take front matter into: the loader's reason. */
  | { ok: false; reason: string }
  /** Writing or reading failed (`code`: the file system's, such as ENOSPC). */
  | { ok: false; failure: string; code?: string };

/** What the loader made of the file, or why the file could not take the front matter. */
export type CheckedFile = { ok: true; documents: ArchiveDocument[]; skipped: SkippedFile[] } | { ok: false; reason: string };

const ENTRY = siblingModule('check-entry', import.meta.url);

/**
 * Writes `bytes` to `path` (front matter set first when `frontMatter` has fields) and loads it as
 * a one-file archive, in a worker thread.
 *
 * @throws (rejects with) the signal's reason when it aborts first (the worker is terminated), or an
 * Error (with the file system's `code`) when the file could not be written or read.
 */
export async function checkFileInWorker(
  path: string,
  bytes: Uint8Array,
  { frontMatter = {}, signal }: { frontMatter?: FrontMatterFields; signal?: AbortSignal } = {},
): Promise<CheckedFile> {
  const request: CheckRequest = { path, bytes, frontMatter };
  const response = await runWorker<CheckResponse>(ENTRY, request, signal);
  if (response.ok || 'reason' in response) return response;
  throw Object.assign(new Error(response.failure), response.code ? { code: response.code } : {});
}
