/**
 * A snapshot is untrusted input: its checksum proves only that the file is whole, not that its
 * writer was sound (or was us). Before any of it is used, every count, offset and type the engine
 * relies on is checked, in one linear pass: a snapshot that passes cannot make a query index out of
 * bounds, loop, or quote a span outside its document's text. Any failure is a CacheFileError, and
 * the load rebuilds from the files.
 */
import { LIST_FIELDS, type IndexCore, type PassageWords } from '../postings/inverted-index.js';
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

/** One term's postings (`target[from..to)`): below `targets`, strictly increasing, frequencies ≥ 1. */
export function checkPostingList(
  target: Uint32Array,
  frequency: Uint16Array,
  from: number,
  to: number,
  targets: number,
  what: string,
): void {
  let previous = -1;
  for (let at = from; at < to; at++) {
    const value = target[at]!;
    expect(value < targets && value > previous && frequency[at]! > 0, `${what} point outside the index`);
    previous = value;
  }
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
  for (let t = 0; t < terms; t++) checkPostingList(target, frequency, start[t]!, start[t + 1]!, targets, what);
}

/** How many elements each long list of an index holds. */
export type ListLengths = Record<(typeof LIST_FIELDS)[number], number>;

/**
 * The core of an index (everything but its long lists, whose lengths are `lengths`) and the
 * passages' spans: counts agree, every start array adds up to its list, documents own
 * consecutive runs of passages, and each passage names a section of its document's layout. What
 * needs a document's text or a list's elements is checked when they are read
 * (checkDocumentText, checkPostingList, checkPassageWords).
 */
export function checkCore(
  index: IndexCore,
  lengths: ListLengths,
  documents: readonly Pick<ArchiveDocument, 'layout'>[],
  passageStart: Uint32Array,
  passageEnd: Uint32Array,
): void {
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
  const postings = [
    [index.postingStart, lengths.postingPassage, lengths.postingFrequency, 'body postings'],
    [index.titleStart, lengths.titleDocument, lengths.titleFrequency, 'title postings'],
    [index.sectionStart, lengths.sectionPassage, lengths.sectionFrequency, 'section postings'],
  ] as const;
  for (const [start, length, frequencies, what] of postings) {
    checkStarts(start, terms, length, what);
    expect(frequencies === length, `${what} frequencies differ`);
  }
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
    const sections = documents[d]!.layout?.sections.length ?? 0;
    for (let p = first; p < first + count; p++) {
      expect(index.passageDocument[p] === d, 'a passage names the wrong document');
      expect(
        index.passageSection[p]! >= -1 && index.passageSection[p]! < sections && index.passageKind[p]! <= 1,
        'a passage names no section',
      );
      expect(passageStart[p]! <= passageEnd[p]!, 'a passage lies outside its text');
    }
    next = first + count;
  }
  expect(next === passages, 'passages without a document');

  checkStarts(index.positionStart, passages, lengths.positionTerm, 'positions');
  expect(lengths.positionOffset === lengths.positionTerm && lengths.positionLength === lengths.positionTerm, 'position arrays differ');
  checkStarts(index.sentenceStart, passages, lengths.sentenceSpan, 'sentences');
  for (let p = 0; p < passages; p++) {
    expect((index.sentenceStart[p + 1]! - index.sentenceStart[p]!) % 2 === 0, 'sentences are not pairs');
  }
}

/** A document's text holds its layout and its passages (`first .. first + count - 1`). */
export function checkDocumentText(
  layout: DocumentLayout | undefined,
  textLength: number,
  passageEnd: Uint32Array,
  first: number,
  count: number,
): void {
  expect(!layout || layoutFits(layout, textLength), 'a layout lies outside its text');
  for (let p = first; p < first + count; p++) expect(passageEnd[p]! <= textLength, 'a passage lies outside its text');
}

/**
 * A passage's words (`terms`, `offsets`, `lengths` [from, to)) and sentences (`sentences`
 * [sentenceFrom, sentenceTo)) lie within its span [passageFrom, passageTo), and name terms below `terms`.
 */
export function checkPassageWords(
  words: Pick<PassageWords, 'terms' | 'offsets' | 'lengths' | 'sentences'>,
  from: number,
  to: number,
  sentenceFrom: number,
  sentenceTo: number,
  passageFrom: number,
  passageTo: number,
  termCount: number,
): void {
  for (let at = from; at < to; at++) {
    const term = words.terms[at]!;
    expect(term >= -1 && term < termCount, 'a position names no term');
    expect(words.offsets[at]! >= passageFrom && words.offsets[at]! + words.lengths[at]! <= passageTo, 'a word lies outside its passage');
  }
  const spans = words.sentences;
  for (let at = sentenceFrom; at < sentenceTo; at += 2) {
    expect(passageFrom <= spans[at]! && spans[at]! <= spans[at + 1]! && spans[at + 1]! <= passageTo, 'a sentence lies outside its passage');
  }
}

/** Everything the engine relies on in a decoded snapshot (documents' fields are checked as they are decoded). */
export function checkSnapshot({ index, documents, passageStart, passageEnd }: ArchiveSnapshot): void {
  const lengths = Object.fromEntries(LIST_FIELDS.map((field) => [field, index[field].length])) as ListLengths;
  checkCore(index, lengths, documents, passageStart, passageEnd);
  const terms = index.terms.length;
  const passages = index.passageLength.length;
  checkPostings(index.postingStart, index.postingPassage, index.postingFrequency, terms, passages, 'body postings');
  checkPostings(index.titleStart, index.titleDocument, index.titleFrequency, terms, documents.length, 'title postings');
  checkPostings(index.sectionStart, index.sectionPassage, index.sectionFrequency, terms, passages, 'section postings');
  documents.forEach((document, d) => {
    checkDocumentText(document.layout, document.text.length, passageEnd, index.documentFirstPassage[d]!, index.documentPassageCount[d]!);
  });
  const words = { terms: index.positionTerm, offsets: index.positionOffset, lengths: index.positionLength, sentences: index.sentenceSpan };
  for (let p = 0; p < passages; p++) {
    checkPassageWords(
      words,
      index.positionStart[p]!,
      index.positionStart[p + 1]!,
      index.sentenceStart[p]!,
      index.sentenceStart[p + 1]!,
      passageStart[p]!,
      passageEnd[p]!,
      terms,
    );
  }
}
