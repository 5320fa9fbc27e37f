/**
 * CRC-32 (the zlib/PNG polynomial) for cache checksums: fast enough to check a 200 MB index on
 * every start, which SHA-256 is not. zlib.crc32 where Node has it (20.15+), else a table in JS.
 */
import * as zlib from 'node:zlib';

type Crc32 = (data: Uint8Array, value?: number) => number;

const native = (zlib as unknown as { crc32?: Crc32 }).crc32;

let table: Uint32Array | undefined;

function crc32Js(data: Uint8Array, value = 0): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = ~value >>> 0;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

/** CRC-32 of `data`, continuing from `value` (the CRC of what came before). */
// Node 20's zlib.crc32 returns 0 for an empty array over an empty buffer, dropping `value`.
export const crc32: Crc32 = native ? (data, value = 0) => (data.byteLength === 0 ? value >>> 0 : native(data, value)) : crc32Js;

/** Exported for tests: the JS fallback must agree with zlib. */
export { crc32Js };
