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
import { Growable } from './growable.js';

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
    return positionTerm.subarray(positionStart[passage], positionStart[passage + 1]);
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
  // Postings as (term, target, frequency) triples in arrival order; build() groups them by term.
  private readonly body = new PostingTriples();
  private readonly title = new PostingTriples();
  private readonly passageLength = new Growable(Uint32Array);
  private readonly titleLength = new Growable(Uint32Array);
  private readonly positionTerm = new Growable(Int32Array);
  private readonly positionStart = new Growable(Uint32Array);
  private readonly positionOffset = new Growable(Uint32Array);
  private readonly positionLength = new Growable(Uint16Array);
  private readonly sentenceStart = new Growable(Uint32Array);
  private readonly sentenceSpan = new Growable(Uint32Array);
  private readonly passageDocument = new Growable(Uint32Array);
  private readonly documentFirstPassage = new Growable(Uint32Array);
  private readonly documentPassageCount: number[] = [];
  /** Scratch: the current passage's term ids, one per occurrence, and a count per term id (kept at zero between uses). */
  private readonly occurrences: number[] = [];
  private termCounts: Uint32Array = new Uint32Array(1024);

  constructor() {
    this.positionStart.push(0);
    this.sentenceStart.push(0);
  }

  private termId(term: string, word = term): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.termIds.set(term, id);
      this.terms.push(term);
      this.termWords.push(word);
    }
    return id;
  }

  /** Start a document: its title tokens. Passages added next belong to it. */
  addDocument(titleTokens: AnalyzedToken[]): number {
    const document = this.documentFirstPassage.length;
    this.documentFirstPassage.push(this.passageLength.length);
    this.documentPassageCount.push(0);
    const occurrences = this.occurrences;
    occurrences.length = 0;
    for (const token of titleTokens) {
      for (const term of token.terms) occurrences.push(this.termId(term));
      if (token.extra) occurrences.push(this.termId(token.extra));
    }
    this.titleLength.push(this.countInto(this.title, document));
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
    for (const sentence of sentences) {
      this.sentenceSpan.push(sentence.start);
      this.sentenceSpan.push(sentence.end);
    }
    this.sentenceStart.push(this.sentenceSpan.length);
    this.passageLength.push(this.countInto(this.body, passage));
    return passage;
  }

  /** Count the scratch occurrences per term, add one posting per distinct term; returns the occurrence count. */
  private countInto(postings: PostingTriples, target: number): number {
    const occurrences = this.occurrences;
    for (const id of occurrences) {
      if (id >= this.termCounts.length) this.termCounts = growCounts(this.termCounts, id);
      this.termCounts[id]!++;
    }
    for (const id of occurrences) {
      const tf = this.termCounts[id]!;
      if (tf === 0) continue;
      postings.add(id, target, tf);
      this.termCounts[id] = 0;
    }
    return occurrences.length;
  }

  build(): InvertedIndex {
    const body = this.body.groupByTerm(this.terms.length);
    const title = this.title.groupByTerm(this.terms.length);
    return new InvertedIndex({
      terms: this.terms,
      termWords: this.termWords,
      postingStart: body.start,
      postingPassage: body.target,
      postingFrequency: body.frequency,
      titleStart: title.start,
      titleDocument: title.target,
      titleFrequency: title.frequency,
      passageLength: this.passageLength.toArray(),
      titleLength: this.titleLength.toArray(),
      positionStart: this.positionStart.toArray(),
      positionTerm: this.positionTerm.toArray(),
      positionOffset: this.positionOffset.toArray(),
      positionLength: this.positionLength.toArray(),
      sentenceStart: this.sentenceStart.toArray(),
      sentenceSpan: this.sentenceSpan.toArray(),
      passageDocument: this.passageDocument.toArray(),
      documentFirstPassage: this.documentFirstPassage.toArray(),
      documentPassageCount: Uint32Array.from(this.documentPassageCount),
    });
  }
}

function growCounts(counts: Uint32Array, id: number): Uint32Array {
  const grown = new Uint32Array(Math.max(counts.length * 2, id + 1));
  grown.set(counts);
  return grown;
}

const MAX_TF = 0xffff;
const MAX_WORD_LENGTH = 0xffff;

/** Postings collected in arrival order (targets ascending within each term), grouped by term at the end. */
class PostingTriples {
  private readonly term = new Growable(Uint32Array);
  private readonly target = new Growable(Uint32Array);
  private readonly frequency = new Growable(Uint16Array);

  add(term: number, target: number, frequency: number): void {
    this.term.push(term);
    this.target.push(target);
    this.frequency.push(Math.min(frequency, MAX_TF));
  }

  /** A counting sort by term: stable, so each term's targets stay ascending. */
  groupByTerm(termCount: number): { start: Uint32Array; target: Uint32Array; frequency: Uint16Array } {
    const total = this.term.length;
    const start = new Uint32Array(termCount + 1);
    for (let i = 0; i < total; i++) start[this.term.at(i) + 1]!++;
    for (let t = 0; t < termCount; t++) start[t + 1]! += start[t]!;
    const next = start.slice(0, termCount);
    const target = new Uint32Array(total);
    const frequency = new Uint16Array(total);
    for (let i = 0; i < total; i++) {
      const at = next[this.term.at(i)]!++;
      target[at] = this.target.at(i);
      frequency[at] = this.frequency.at(i);
    }
    return { start, target, frequency };
  }
}
