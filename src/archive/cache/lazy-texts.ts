/**
 * Documents' texts from a saved index, decoded when asked instead of all at start. The snapshot
 * file stays in memory anyway (the index's typed arrays are views into it), so its UTF-8 texts are
 * already there: decoding every one into a string at start held each text twice, about 0.6 GB at a
 * million passages. A search reads the texts of a few documents (its hits' excerpts, a pool's
 * names), so the last few decoded are kept.
 */
import { CacheFileError } from './container.js';

/** Decoded texts kept for repeated reads (one search reads a hit's text several times). */
const RECENT_TEXTS = 256;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Strict UTF-8: a saved text that does not decode is a damaged cache, never a garbled quote. */
export function decodeText(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new CacheFileError('a document text is not UTF-8');
  }
}

export class LazyTexts {
  private readonly recent = new Map<number, string>();

  /** `ends[i]`: where document i's text ends in `bytes` (it starts where the previous one ends). */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly ends: Uint32Array,
  ) {}

  text(i: number): string {
    let text = this.recent.get(i);
    if (text === undefined) {
      text = decodeText(this.bytes.subarray(i === 0 ? 0 : this.ends[i - 1], this.ends[i]));
      if (this.recent.size >= RECENT_TEXTS) this.recent.clear();
      this.recent.set(i, text);
    }
    return text;
  }

  /**
   * `fields` with a `text` read from here when asked: an enumerable getter, so spreading, cloning
   * (a worker's postMessage) and JSON see it as the plain field it replaces.
   */
  attach<T extends object>(fields: T, i: number): T & { readonly text: string } {
    return Object.defineProperty(fields, 'text', { get: () => this.text(i), enumerable: true, configurable: true }) as T & {
      readonly text: string;
    };
  }
}
