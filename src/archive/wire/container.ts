/**
 * The one binary layout every cache file uses: a fixed prefix, a JSON header, a table of block
 * checksums, then named sections (typed arrays, UTF-8 text or JSON), each 8-byte aligned so typed
 * arrays can be viewed in place.
 *
 *   offset  size
 *   0       8    magic "ARCHVIST"
 *   8       4    container version (u32, little-endian)
 *   12      4    header length H in bytes (u32)
 *   16      8    body length B in bytes (u64)
 *   24      4    CRC-32 of the header and the block table (with their padding)
 *   28      4    block size (BLOCK_BYTES)
 *   32      H    header: UTF-8 JSON, then spaces up to a multiple of 8
 *   …       T    block table: the CRC-32 of each BLOCK_BYTES of the body (u32 each, the last block
 *                 possibly shorter), zeros up to a multiple of 8
 *   …       B    body: the sections, at the offsets the header lists (relative to the body)
 *
 * A file is trusted only when the magic, version, both lengths (against the file size) and the
 * checksums all agree; anything else is a CacheFileError, and the caller rebuilds. A file read
 * whole (`decodeContainer`) checks every block; one opened for reads on demand (`ContainerFile`)
 * checks the header and table at once and each block when a read first touches it, so a large
 * saved index is usable after reading a small part of it.
 */
import { closeSync, fstatSync, rmSync, statSync } from 'node:fs';
import { openRegularFileSync, readExactlySync } from '../load/regular-file.js';
import { crc32 } from './crc32.js';

const MAGIC = 'ARCHVIST';
/** Bump when the layout above changes. */
const CONTAINER_VERSION = 2;
const PREFIX_BYTES = 32;
const ALIGN = 8;
/**
 * Bytes of body per checksum. A read on demand reads and checks whole blocks: 4 KiB keeps a
 * passage's positions (a few hundred bytes) to a block or two, and the table to 0.1 % of the file.
 */
export const BLOCK_BYTES = 4096;

/** Why a cache file cannot be used. Never shown to users as an error: the load rebuilds instead. */
export class CacheFileError extends Error {
  override name = 'CacheFileError';
  /** Written by another engine version: expected after an upgrade, not damage. */
  readonly outdated: boolean;
  /** Another process saved a new file in its place between reading its header and its body: not damage either. */
  readonly replaced: boolean;

  constructor(message: string, { outdated = false, replaced = false }: { outdated?: boolean; replaced?: boolean } = {}) {
    super(message);
    this.outdated = outdated;
    this.replaced = replaced;
  }
}

type Typed = Uint8Array | Uint16Array | Uint32Array | Int32Array;
const TYPES = { u8: Uint8Array, u16: Uint16Array, u32: Uint32Array, i32: Int32Array } as const;
export type TypedKind = keyof typeof TYPES;
export type SectionKind = TypedKind | 'text' | 'json';

/** A section to write: a typed array, text (as UTF-8, possibly in pieces, or already encoded), or a value as JSON. */
export type SectionInput = Typed | { text: string | readonly string[] } | { bytes: readonly Uint8Array[] } | { json: unknown };

/** Where a section sits: [kind, offset in the body, length in bytes]. */
type SectionEntry = [SectionKind, number, number];

export interface ContainerHeader {
  sections?: Record<string, SectionEntry>;
  [key: string]: unknown;
}

