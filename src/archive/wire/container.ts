/**
 * The one binary layout every cache file uses: a fixed prefix, a JSON header, then named
 * sections (typed arrays, UTF-8 text or JSON), each 8-byte aligned so typed arrays can be
 * viewed in place.
 *
 *   offset  size
 *   0       8    magic "ARCHVIST"
 *   8       4    container version (u32, little-endian)
 *   12      4    header length H in bytes (u32)
 *   16      8    body length B in bytes (u64)
 *   24      4    CRC-32 of everything after the prefix (header, padding and body)
 *   28      4    zero
 *   32      H    header: UTF-8 JSON, then spaces up to a multiple of 8
 *   …       B    body: the sections, at the offsets the header lists (relative to the body)
 *
 * A file is trusted only when the magic, version, both lengths (against the file size) and the
 * checksum all agree; anything else is a CacheFileError, and the caller rebuilds.
 */
import { closeSync } from 'node:fs';
import { openRegularFileSync, readExactlySync } from '../load/regular-file.js';
import { crc32 } from './crc32.js';

const MAGIC = 'ARCHVIST';
/** Bump when the layout above changes. */
const CONTAINER_VERSION = 1;
const PREFIX_BYTES = 32;
const ALIGN = 8;

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
type TypedKind = keyof typeof TYPES;
type SectionKind = TypedKind | 'text' | 'json';

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
  const pad = (length: number) => (ALIGN - (length % ALIGN)) % ALIGN;
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
    const padding = pad(bodyLength);
    if (padding) body.push(new Uint8Array(padding));
    bodyLength += padding;
  }
  const json = encoder.encode(JSON.stringify({ ...header, sections: table }));
  const headerBytes = new Uint8Array(json.byteLength + pad(json.byteLength)).fill(0x20);
  headerBytes.set(json);

  let crc = crc32(headerBytes);
  for (const chunk of body) crc = crc32(chunk, crc);
  const prefix = new Uint8Array(PREFIX_BYTES);
  const view = new DataView(prefix.buffer);
  encoder.encodeInto(MAGIC, prefix);
  view.setUint32(8, CONTAINER_VERSION, true);
  view.setUint32(12, headerBytes.byteLength, true);
  view.setBigUint64(16, BigInt(bodyLength), true);
  view.setUint32(24, crc, true);
  return [prefix, headerBytes, ...body];
}

interface Prefix {
  headerLength: number;
  bodyLength: number;
  crc: number;
}

function readPrefix(bytes: Uint8Array, fileSize: number): Prefix {
  if (fileSize < PREFIX_BYTES || bytes.byteLength < PREFIX_BYTES) throw new CacheFileError('truncated (no header)');
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw new CacheFileError('not a cache file (bad magic)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, PREFIX_BYTES);
  const version = view.getUint32(8, true);
  if (version !== CONTAINER_VERSION) throw new CacheFileError(`container version ${version}, expected ${CONTAINER_VERSION}`);
  const headerLength = view.getUint32(12, true);
  const bodyLength = Number(view.getBigUint64(16, true));
  const expected = PREFIX_BYTES + headerLength + bodyLength;
  if (fileSize < expected) throw new CacheFileError(`truncated (${fileSize} of ${expected} bytes)`);
  if (fileSize > expected) throw new CacheFileError(`${fileSize - expected} bytes too long`);
  return { headerLength, bodyLength, crc: view.getUint32(24, true) };
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

/** A checked cache file: its header and typed access to its sections. */
export class Container {
  constructor(
    readonly header: ContainerHeader,
    private readonly body: Uint8Array,
  ) {}

  private entry(name: string, kind: SectionKind): [number, number] {
    const entry = this.header.sections?.[name];
    if (!Array.isArray(entry) || entry[0] !== kind) throw new CacheFileError(`section ${name} missing or not ${kind}`);
    const [, offset, length] = entry;
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > this.body.byteLength) {
      throw new CacheFileError(`section ${name} out of bounds`);
    }
    return [offset, length];
  }

  sectionNames(): string[] {
    return Object.keys(this.header.sections ?? {});
  }

  /** A typed array section, viewed in place (no copy). */
  typed<K extends TypedKind>(name: string, kind: K): InstanceType<(typeof TYPES)[K]> {
    const [offset, length] = this.entry(name, kind);
    const Type = TYPES[kind];
    if (length % Type.BYTES_PER_ELEMENT !== 0) throw new CacheFileError(`section ${name} has a partial element`);
    const start = this.body.byteOffset + offset;
    if (start % Type.BYTES_PER_ELEMENT !== 0) throw new CacheFileError(`section ${name} is misaligned`);
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
    try {
      return JSON.parse(decoder.decode(this.body.subarray(offset, offset + length)));
    } catch {
      throw new CacheFileError(`section ${name} is not JSON`);
    }
  }
}

/** A header read on its own, kept so that a later full read can skip parsing it again. */
export interface HeaderRead {
  header: ContainerHeader;
  bytes: Uint8Array;
}

/**
 * Checks and opens a whole cache file held in memory. With `expected`, the file's header must be
 * byte for byte the one read before (else the file was replaced in between), and is not parsed again.
 */
export function decodeContainer(bytes: Uint8Array, expected?: HeaderRead): Container {
  const { headerLength, crc } = readPrefix(bytes, bytes.byteLength);
  const rest = bytes.subarray(PREFIX_BYTES);
  if (crc32(rest) !== crc) throw new CacheFileError('checksum mismatch (corrupt)');
  const headerBytes = rest.subarray(0, headerLength);
  let header: ContainerHeader;
  if (expected) {
    if (!Buffer.from(headerBytes.buffer, headerBytes.byteOffset, headerBytes.byteLength).equals(expected.bytes)) {
      throw new CacheFileError('replaced while being read', { replaced: true });
    }
    header = expected.header;
  } else {
    header = parseHeader(headerBytes);
  }
  let body = rest.subarray(headerLength);
  // Sections are aligned relative to the file start; a buffer that is not (a pooled Buffer) is copied once.
  if (body.byteOffset % ALIGN !== 0) body = body.slice();
  return new Container(header, body);
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
  const { fd, prefix } = openCacheFile(path, limits);
  try {
    const bytes = readExactlySync(fd, prefix.headerLength, PREFIX_BYTES);
    if (bytes.byteLength !== prefix.headerLength) throw new CacheFileError('truncated header');
    return { header: parseHeader(bytes), bytes };
  } finally {
    closeSync(fd);
  }
}
