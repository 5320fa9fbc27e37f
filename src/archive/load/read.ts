/**
 * Reading one archive file without ever holding more than the size limit in memory: the size is
 * checked on the open file (it may have grown since the folder was listed), and the read stops one
 * byte past the limit however much more the file holds.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { NotRegularFileError } from './regular-file.js';

// O_NONBLOCK: opening a FIFO returns at once instead of waiting (forever, in a thread-pool thread
// no worker termination can free) for a writer; it changes nothing for a regular file.
// O_NOFOLLOW: the listing resolved every link it accepted, so a link here was put in place since.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;

/** A file over the size limit; `size` is what it was seen to hold (at least that much when `grew`). */
export class FileTooLargeError extends Error {
  override name = 'FileTooLargeError';
  constructor(
    readonly size: number,
    /** The file grew while it was being read; it holds at least `size` bytes. */
    readonly grew: boolean,
  ) {
    super(`file is larger than the limit (${size}${grew ? '+' : ''} bytes)`);
  }
}

/**
 * The file's bytes, or a {@link FileTooLargeError} when it holds more than `maxBytes`, or a
 * {@link NotRegularFileError} when what is at `path` now is a FIFO, device, socket or folder
 * (checked on the open descriptor, so what was checked is what is read). File system errors
 * (ENOENT for a file deleted since the listing, EACCES, ELOOP for a symlink) are thrown as they are.
 */
export async function readFileWithin(path: string, maxBytes: number): Promise<Uint8Array> {
  const handle = await open(path, OPEN_FLAGS);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new NotRegularFileError(path);
    const { size } = stats;
    if (size > maxBytes) throw new FileTooLargeError(size, false);
    const chunks: Buffer[] = [];
    let total = 0;
    // One read for a file that did not change (the byte past its size sees the end), more only if it grew.
    for (let want = size + 1; ; want = Math.max(64 * 1024, want)) {
      const buffer = Buffer.allocUnsafe(Math.min(want, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, total);
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw new FileTooLargeError(total, true);
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}
