/**
 * The inverted index: compact postings in typed arrays.
 *
 * Two fields are indexed: passage bodies (postings per passage) and document titles
 * (postings per document, shared by all of a document's passages). Each passage also
 * keeps its sequence of term ids by word position, for phrase constraints and proximity.
 *
 * Everything is flat typed arrays addressed by offsets, which keeps 100,000 passages
 * small in memory and lets the index be written to and read from disk as-is.
 */
import type { AnalyzedToken, Span } from './analysis.js';

/** Term id for a stop word's position: it holds a place but matches nothing. */
export const NO_TERM = -1;

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

export class InvertedIndex {
  readonly data: InvertedIndexData;
  readonly termIds: Map<string, number>;
  readonly averagePassageLength: number;
  readonly averageTitleLength: number;

  constructor(data: InvertedIndexData) {
    this.data = data;
    this.termIds = new Map(data.terms.map((term, id) => [term, id]));
    this.averagePassageLength = average(data.passageLength);
    this.averageTitleLength = average(data.titleLength);
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

  /** Term ids at each word position of a passage (NO_TERM for stop words). */
  positions(passage: number): Int32Array {
    const { positionStart, positionTerm } = this.data;
    return positionTerm.subarray(positionStart[passage]!, positionStart[passage + 1]!);
  }

  /**
   * A passage's words and sentences as the analyser saw them, with offsets relative to
   * `passageStart`: what excerpts need, rebuilt from the index instead of re-analysing.
   */
  passageAnalysis(passage: number, passageStart: number): { tokens: AnalyzedToken[]; sentences: Span[] } {
    const { positionStart, positionTerm, positionOffset, positionLength, sentenceStart, sentenceSpan, terms } = this.data;
    const tokens: AnalyzedToken[] = [];
    for (let at = positionStart[passage]!, end = positionStart[passage + 1]!; at < end; at++) {
      const start = positionOffset[at]! - passageStart;
      const id = positionTerm[at]!;
      const previous = tokens.at(-1);
      // The parts of a compound ("Soyuz-2") share one word's offsets.
      if (previous && previous.start === start) {
        if (id !== NO_TERM) (previous.terms as string[]).push(terms[id]!);
        continue;
      }
      tokens.push({ start, end: start + positionLength[at]!, terms: id === NO_TERM ? [] : [terms[id]!] });
    }
    const sentences: Span[] = [];
    for (let at = sentenceStart[passage]!, end = sentenceStart[passage + 1]!; at < end; at += 2) {
      sentences.push({ start: sentenceSpan[at]! - passageStart, end: sentenceSpan[at + 1]! - passageStart });
    }
    return { tokens, sentences };
  }
}

function average(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return values.length ? sum / values.length : 0;
}

/** Accumulates documents and passages, then freezes them into an InvertedIndex. */
export class IndexBuilder {
  private readonly termIds = new Map<string, number>();
  private readonly terms: string[] = [];
  private readonly termWords: string[] = [];
  private readonly bodyPostings: number[][] = []; // per term: passage, tf, passage, tf, …
  private readonly titlePostings: number[][] = []; // per term: document, tf, …
  private readonly passageLength: number[] = [];
  private readonly titleLength: number[] = [];
  private readonly positionTerm: number[] = [];
  private readonly positionStart: number[] = [0];
  private readonly positionOffset: number[] = [];
  private readonly positionLength: number[] = [];
  private readonly sentenceStart: number[] = [0];
  private readonly sentenceSpan: number[] = [];
  private readonly passageDocument: number[] = [];
  private readonly documentFirstPassage: number[] = [];
  private readonly documentPassageCount: number[] = [];
  /** Scratch: the current passage's term ids, one per occurrence, and a count per term id (kept at zero between passages). */
  private readonly occurrences: number[] = [];
  private termCounts: Uint32Array = new Uint32Array(1024);

