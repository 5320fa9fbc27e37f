/**
 * Documents' texts from a saved index, decoded when asked instead of all at start: from the
 * snapshot's bytes when the whole file is in memory (decoding every text into a string at start
 * held each text twice, about 0.6 GB at a million passages), or read from the file itself when the
 * index is read on demand (`cache/saved-index.ts`). A search reads the texts of a few documents
 * (its hits' excerpts, a pool's names), so the last few decoded are kept.
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

/** Which texts, and which of them, a document's lazy `text` reads (to pass the bytes on without a copy). */
const attachedTo = new WeakMap<object, { texts: LazyTexts; i: number }>();

/** Reads bytes [start, end) of the texts (from a saved index's file, on demand). */
export type TextReader = (start: number, end: number) => Uint8Array;

export class LazyTexts {
  private readonly recent = new Map<number, string>();
  /** All the texts' bytes, when they are in memory (else each is read when asked). */
  readonly bytes: Uint8Array | undefined;
  private readonly read: TextReader;

  /**
   * `ends[i]`: where document i's text ends in `bytes` (it starts where the previous one ends).
   * `check` is told each text when it is first decoded, and throws when it does not fit its document.
   */
  constructor(
    bytes: Uint8Array | TextReader,
    readonly ends: Uint32Array,
    private readonly check?: (i: number, text: string) => void,
  ) {
    this.bytes = typeof bytes === 'function' ? undefined : bytes;
    this.read = typeof bytes === 'function' ? bytes : (start, end) => bytes.subarray(start, end);
  }

  text(i: number): string {
    let text = this.recent.get(i);
    if (text === undefined) {
      text = decodeText(this.read(i === 0 ? 0 : this.ends[i - 1]!, this.ends[i]!));
      this.check?.(i, text);
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
    attachedTo.set(fields, { texts: this, i });
    return Object.defineProperty(fields, 'text', { get: () => this.text(i), enumerable: true, configurable: true }) as T & {
      readonly text: string;
    };
  }
}

/** Documents' texts as one UTF-8 buffer and each one's end: what crosses threads instead of strings. */
export interface PackedTexts {
  bytes: Uint8Array;
  ends: Uint32Array;
}

const utf8 = new TextEncoder();

/**
 * The documents without their texts, and the texts packed into one buffer. A worker hands an
 * archive to the main thread this way: a buffer is transferred without a copy, where a million
 * passages' texts as strings were cloned one by one on the receiving thread, in one long pause,
 * into a heap the lazy texts had kept free of them.
 */
export function packTexts<D extends { text: string }>(documents: readonly D[]): { documents: Omit<D, 'text'>[]; texts: PackedTexts } {
  const lazy = sameLazyTexts(documents);
  if (lazy?.bytes) {
    // Documents started from a saved index, in its order: their texts are already one buffer (the
    // snapshot file's, sent along with the index arrays), so they cross as they are.
    // Field by field: spreading would call each `text` getter, decoding every text for nothing.
    const rests = documents.map((document) => {
      const rest: Record<string, unknown> = {};
      for (const key of Object.keys(document)) if (key !== 'text') rest[key] = document[key as keyof D];
      return rest as Omit<D, 'text'>;
    });
    return { documents: rests, texts: { bytes: lazy.bytes, ends: lazy.ends } };
  }
  const encoded: Uint8Array[] = [];
  const ends = new Uint32Array(documents.length);
  let end = 0;
  const rests = documents.map(({ text, ...rest }, i) => {
    const bytes = utf8.encode(text);
    encoded.push(bytes);
    ends[i] = end += bytes.byteLength;
    return rest;
  });
  const bytes = new Uint8Array(end);
  let at = 0;
  for (const part of encoded) {
    bytes.set(part, at);
    at += part.byteLength;
  }
  return { documents: rests, texts: { bytes, ends } };
}

/** The one LazyTexts all `documents` read from, in its order, or undefined. */
function sameLazyTexts(documents: readonly object[]): LazyTexts | undefined {
  const first = documents.length > 0 ? attachedTo.get(documents[0]!)?.texts : undefined;
  if (!first || first.ends.length !== documents.length) return undefined;
  return documents.every((document, i) => {
    const attached = attachedTo.get(document);
    return attached?.texts === first && attached.i === i;
  })
    ? first
    : undefined;
}

/** The documents of {@link packTexts} again, each reading its text from the buffer when asked. */
export function unpackTexts<D extends object>(documents: readonly D[], { bytes, ends }: PackedTexts): (D & { readonly text: string })[] {
  if (ends.length !== documents.length || (ends.length > 0 && ends[ends.length - 1] !== bytes.byteLength)) {
    throw new CacheFileError('packed texts do not match their documents');
  }
  const texts = new LazyTexts(bytes, ends);
  return documents.map((document, i) => texts.attach(document, i));
}
