/**
 * An archive as plain data: everything an Archive needs to answer, with the index in typed
 * arrays. It is what the whole-index cache file holds and what a worker hands back to the main
 * thread (the arrays are transferred, not copied).
 */
import type { InvertedIndexData } from '../postings/inverted-index.js';
import type { ArchiveDocument, Passage, SkippedFile } from '../types.js';

export interface ArchiveSnapshot {
  /** Absolute archive path ('' for archives built from documents in memory). */
  root: string;
  documents: ArchiveDocument[];
  skipped: SkippedFile[];
  duplicates: number;
  /** Each passage's span in its document's text; its document and position come from the index. */
  passageStart: Uint32Array;
  passageEnd: Uint32Array;
  index: InvertedIndexData;
}

/** The index's lists of strings (stored as JSON); every other field is a typed array. */
export const INDEX_STRINGS = ['terms', 'termWords'] as const satisfies readonly (keyof InvertedIndexData)[];

/** The typed arrays of an index, by field name. */
export type IndexArrays = Omit<InvertedIndexData, (typeof INDEX_STRINGS)[number]>;

/**
 * Field names of the index's typed arrays and their element kinds, in file order. A field added
 * to InvertedIndexData must be listed here or in INDEX_STRINGS, or this does not compile.
 */
export const INDEX_ARRAYS = {
  postingStart: 'u32',
  postingPassage: 'u32',
  postingFrequency: 'u16',
  titleStart: 'u32',
  titleDocument: 'u32',
  titleFrequency: 'u16',
  sectionStart: 'u32',
  sectionPassage: 'u32',
  sectionFrequency: 'u16',
  sectionLength: 'u16',
  passageSection: 'i32',
  passageKind: 'u16',
  passageLength: 'u32',
  titleLength: 'u32',
  positionStart: 'u32',
  positionTerm: 'i32',
  positionOffset: 'u32',
  positionLength: 'u16',
  sentenceStart: 'u32',
  sentenceSpan: 'u32',
  passageDocument: 'u32',
  documentFirstPassage: 'u32',
  documentPassageCount: 'u32',
} as const satisfies Record<keyof IndexArrays, 'u16' | 'u32' | 'i32'>;

/** Every typed array of a snapshot. */
function snapshotArrays(snapshot: ArchiveSnapshot): ArrayBufferView[] {
  const index = snapshot.index;
  return [snapshot.passageStart, snapshot.passageEnd, ...Object.keys(INDEX_ARRAYS).map((key) => index[key as keyof IndexArrays])];
}

/** The distinct buffers under a snapshot's arrays: the transfer list for postMessage (each buffer once). */
export function transferList(snapshot: ArchiveSnapshot): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const array of snapshotArrays(snapshot)) {
    if (array.buffer instanceof ArrayBuffer) buffers.add(array.buffer);
  }
  return [...buffers];
}

/** Passages as the Archive keeps them, from a snapshot's spans and its index's owner arrays. */
export function passagesOf(snapshot: {
  passageStart: Uint32Array;
  passageEnd: Uint32Array;
  index: Pick<InvertedIndexData, 'passageDocument' | 'documentFirstPassage'>;
}): Passage[] {
  const { passageStart, passageEnd } = snapshot;
  const { passageDocument, documentFirstPassage } = snapshot.index;
  const passages = new Array<Passage>(passageStart.length);
  for (let p = 0; p < passageStart.length; p++) {
    const doc = passageDocument[p]!;
    passages[p] = { doc, position: p - documentFirstPassage[doc]! + 1, start: passageStart[p]!, end: passageEnd[p]! };
  }
  return passages;
}

/** The spans of passages, as a snapshot stores them. */
export function spansOf(passages: readonly Passage[]): Pick<ArchiveSnapshot, 'passageStart' | 'passageEnd'> {
  const passageStart = new Uint32Array(passages.length);
  const passageEnd = new Uint32Array(passages.length);
  passages.forEach((passage, p) => {
    passageStart[p] = passage.start;
    passageEnd[p] = passage.end;
  });
  return { passageStart, passageEnd };
}
