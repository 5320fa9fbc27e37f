/**
 * Opening a file that must be a regular file, without trusting its name: a FIFO, a device or (when
 * asked) a symbolic link in its place is refused rather than waited on or followed. The file is
 * checked after it is opened (fstat on the descriptor), so what was checked is what is read.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Why a path was not read: it is not a regular file (a FIFO, socket, device or folder). */
export class NotRegularFileError extends Error {
  override name = 'NotRegularFileError';
  readonly code = 'ENOTREG';
  constructor(path: string) {
    super(`${path} is not a regular file`);
  }
}

interface OpenRegularOptions {
  /** Refuse a symbolic link (ELOOP) instead of following it. @defaultValue false */
  noFollow?: boolean;
}

/**
 * Opens `path` for reading and returns its descriptor and size, or throws (and closes it) when it
 * is not a regular file. O_NONBLOCK makes opening a FIFO return at once instead of waiting for a
 * writer; it changes nothing for a regular file.
 */
export function openRegularFileSync(path: string, { noFollow = false }: OpenRegularOptions = {}): { fd: number; size: number } {
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | (noFollow ? constants.O_NOFOLLOW : 0);
  const fd = openSync(path, flags);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new NotRegularFileError(path);
    return { fd, size: stats.size };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/**
 * Reads `length` bytes from `fd` at `position` into a fresh buffer; fewer when the file ends first
 * (the result is then shorter). Never reads more than asked, however large the file is.
 */
export function readExactlySync(fd: number, length: number, position: number): Uint8Array {
  const buffer = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    // One read call takes at most 2 GB - 1 (a saved index of a million passages is larger).
    const n = readSync(fd, buffer, done, Math.min(length - done, 1 << 30), position + done);
    if (n === 0) return buffer.subarray(0, done);
    done += n;
  }
  return buffer;
}
