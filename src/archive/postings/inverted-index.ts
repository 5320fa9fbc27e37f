/**
 * The inverted index: compact postings in typed arrays.
 *
 * Two fields are indexed: passage bodies (postings per passage) and document titles
 * (postings per document, shared by all of a document's passages). Each passage also
 * keeps its sequence of term ids by word position, for phrase constraints and sentence matching.
 *
 * Everything is flat typed arrays addressed by offsets, which keeps 100,000 passages
 * small in memory and lets the index be written to and read from disk as-is.
 */
import type { AnalyzedToken, Span } from '../analysis/analyze.js';

/** Term id for a stop word's position: it holds a place but matches nothing. */
export const NO_TERM = -1;

/** A passage's kind (`passageKind`): prose, or a page's code block. */
export const PASSAGE_PROSE = 0;
export const PASSAGE_CODE = 1;

export interface InvertedIndexData {
  /** Term strings by id. */
  terms: string[];
  /** A readable word for each term (its first surface form, lower-cased), for suggestions. */
  termWords: string[];
  /** Body postings of term t: entries postingStart[t] .. postingStart[t+1]. */
  postingStart: Uint32Array;
  postingPassage: Uint32Array;
  postingFrequency: Uint16Array;
  /** Title postings of term t: titleStart[t] .. titleStart[t+1], by document. */
  titleStart: Uint32Array;
  titleDocument: Uint32Array;
  titleFrequency: Uint16Array;
  /**
   * Section postings of term t: sectionStart[t] .. sectionStart[t+1], by passage: the headings
   * above a page's passage (below its title), a field of the passage like the title is of all.
   */
  sectionStart: Uint32Array;
  sectionPassage: Uint32Array;
  sectionFrequency: Uint16Array;
  /** Indexed term occurrences of each passage's section headings (0: none). */
  sectionLength: Uint16Array;
  /** Each passage's section in its document's layout (-1: none), and its kind (PASSAGE_PROSE, PASSAGE_CODE). */
  passageSection: Int32Array;
  passageKind: Uint16Array;
  /** Indexed term occurrences per passage / per title (BM25 length). */
  passageLength: Uint32Array;
  titleLength: Uint32Array;
  /** Term ids by position of passage p: positionStart[p] .. positionStart[p+1]. */
  positionStart: Uint32Array;
  positionTerm: Int32Array;
  /** Where each position's word sits in its document's text (start offset, length), for quoting without re-analysis. */
  positionOffset: Uint32Array;
  positionLength: Uint16Array;
  /** Sentence spans of passage p, as [start, end) offset pairs: sentenceStart[p] .. sentenceStart[p+1] (in pairs). */
  sentenceStart: Uint32Array;
  sentenceSpan: Uint32Array;
  /** Owning document of each passage, and each document's first passage and passage count. */
  passageDocument: Uint32Array;
  documentFirstPassage: Uint32Array;
  documentPassageCount: Uint32Array;
}

/**
 * The index's long lists: postings of every term, and the words and sentences of every passage.
 * Everything else (per term, per passage and per document arrays, and the terms) is the index's
 * core, read at start; a list is read when a search needs it (see IndexLists).
 */
export const LIST_FIELDS = [
  'postingPassage',
  'postingFrequency',
  'titleDocument',
  'titleFrequency',
  'sectionPassage',
  'sectionFrequency',
  'positionTerm',
  'positionOffset',
  'positionLength',
  'sentenceSpan',
] as const satisfies readonly (keyof InvertedIndexData)[];

/** What every search may read of an index, held in memory. */
export type IndexCore = Omit<InvertedIndexData, (typeof LIST_FIELDS)[number]>;

/** One term's postings in one field: ascending targets (passages or documents) and their frequencies. */
export interface Postings {
  targets: Uint32Array;
  frequencies: Uint16Array;
}

/** One passage's words (term id, offset and length by position) and its sentences ([start, end) offset pairs). */
export interface PassageWords {
  terms: Int32Array;
  offsets: Uint32Array;
  lengths: Uint16Array;
  sentences: Uint32Array;
}

/**
 * Where the long lists come from: arrays in memory (`ArrayLists`), or a saved index read on demand
 * (`cache/lazy-index.ts`), which checks each list as it reads it. Every list returned is checked:
 * postings ascend and point inside the index, words and sentences lie inside their passage.
 */
export interface IndexLists {
  body(term: number): Postings;
  title(term: number): Postings;
  section(term: number): Postings;
  words(passage: number): PassageWords;
  /** Term ids by position of a passage (its words' `terms`, maybe without reading the rest). */
  positions(passage: number): Int32Array;
}

/** Entries `start[term] .. start[term + 1]` of a field's postings, viewed in place. */
function postingsOf(start: Uint32Array, targets: Uint32Array, frequencies: Uint16Array, term: number): Postings {
  const from = start[term]!;
  const to = start[term + 1]!;
  return { targets: targets.subarray(from, to), frequencies: frequencies.subarray(from, to) };
}

/** The long lists of an index held whole in memory: views into its arrays, nothing copied. */
export class ArrayLists implements IndexLists {
  constructor(private readonly data: InvertedIndexData) {}

  body(term: number): Postings {
    return postingsOf(this.data.postingStart, this.data.postingPassage, this.data.postingFrequency, term);
  }

  title(term: number): Postings {
    return postingsOf(this.data.titleStart, this.data.titleDocument, this.data.titleFrequency, term);
  }