function kindOf(data: Typed): TypedKind {
  if (data instanceof Uint8Array) return 'u8';
  if (data instanceof Uint16Array) return 'u16';
  if (data instanceof Uint32Array) return 'u32';
  return 'i32';
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function bytesOf(data: Typed): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * The file's bytes, as chunks in order (large sections are not copied into one buffer).
 * `header` is any JSON object; the section table is added to it.
 */
export function encodeContainer(header: Record<string, unknown>, sections: Record<string, SectionInput>): Uint8Array[] {
  const body: Uint8Array[] = [];
  const table: Record<string, SectionEntry> = {};
  let bodyLength = 0;
  for (const [name, data] of Object.entries(sections)) {
    let kind: SectionKind;
    let chunks: Uint8Array[];
    if (ArrayBuffer.isView(data)) {
      kind = kindOf(data);
      chunks = [bytesOf(data)];
    } else if ('bytes' in data) {
      kind = 'text';
      chunks = [...data.bytes];
    } else if ('text' in data) {
      kind = 'text';
      chunks = (typeof data.text === 'string' ? [data.text] : data.text).map((piece) => encoder.encode(piece));
    } else {
      kind = 'json';
      chunks = [encoder.encode(JSON.stringify(data.json))];
    }
    const length = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
    table[name] = [kind, bodyLength, length];
    // One push per chunk: spreading 100,000+ chunks (one per document text) into a call overflows the stack.
    for (const chunk of chunks) body.push(chunk);
    bodyLength += length;
    const pad = padding(bodyLength);
    if (pad) body.push(new Uint8Array(pad));
    bodyLength += pad;
  }
  const blocks = blockTable(body, bodyLength);
  return [...frame({ ...header, sections: table }, blocks, bodyLength), ...body];
}

/** The prefix, header and block table of a container whose body has `bodyLength` bytes with these block checksums. */
function frame(header: Record<string, unknown>, blocks: Uint8Array, bodyLength: number): Uint8Array[] {
  const json = encoder.encode(JSON.stringify(header));
  const headerBytes = new Uint8Array(json.byteLength + padding(json.byteLength)).fill(0x20);
  headerBytes.set(json);
  const prefix = new Uint8Array(PREFIX_BYTES);
  const view = new DataView(prefix.buffer);
  encoder.encodeInto(MAGIC, prefix);
  view.setUint32(8, CONTAINER_VERSION, true);
  view.setUint32(12, headerBytes.byteLength, true);
  view.setBigUint64(16, BigInt(bodyLength), true);
  view.setUint32(24, crc32(blocks, crc32(headerBytes)), true);
  view.setUint32(28, BLOCK_BYTES, true);
  return [prefix, headerBytes, blocks];
}

const padding = (length: number) => (ALIGN - (length % ALIGN)) % ALIGN;

/** Bytes of the block table of a body of `bodyLength` bytes (padded to ALIGN). */
function tableBytes(bodyLength: number): number {
  const bytes = 4 * Math.ceil(bodyLength / BLOCK_BYTES);
  return bytes + padding(bytes);
}

/** The block table of a body given as chunks in order: each BLOCK_BYTES' CRC-32, little-endian. */
function blockTable(body: readonly Uint8Array[], bodyLength: number): Uint8Array {
  const table = new Uint8Array(tableBytes(bodyLength));
  const view = new DataView(table.buffer);
  let block = 0;
  let filled = 0;
  let crc = 0;
  for (const chunk of body) {
    for (let at = 0; at < chunk.byteLength;) {
      const take = Math.min(BLOCK_BYTES - filled, chunk.byteLength - at);
      crc = crc32(chunk.subarray(at, at + take), crc);
      filled += take;
      at += take;
      if (filled === BLOCK_BYTES) {
        view.setUint32(4 * block++, crc, true);
        filled = 0;
        crc = 0;
      }
    }
  }
  if (filled > 0) view.setUint32(4 * block, crc, true);
  return table;
}

/** Each block of `body` (whose first block is number `first`) against its checksum in `table`. */
function checkBlocks(body: Uint8Array, table: DataView, first: number): void {
  for (let at = 0, block = first; at < body.byteLength; at += BLOCK_BYTES, block++) {
    if (crc32(body.subarray(at, at + BLOCK_BYTES)) !== table.getUint32(4 * block, true)) {
      throw new CacheFileError('checksum mismatch (corrupt)');
    }
  }
}

interface Prefix {
  headerLength: number;
  bodyLength: number;
  /** Bytes of the block table. */
  tableLength: number;
  crc: number;
}

function readPrefix(bytes: Uint8Array, fileSize: number): Prefix {
  if (fileSize < PREFIX_BYTES || bytes.byteLength < PREFIX_BYTES) throw new CacheFileError('truncated (no header)');
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw new CacheFileError('not a cache file (bad magic)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, PREFIX_BYTES);
  const version = view.getUint32(8, true);
  // Another layout is what an upgrade leaves behind, not damage.
  if (version !== CONTAINER_VERSION)
    throw new CacheFileError(`container version ${version}, expected ${CONTAINER_VERSION}`, { outdated: true });
  if (view.getUint32(28, true) !== BLOCK_BYTES) throw new CacheFileError('unexpected block size');
  const headerLength = view.getUint32(12, true);
  const bodyLength = Number(view.getBigUint64(16, true));
  const tableLength = tableBytes(bodyLength);
  const expected = PREFIX_BYTES + headerLength + tableLength + bodyLength;
  if (fileSize < expected) throw new CacheFileError(`truncated (${fileSize} of ${expected} bytes)`);
  if (fileSize > expected) throw new CacheFileError(`${fileSize - expected} bytes too long`);
  return { headerLength, bodyLength, tableLength, crc: view.getUint32(24, true) };
}

function parseHeader(bytes: Uint8Array): ContainerHeader {
  let header: unknown;
  try {
    header = JSON.parse(decoder.decode(bytes));
  } catch {
    throw new CacheFileError('unreadable header');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new CacheFileError('unreadable header');
  return header as ContainerHeader;
}

/** Where a section sits in a body of `bodyLength` bytes: [offset, length], checked against the body. */
function sectionEntry(header: ContainerHeader, name: string, kind: SectionKind, bodyLength: number): [number, number] {
  const entry = header.sections?.[name];
  if (!Array.isArray(entry) || entry[0] !== kind) throw new CacheFileError(`section ${name} missing or not ${kind}`);
  const [, offset, length] = entry;
  if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > bodyLength) {
    throw new CacheFileError(`section ${name} out of bounds`);
  }
  return [offset, length];
}

/** A typed section's element type, checked for whole, aligned elements (`offset` relative to an aligned start). */
function elementType<K extends TypedKind>(name: string, kind: K, offset: number, length: number): (typeof TYPES)[K] {
  const Type = TYPES[kind];
  if (length % Type.BYTES_PER_ELEMENT !== 0) throw new CacheFileError(`section ${name} has a partial element`);
  if (offset % Type.BYTES_PER_ELEMENT !== 0) throw new CacheFileError(`section ${name} is misaligned`);
  return Type;
}

function decodeJson(name: string, bytes: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch {
    throw new CacheFileError(`section ${name} is not JSON`);
  }
}

/** A checked cache file: its header and typed access to its sections. */
export class Container {
  constructor(
    readonly header: ContainerHeader,
    private readonly body: Uint8Array,
  ) {}

  private entry(name: string, kind: SectionKind): [number, number] {
    return sectionEntry(this.header, name, kind, this.body.byteLength);
  }

  sectionNames(): string[] {
    return Object.keys(this.header.sections ?? {});
  }

  /** A typed array section, viewed in place (no copy). */
  typed<K extends TypedKind>(name: string, kind: K): InstanceType<(typeof TYPES)[K]> {
    const [offset, length] = this.entry(name, kind);
    const start = this.body.byteOffset + offset;
    const Type = elementType(name, kind, start, length);
    return new Type(this.body.buffer as ArrayBuffer, start, length / Type.BYTES_PER_ELEMENT) as InstanceType<(typeof TYPES)[K]>;
  }

  /** A text section's UTF-8 bytes, viewed in place (for text too long for one string). */
  bytes(name: string): Uint8Array {
    const [offset, length] = this.entry(name, 'text');
    return this.body.subarray(offset, offset + length);
  }

  text(name: string): string {
    const [offset, length] = this.entry(name, 'text');
    try {
      return decoder.decode(this.body.subarray(offset, offset + length));
    } catch {
      throw new CacheFileError(`section ${name} is not UTF-8`);
    }
  }

  json(name: string): unknown {
    const [offset, length] = this.entry(name, 'json');
    return decodeJson(name, this.body.subarray(offset, offset + length));
  }
}

/** A header read on its own, kept so that a later full read can skip parsing it again. */
export interface HeaderRead {
  header: ContainerHeader;
  bytes: Uint8Array;
  /** The file's size when its header was read. */
  size: number;
}

/**
 * Checks and opens a whole cache file held in memory. With `expected`, the file's header must be
 * byte for byte the one read before (else the file was replaced in between), and is not parsed again.
 */
export function decodeContainer(bytes: Uint8Array, expected?: HeaderRead): Container {
  const prefix = readPrefix(bytes, bytes.byteLength);
  const { header, table } = checkFrame(
    prefix,
    bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + prefix.headerLength + prefix.tableLength),
    expected,
  );
  let body = bytes.subarray(PREFIX_BYTES + prefix.headerLength + prefix.tableLength);
  checkBlocks(body, table, 0);
  // Sections are aligned relative to the file start; a buffer that is not (a pooled Buffer) is copied once.
  if (body.byteOffset % ALIGN !== 0) body = body.slice();
  return new Container(header, body);
}

/** The header and block table (`frameBytes`: both, as they follow the prefix), checked against the prefix's checksum. */
function checkFrame(prefix: Prefix, frameBytes: Uint8Array, expected?: HeaderRead): { header: ContainerHeader; table: DataView } {
  if (crc32(frameBytes) !== prefix.crc) throw new CacheFileError('checksum mismatch (corrupt)');
  const headerBytes = frameBytes.subarray(0, prefix.headerLength);
  let header: ContainerHeader;
  if (expected) {
    if (!Buffer.from(headerBytes.buffer, headerBytes.byteOffset, headerBytes.byteLength).equals(expected.bytes)) {
      throw new CacheFileError('replaced while being read', { replaced: true });
    }
    header = expected.header;
  } else {
    header = parseHeader(headerBytes);
  }
  const tableBytes = frameBytes.subarray(prefix.headerLength);
  return { header, table: new DataView(tableBytes.buffer, tableBytes.byteOffset, tableBytes.byteLength) };
}

/** Limits on reading a cache file. */
export interface ReadLimits {
  /** Largest file accepted, in bytes (a plausible size for this archive): a larger one is not read at all. */
  maxBytes?: number;
}

/**
 * Opens a cache file safely: never through a symbolic link (the cache folder is untrusted input),
 * only a regular file (a FIFO or device in its place is refused at once), and only when its size
 * is within `maxBytes`. Returns the descriptor, its size and the checked prefix.
 */
function openCacheFile(path: string, { maxBytes = Number.MAX_SAFE_INTEGER }: ReadLimits): { fd: number; size: number; prefix: Prefix } {
  const { fd, size } = openRegularFileSync(path, { noFollow: true });
  try {
    if (size > maxBytes) throw new CacheFileError(`${size} bytes, more than this archive's cache can hold (${maxBytes})`);
    // The lengths the prefix declares must add up to the file's size before anything more is read.
    const prefix = readPrefix(readExactlySync(fd, Math.min(PREFIX_BYTES, size), 0), size);
    return { fd, size, prefix };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/**
 * Reads and checks a cache file (see decodeContainer). ENOENT and other fs errors are thrown as
 * they are. The read is synchronous: a rebuild reads one entry per source file, and 10,000 small
 * reads took 1.4-1.7 s through the thread pool against 0.4 s synchronously (decoding blocks the
 * thread right after anyway; a bot loads in a worker). It reads exactly the size the prefix
 * declares, into a fresh (aligned) buffer.
 */
// eslint-disable-next-line @typescript-eslint/require-await -- async so that a throw is a rejection, as callers expect
export async function readContainer(path: string, expected?: HeaderRead, limits: ReadLimits = {}): Promise<Container> {
  const { fd, size } = openCacheFile(path, limits);
  try {
    return decodeContainer(readExactlySync(fd, size, 0), expected);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads only a cache file's header (for a quick "is this still current?" before reading a large
 * file). Lengths are checked against the file size; the checksum is not (that needs the body), so
 * the header is a hint until `readContainer` has checked the whole file.
 */
// eslint-disable-next-line @typescript-eslint/require-await -- async so that a throw is a rejection, as callers expect
export async function readContainerHeader(path: string, limits: ReadLimits = {}): Promise<HeaderRead> {
  const { fd, size, prefix } = openCacheFile(path, limits);
  try {
    const bytes = readExactlySync(fd, prefix.headerLength, PREFIX_BYTES);
    if (bytes.byteLength !== prefix.headerLength) throw new CacheFileError('truncated header');
    return { header: parseHeader(bytes), bytes, size };
  } finally {
    closeSync(fd);
  }
}

/**
 * A cache file opened for reads on demand: the prefix, header and block table are read and
 * checked at once; a section's bytes are read (by position, from the descriptor held open) when
 * asked, and every block a read touches is checked against its checksum before any byte of it is
 * used. The descriptor keeps reading the file that was opened, whatever is renamed over its name
 * meanwhile (cache files are replaced by rename, never written in place). `close` releases it;
 * should an owner forget, it is closed when this object is collected.
 */
export class ContainerFile {
  readonly header: ContainerHeader;
  /** The file's size in bytes. */
  readonly size: number;
  /** Bytes read from the file so far (prefix, header and table included). */
  bytesRead: number;
  private fd: number | undefined;
  private readonly table: DataView;
  private readonly bodyStart: number;
  private readonly bodyLength: number;
  private readonly token = {};
  /** Body bytes read ahead (see `readAhead`), from `start` (a block boundary). */
  private ahead: { start: number; bytes: Uint8Array } | undefined;

  private constructor(
    readonly path: string,
    fd: number,
    size: number,
    prefix: Prefix,
    expected: HeaderRead | undefined,
  ) {
    this.fd = fd;
    this.size = size;
    const frameLength = prefix.headerLength + prefix.tableLength;
    const frameBytes = readExactlySync(fd, frameLength, PREFIX_BYTES);
    if (frameBytes.byteLength !== frameLength) throw new CacheFileError('truncated header');
    const { header, table } = checkFrame(prefix, frameBytes, expected);
    this.header = header;
    this.table = table;
    this.bodyStart = PREFIX_BYTES + frameLength;
    this.bodyLength = prefix.bodyLength;
    this.bytesRead = PREFIX_BYTES + frameLength;
    openFiles.register(this, fd, this.token);
  }

  /** Opens and checks a cache file's frame (see readContainer for `expected` and `limits`). */
  static open(path: string, expected?: HeaderRead, limits: ReadLimits = {}): ContainerFile {
    const { fd, size, prefix } = openCacheFile(path, limits);
    try {
      return new ContainerFile(path, fd, size, prefix, expected);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  get closed(): boolean {
    return this.fd === undefined;
  }

  /** Releases the descriptor; reads after it fail. */
  close(): void {
    if (this.fd === undefined) return;
    openFiles.unregister(this.token);
    closeSync(this.fd);
    this.fd = undefined;
  }

  /**
   * Removes the file from the cache folder when it is still the one this reads (a damaged file is
   * rebuilt by the next load instead of being read again); a file renamed over it since is kept.
   */
  discard(): void {
    if (this.fd === undefined) return;
    try {
      const open = fstatSync(this.fd);
      const named = statSync(this.path);
      if (open.ino === named.ino && open.dev === named.dev) rmSync(this.path, { force: true });
    } catch {
      // Gone already, or not ours to remove: the next load's checks decide.
    }
  }

  /**
   * Reads (and checks) at once the stretch of the body that holds these sections, so that reading
   * each of them next costs no further read; `readAhead()` without names lets go of it.
   */
  readAhead(names: readonly string[] = []): void {
    this.ahead = undefined;
    if (names.length === 0) return;
    let from = this.bodyLength;
    let to = 0;
    for (const name of names) {
      const entry = this.header.sections?.[name];
      const [offset, length] = sectionEntry(this.header, name, Array.isArray(entry) ? entry[0] : 'json', this.bodyLength);
      from = Math.min(from, offset);
      to = Math.max(to, offset + length);
    }
    if (from >= to) return;
    const { bytes, at } = this.readBody(from, to - from);
    this.ahead = { start: from - at, bytes };
  }

  /** Reads the blocks holding body bytes [offset, offset + length) and checks them; `at` is where byte `offset` lies in `bytes`. */
  private readBody(offset: number, length: number): { bytes: Uint8Array; at: number } {
    if (this.fd === undefined) throw new CacheFileError(`${this.path} was closed`);
    const ahead = this.ahead;
    if (ahead && offset >= ahead.start && offset + length <= ahead.start + ahead.bytes.byteLength) {
      return { bytes: ahead.bytes, at: offset - ahead.start };
    }
    const first = Math.floor(offset / BLOCK_BYTES);
    const end = Math.min(this.bodyLength, Math.ceil((offset + length) / BLOCK_BYTES) * BLOCK_BYTES);
    const bytes = readExactlySync(this.fd, end - first * BLOCK_BYTES, this.bodyStart + first * BLOCK_BYTES);
    this.bytesRead += bytes.byteLength;
    if (bytes.byteLength !== end - first * BLOCK_BYTES) throw new CacheFileError('truncated');
    checkBlocks(bytes, this.table, first);
    return { bytes, at: offset - first * BLOCK_BYTES };
  }

  /** How many elements a typed section holds, or bytes a text section (nothing is read). */
  count(name: string, kind: TypedKind | 'text'): number {
    const [offset, length] = sectionEntry(this.header, name, kind, this.bodyLength);
    return kind === 'text' ? length : length / elementType(name, kind, offset, length).BYTES_PER_ELEMENT;
  }

  /** Elements [from, to) of a typed section (the whole section without them), read and checked now. */
  typed<K extends TypedKind>(name: string, kind: K, from = 0, to?: number): InstanceType<(typeof TYPES)[K]> {
    const [offset, length] = sectionEntry(this.header, name, kind, this.bodyLength);
    const Type = elementType(name, kind, offset, length);
    const count = length / Type.BYTES_PER_ELEMENT;
    const last = to ?? count;
    if (!(Number.isInteger(from) && Number.isInteger(last) && 0 <= from && from <= last && last <= count)) {
      throw new CacheFileError(`section ${name} has no elements ${from}..${last}`);
    }
    if (from === last) return new Type(0) as InstanceType<(typeof TYPES)[K]>;
    const { bytes, at } = this.readBody(offset + from * Type.BYTES_PER_ELEMENT, (last - from) * Type.BYTES_PER_ELEMENT);
    // Blocks start at multiples of BLOCK_BYTES and sections at multiples of 8: `at` is aligned.
    return new Type(bytes.buffer as ArrayBuffer, at, last - from) as InstanceType<(typeof TYPES)[K]>;
  }

  /** Bytes [start, end) of a text section, read and checked now. */
  bytes(name: string, start: number, end: number): Uint8Array {
    const [offset, length] = sectionEntry(this.header, name, 'text', this.bodyLength);
    if (!(0 <= start && start <= end && end <= length)) throw new CacheFileError(`section ${name} has no bytes ${start}..${end}`);
    if (start === end) return new Uint8Array(0);
    const { bytes, at } = this.readBody(offset + start, end - start);
    return bytes.subarray(at, at + end - start);
  }

  json(name: string): unknown {
    const [offset, length] = sectionEntry(this.header, name, 'json', this.bodyLength);
    const { bytes, at } = this.readBody(offset, length);
    return decodeJson(name, bytes.subarray(at, at + length));
  }

  /** The whole file, read and checked as `readContainer` would (for a caller that needs all of it in memory). */
  readAll(): Container {
    if (this.fd === undefined) throw new CacheFileError(`${this.path} was closed`);
    const bytes = readExactlySync(this.fd, this.size, 0);
    this.bytesRead += bytes.byteLength;
    if (bytes.byteLength !== this.size) throw new CacheFileError('truncated');
    const container = decodeContainer(bytes);
    if (JSON.stringify(container.header) !== JSON.stringify(this.header)) throw new CacheFileError('replaced while being read');
    return container;
  }

  /**
   * This file's bytes with another header (same sections, same body, same block checksums): the
   * body is copied from the file as it is, in pieces, never held whole.
   */
  *withHeader(header: Record<string, unknown>): Generator<Uint8Array> {
    if (this.fd === undefined) throw new CacheFileError(`${this.path} was closed`);
    const table = new Uint8Array(this.table.buffer, this.table.byteOffset, this.table.byteLength);
    yield* frame({ ...header, sections: this.header.sections }, table, this.bodyLength);
    const piece = 8 << 20;
    for (let at = 0; at < this.bodyLength; at += piece) {
      const wanted = Math.min(piece, this.bodyLength - at);
      const bytes = readExactlySync(this.fd, wanted, this.bodyStart + at);
      this.bytesRead += bytes.byteLength;
      if (bytes.byteLength !== wanted) throw new CacheFileError('truncated');
      yield bytes;
    }
  }
}

/** Closes the descriptor of a ContainerFile collected without `close`. */
const openFiles = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed: nothing to release.
  }
});