  private termId(term: string, word = term): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.termIds.set(term, id);
      this.terms.push(term);
      this.termWords.push(word);
      this.bodyPostings.push([]);
      this.titlePostings.push([]);
    }
    return id;
  }

  /** Start a document: its title tokens. Passages added next belong to it. */
  addDocument(titleTokens: AnalyzedToken[]): number {
    const document = this.documentFirstPassage.length;
    this.documentFirstPassage.push(this.passageLength.length);
    this.documentPassageCount.push(0);
    const counts = countTerms(titleTokens, (term) => this.termId(term));
    let length = 0;
    for (const [id, tf] of counts) {
      this.titlePostings[id]!.push(document, tf);
      length += tf;
    }
    this.titleLength.push(length);
    return document;
  }

  /**
   * Add a passage of the current document: its tokens and sentences in order, with offsets
   * into `text`, the document's text.
   */
  addPassage(tokens: AnalyzedToken[], sentences: Span[], text: string): number {
    const passage = this.passageLength.length;
    const document = this.documentFirstPassage.length - 1;
    this.passageDocument.push(document);
    this.documentPassageCount[document]!++;
    const occurrences = this.occurrences;
    occurrences.length = 0;
    for (const token of tokens) {
      const length = Math.min(token.end - token.start, MAX_WORD_LENGTH);
      if (token.terms.length === 0) {
        this.positionTerm.push(NO_TERM);
        this.positionOffset.push(token.start);
        this.positionLength.push(length);
      }
      for (const term of token.terms) {
        let id = this.termIds.get(term);
        // The readable word is only worth cutting out of the text for a term seen the first time.
        if (id === undefined) id = this.termId(term, token.terms.length === 1 ? text.slice(token.start, token.end).toLowerCase() : term);
        this.positionTerm.push(id);
        this.positionOffset.push(token.start);
        this.positionLength.push(length);
        occurrences.push(id);
      }
      if (token.extra) occurrences.push(this.termId(token.extra));
    }
    this.positionStart.push(this.positionTerm.length);
    for (const sentence of sentences) this.sentenceSpan.push(sentence.start, sentence.end);
    this.sentenceStart.push(this.sentenceSpan.length);
    // Term frequencies: count in a per-term scratch array, then emit each distinct term once.
    const counts = this.termCounts;
    for (const id of occurrences) {
      if (id >= counts.length) this.termCounts = growCounts(counts, id);
      this.termCounts[id]!++;
    }
    for (const id of occurrences) {
      const tf = this.termCounts[id]!;
      if (tf === 0) continue;
      this.bodyPostings[id]!.push(passage, tf);
      this.termCounts[id] = 0;
    }
    this.passageLength.push(occurrences.length);
    return passage;
  }

  build(): InvertedIndex {
    const body = flattenPostings(this.bodyPostings);
    const title = flattenPostings(this.titlePostings);
    return new InvertedIndex({
      terms: this.terms,
      termWords: this.termWords,
      postingStart: body.start,
      postingPassage: body.target,
      postingFrequency: body.frequency,
      titleStart: title.start,
      titleDocument: title.target,
      titleFrequency: title.frequency,
      passageLength: Uint32Array.from(this.passageLength),
      titleLength: Uint32Array.from(this.titleLength),
      positionStart: Uint32Array.from(this.positionStart),
      positionTerm: Int32Array.from(this.positionTerm),
      positionOffset: Uint32Array.from(this.positionOffset),
      positionLength: Uint16Array.from(this.positionLength),
      sentenceStart: Uint32Array.from(this.sentenceStart),
      sentenceSpan: Uint32Array.from(this.sentenceSpan),
      passageDocument: Uint32Array.from(this.passageDocument),
      documentFirstPassage: Uint32Array.from(this.documentFirstPassage),
      documentPassageCount: Uint32Array.from(this.documentPassageCount),
    });
  }
}

function countTerms(tokens: AnalyzedToken[], idOf: (term: string) => number): Map<number, number> {
  const counts = new Map<number, number>();
  const add = (term: string) => {
    const id = idOf(term);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  };
  for (const token of tokens) {
    for (const term of token.terms) add(term);
    if (token.extra) add(token.extra);
  }
  return counts;
}

function growCounts(counts: Uint32Array, id: number): Uint32Array {
  const grown = new Uint32Array(Math.max(counts.length * 2, id + 1));
  grown.set(counts);
  return grown;
}

const MAX_TF = 0xffff;
const MAX_WORD_LENGTH = 0xffff;

function flattenPostings(postings: number[][]): { start: Uint32Array; target: Uint32Array; frequency: Uint16Array } {
  const start = new Uint32Array(postings.length + 1);
  let total = 0;
  for (let t = 0; t < postings.length; t++) {
    start[t] = total;
    total += postings[t]!.length / 2;
  }
  start[postings.length] = total;
  const target = new Uint32Array(total);
  const frequency = new Uint16Array(total);
  let at = 0;
  for (const list of postings) {
    for (let i = 0; i < list.length; i += 2) {
      target[at] = list[i]!;
      frequency[at] = Math.min(list[i + 1]!, MAX_TF);
      at++;
    }
  }
  return { start, target, frequency };
}
