/**
 * Errors the engine raises for people to read. Callers tell them apart by class and `kind`, never
 * by matching message text, and a worker carries the kind across the thread boundary.
 */

/**
 * Why a whole archive could not be loaded:
 * - `unreadable`: the archive path (or the one file it names) cannot be read, or does not exist;
 * - `unsupported`: the path is a file of a type the loader does not read, or neither file nor folder;
 * - `no-documents`: a reload read no document where the archive in use has some;
 * - `timeout`: the load ran past its deadline and was stopped.
 */
export type ArchiveLoadErrorKind = 'unreadable' | 'unsupported' | 'no-documents' | 'timeout';

/** The prefix of every {@link ArchiveLoadError} message, which is written for an admin to read. */
export const LOAD_ERROR_PREFIX = 'Cannot load archive: ';

export class ArchiveLoadError extends Error {
  override readonly name = 'ArchiveLoadError';
  readonly kind: ArchiveLoadErrorKind;

  /** @param detail the reason, without the prefix: "data/ does not exist". */
  constructor(kind: ArchiveLoadErrorKind, detail: string) {
    super(LOAD_ERROR_PREFIX + detail);
    this.kind = kind;
  }

  /** Rebuilds an error posted across a thread (`message` already carries the prefix). */
  static fromMessage(kind: ArchiveLoadErrorKind, message: string): ArchiveLoadError {
    const error = new ArchiveLoadError(kind, '');
    error.message = message;
    return error;
  }
}

export function isArchiveLoadError(error: unknown): error is ArchiveLoadError {
  return error instanceof ArchiveLoadError;
}