  section(term: number): Postings {
    return postingsOf(this.data.sectionStart, this.data.sectionPassage, this.data.sectionFrequency, term);
  }

  words(passage: number): PassageWords {
    const { positionStart, positionTerm, positionOffset, positionLength, sentenceStart, sentenceSpan } = this.data;
    const from = positionStart[passage]!;
    const to = positionStart[passage + 1]!;
    return {
      terms: positionTerm.subarray(from, to),
      offsets: positionOffset.subarray(from, to),
      lengths: positionLength.subarray(from, to),
      sentences: sentenceSpan.subarray(sentenceStart[passage], sentenceStart[passage + 1]),
    };
  }

  positions(passage: number): Int32Array {
    const { positionStart, positionTerm } = this.data;
    return positionTerm.subarray(positionStart[passage], positionStart[passage + 1]);
  }
}

export class InvertedIndex {
  /** The core: what is held in memory however the index was opened. */
  readonly data: IndexCore;
  /** The long lists, read through their accessors below. */
  readonly lists: IndexLists;
  /** All of the index's arrays when it is held whole in memory (built, or read whole); undefined when its lists are read on demand. */
  readonly whole: InvertedIndexData | undefined;
  readonly termIds: Map<string, number>;
  readonly averagePassageLength: number;
  readonly averageTitleLength: number;
  /** Average section length over the passages that have a section (0 when none has). */
  readonly averageSectionLength: number;

  /** An index over `data` in memory, or over its core with `lists` read elsewhere. */
  constructor(data: InvertedIndexData);
  constructor(data: IndexCore, lists: IndexLists);
  constructor(data: IndexCore | InvertedIndexData, lists?: IndexLists) {
    this.data = data;
    this.whole = lists ? undefined : (data as InvertedIndexData);
    this.lists = lists ?? new ArrayLists(data as InvertedIndexData);
    this.termIds = new Map(data.terms.map((term, id) => [term, id]));
    this.averagePassageLength = average(data.passageLength);
    this.averageTitleLength = average(data.titleLength);
    this.averageSectionLength = averageNonZero(data.sectionLength);
  }

  get passageCount(): number {
    return this.data.passageLength.length;
  }

  get termCount(): number {
    return this.data.terms.length;
  }

  /** Passages whose body contains the term (its document frequency for BM25). */
  passageFrequency(termId: number): number {
    return this.data.postingStart[termId + 1]! - this.data.postingStart[termId]!;
  }

  /** Documents whose title contains the term. */
  titleFrequency(termId: number): number {
    return this.data.titleStart[termId + 1]! - this.data.titleStart[termId]!;
  }

  /** The term's body postings, by passage. */
  bodyPostings(termId: number): Postings {
    return this.lists.body(termId);
  }

  /** The term's title postings, by document. */
  titlePostings(termId: number): Postings {
    return this.lists.title(termId);
  }

  /** The term's section postings, by passage. */
  sectionPostings(termId: number): Postings {
    return this.lists.section(termId);
  }

  /** How many of the passages `first .. end - 1` contain the term: two binary searches (postings ascend by passage). */
  passagesWithTerm(termId: number, first: number, end: number): number {
    const { targets } = this.lists.body(termId);
    return lowerBound(targets, 0, targets.length, end) - lowerBound(targets, 0, targets.length, first);
  }

  /** Whether the document's title contains the term (title postings ascend by document). */
  titleHasTerm(termId: number, document: number): boolean {
    const { targets } = this.lists.title(termId);
    const at = lowerBound(targets, 0, targets.length, document);
    return at < targets.length && targets[at] === document;
  }

  /** Term ids at each word position of a passage (NO_TERM for stop words). */
  positions(passage: number): Int32Array {
    return this.lists.positions(passage);
  }

  /** A passage's words (term, offset, length by position) and sentences. */
  passageWords(passage: number): PassageWords {
    return this.lists.words(passage);
  }

  /**
   * A passage's words and sentences as the analyser saw them, with offsets relative to
   * `passageStart`: what excerpts need, rebuilt from the index instead of re-analysing.
   */
  passageAnalysis(passage: number, passageStart: number): { tokens: AnalyzedToken[]; sentences: Span[] } {
    const { terms } = this.data;
    const words = this.lists.words(passage);
    const tokens: AnalyzedToken[] = [];
    for (let at = 0, end = words.terms.length; at < end; at++) {
      const start = words.offsets[at]! - passageStart;
      const id = words.terms[at]!;
      const previous = tokens.at(-1);
      // The parts of a compound ("Soyuz-2") share one word's offsets.
      if (previous && previous.start === start) {
        if (id !== NO_TERM) (previous.terms as string[]).push(terms[id]!);
        continue;
      }
      tokens.push({ start, end: start + words.lengths[at]!, terms: id === NO_TERM ? [] : [terms[id]!] });
    }
    const sentences: Span[] = [];
    for (let at = 0, end = words.sentences.length; at < end; at += 2) {
      sentences.push({ start: words.sentences[at]! - passageStart, end: words.sentences[at + 1]! - passageStart });
    }
    return { tokens, sentences };
  }
}

function averageNonZero(values: ArrayLike<number>): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i]! > 0) {
      sum += values[i]!;
      count++;
    }
  }
  return count ? sum / count : 0;
}

/** The first index in `sorted[from..to)` (ascending) whose value is ≥ `value`; `to` when none. */
function lowerBound(sorted: ArrayLike<number>, from: number, to: number, value: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function average(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return values.length ? sum / values.length : 0;
}
