/**
 * A snapshot is untrusted input: its checksum proves only that the file is whole, not that its
 * writer was sound (or was us). Before any of it is used, every count, offset and type the engine
 * relies on is checked, in one linear pass: a snapshot that passes cannot make a query index out of
 * bounds, loop, or quote a span outside its document's text. Any failure is a CacheFileError, and
 * the load rebuilds from the files.
 */
import type { ArchiveDocument, DocumentLayout, SkippedFile } from '../types.js';
import { CacheFileError } from '../wire/container.js';
import type { ArchiveSnapshot } from '../wire/snapshot.js';

function expect(condition: unknown, what: string): asserts condition {
  if (!condition) throw new CacheFileError(what);
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;

/** A document's fields, with the types the bot reads them as (a numeric `date` once stopped the bot from starting). */
export function checkDocumentFields(document: unknown): asserts document is Omit<ArchiveDocument, 'text'> {
  expect(typeof document === 'object' && document !== null, 'a document is not an object');
  const d = document as Record<string, unknown>;
  expect(isString(d.id) && isString(d.title) && isString(d.file), 'a document lacks its id, title or file');
  for (const field of ['source', 'date', 'url'] as const)
    expect(d[field] === undefined || isString(d[field]), `a document's ${field} is not text`);
  expect(d.tags === undefined || (Array.isArray(d.tags) && d.tags.every(isString)), "a document's tags are not a list of text");
  if (d.layout !== undefined) checkLayout(d.layout);
}

const isSpan = (value: unknown): value is { start: number; end: number } => {
  const v = value as Record<string, unknown>;
  return typeof value === 'object' && value !== null && isCount(v.start) && isCount(v.end) && v.start <= v.end;
};

/**
 * A page's layout: well-formed and in order. Its offsets are checked against the text when the
 * text is read (checkLayoutFits): a saved text is decoded only when a search needs it.
 */
export function checkLayout(layout: unknown): asserts layout is DocumentLayout {
  const l = layout as Record<string, unknown>;
  expect(typeof layout === 'object' && layout !== null, "a document's layout is not an object");
  const { sections, blocks, marks, pieces } = l;
  expect(Array.isArray(sections) && Array.isArray(blocks) && Array.isArray(marks) && Array.isArray(pieces), 'a layout is malformed');
  for (const section of sections as unknown[]) {
    const s = section as Record<string, unknown>;
    expect(
      typeof section === 'object' &&
        section !== null &&
        Array.isArray(s.headings) &&
        s.headings.every(isString) &&
        (s.anchor === undefined || isString(s.anchor)),
      'a layout section is malformed',
    );
  }
  let previous = 0;
  for (const block of blocks as unknown[]) {
    const b = block as Record<string, unknown>;
    expect(
      isSpan(block) &&
        block.start >= previous &&
        (b.kind === 'prose' || b.kind === 'code') &&
        Number.isInteger(b.section) &&
        (b.section as number) >= -1 &&
        (b.section as number) < sections.length &&
        (b.language === undefined || isString(b.language)),
      'a layout block is malformed',
    );
    previous = block.end;
  }
  for (const mark of marks as unknown[]) {
    const m = mark as Record<string, unknown>;
    expect(
      isSpan(mark) && (m.kind === 'code' || m.kind === 'link') && (m.href === undefined || isString(m.href)),
      'a layout mark is malformed',
    );
  }
  expect(pieces.length % 3 === 0 && (pieces as unknown[]).every(isCount), 'layout pieces are malformed');
}

/** Whether a page's layout lies within its text (blocks and marks; pieces are not read by searches). */
export function layoutFits(layout: DocumentLayout, textLength: number): boolean {
  return layout.blocks.every((block) => block.end <= textLength) && layout.marks.every((mark) => mark.end <= textLength);
}

export function checkSkipped(list: unknown): asserts list is SkippedFile[] {
  expect(Array.isArray(list), 'skipped files are not a list');
  for (const item of list as unknown[]) {
    const s = item as Record<string, unknown>;
    expect(
      typeof item === 'object' && item !== null && isString(s.file) && isString(s.reason) && (s.line === undefined || isCount(s.line)),
      'a skipped file is malformed',
    );
  }
}

/** `starts` has `count + 1` entries, begins at 0, never decreases and ends at `total`. */
function checkStarts(starts: Uint32Array, count: number, total: number, what: string): void {
  expect(starts.length === count + 1 && starts[0] === 0 && starts[count] === total, `${what} do not add up`);
  for (let i = 0; i < count; i++) expect(starts[i]! <= starts[i + 1]!, `${what} out of order`);
}

/** Postings of each term: targets below `targets`, strictly increasing within a term, frequencies ≥ 1. */
function checkPostings(
  start: Uint32Array,
  target: Uint32Array,
  frequency: Uint16Array,
  terms: number,
  targets: number,
  what: string,
): void {
  checkStarts(start, terms, target.length, what);
  expect(frequency.length === target.length, `${what} frequencies differ`);
  for (let t = 0; t < terms; t++) {
    let previous = -1;
    for (let at = start[t]!, end = start[t + 1]!; at < end; at++) {
      const value = target[at]!;
      expect(value < targets && value > previous && frequency[at]! > 0, `${what} point outside the index`);
      previous = value;
    }
  }
}

/** Everything the engine relies on in a decoded snapshot (documents' fields are checked as they are decoded). */
export function checkSnapshot({ index, documents, passageStart, passageEnd }: ArchiveSnapshot): void {
  const passages = index.passageLength.length;
  const terms = index.terms.length;
  const docs = documents.length;
  expect(index.termWords.length === terms, 'term words do not match the terms');
  expect(
    passageStart.length === passages && passageEnd.length === passages && index.passageDocument.length === passages,
    'passage counts differ',
  );
  expect(
    index.documentFirstPassage.length === docs && index.documentPassageCount.length === docs && index.titleLength.length === docs,
    'document counts differ',
  );
  checkPostings(index.postingStart, index.postingPassage, index.postingFrequency, terms, passages, 'body postings');
  checkPostings(index.titleStart, index.titleDocument, index.titleFrequency, terms, docs, 'title postings');
  checkPostings(index.sectionStart, index.sectionPassage, index.sectionFrequency, terms, passages, 'section postings');
  expect(
    index.sectionLength.length === passages && index.passageSection.length === passages && index.passageKind.length === passages,
    'passage fields differ',
  );

  // Documents own consecutive runs of passages, in order, covering them all.
  let next = 0;
  for (let d = 0; d < docs; d++) {
    const first = index.documentFirstPassage[d]!;
    const count = index.documentPassageCount[d]!;
    expect(first === next && first + count <= passages, 'document passages do not add up');
    const textLength = documents[d]!.text.length;
    const layout = documents[d]!.layout;
    expect(!layout || layoutFits(layout, textLength), 'a layout lies outside its text');
    const sections = layout?.sections.length ?? 0;
    for (let p = first; p < first + count; p++) {
      expect(index.passageDocument[p] === d, 'a passage names the wrong document');
      expect(
        index.passageSection[p]! >= -1 && index.passageSection[p]! < sections && index.passageKind[p]! <= 1,
        'a passage names no section',
      );
      expect(passageStart[p]! <= passageEnd[p]! && passageEnd[p]! <= textLength, 'a passage lies outside its text');
    }
    next = first + count;
  }
  expect(next === passages, 'passages without a document');

  checkStarts(index.positionStart, passages, index.positionTerm.length, 'positions');
  expect(
    index.positionOffset.length === index.positionTerm.length && index.positionLength.length === index.positionTerm.length,
    'position arrays differ',
  );
  checkStarts(index.sentenceStart, passages, index.sentenceSpan.length, 'sentences');
  for (let p = 0; p < passages; p++) {
    const from = passageStart[p]!;
    const to = passageEnd[p]!;
    for (let at = index.positionStart[p]!, end = index.positionStart[p + 1]!; at < end; at++) {
      const term = index.positionTerm[at]!;
      expect(term >= -1 && term < terms, 'a position names no term');
      expect(
        index.positionOffset[at]! >= from && index.positionOffset[at]! + index.positionLength[at]! <= to,
        'a word lies outside its passage',
      );
    }
    const sentenceFrom = index.sentenceStart[p]!;
    const sentenceTo = index.sentenceStart[p + 1]!;
    expect((sentenceTo - sentenceFrom) % 2 === 0, 'sentences are not pairs');
    for (let at = sentenceFrom; at < sentenceTo; at += 2) {
      expect(
        from <= index.sentenceSpan[at]! && index.sentenceSpan[at]! <= index.sentenceSpan[at + 1]! && index.sentenceSpan[at + 1]! <= to,
        'a sentence lies outside its passage',
      );
    }
  }
}
