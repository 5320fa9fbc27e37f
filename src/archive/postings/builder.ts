/**
 * Builds an {@link InvertedIndex} one passage at a time into growable typed buffers; `build()`
 * groups the postings by term (a counting sort) and hands the flat arrays to the reader.
 */
import type { AnalyzedToken, Span } from '../analysis/analyze.js';
import { Growable } from './growable.js';
import { InvertedIndex, NO_TERM, PASSAGE_PROSE } from './inverted-index.js';

/** Accumulates documents and passages, then freezes them into an InvertedIndex. */
export class IndexBuilder {
  private readonly termIds = new Map<string, number>();
  private readonly terms: string[] = [];
  private readonly termWords: string[] = [];
  // Postings as (term, target, frequency) triples in arrival order; build() groups them by term.
  private readonly body = new PostingTriples();
  private readonly title = new PostingTriples();
  private readonly section = new PostingTriples();
  private readonly sectionLength = new Growable(Uint16Array);
  private readonly passageSection = new Growable(Int32Array);
  private readonly passageKind = new Growable(Uint16Array);
  /** The current document's sections' terms (ids, one per occurrence). */
  private sectionTerms: number[][] = [];
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

  /**
   * Terms whose readable word is still their stem: first seen in a title or a section heading (no
   * text to cut the word from) or as part of a compound whose parts could not be told apart. The
   * first time one is seen as a word of a passage, that word replaces the stem, so spelling
   * corrections and suggestions compare and show words ("phothae"), not stems ("photha").
   */
  private readonly stemOnly: boolean[] = [];

  private termId(term: string, word?: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.termIds.set(term, id);
      this.terms.push(term);
      this.termWords.push(word ?? term);
      this.stemOnly.push(word === undefined);
    }
    return id;
  }

  /** Start a document: its title tokens (and a page's sections' tokens). Passages added next belong to it. */
  addDocument(titleTokens: AnalyzedToken[], sections: readonly AnalyzedToken[][] = []): number {
    this.sectionTerms = sections.map((tokens) => {
      const ids: number[] = [];
      for (const token of tokens) {
        for (const term of token.terms) ids.push(this.termId(term));
        if (token.extra) ids.push(this.termId(token.extra));
      }
      return ids;
    });
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
   * into `text`, the document's text; a page's passage also its section (index into the sections
   * given to addDocument, -1 for none) and its kind.
   */
  addPassage(tokens: AnalyzedToken[], sentences: Span[], text: string, section = -1, kind: number = PASSAGE_PROSE): number {
    const passage = this.passageLength.length;
    const sectionTerms = this.sectionTerms[section];
    this.passageSection.push(sectionTerms ? section : -1);
    this.passageKind.push(kind);
    this.occurrences.length = 0;
    if (sectionTerms) this.occurrences.push(...sectionTerms);
    this.sectionLength.push(Math.min(this.countInto(this.section, passage), 0xffff));
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
      for (let part = 0; part < token.terms.length; part++) {
        const term = token.terms[part]!;
        let id = this.termIds.get(term);
        // The readable word is only worth cutting out of the text for a term without one yet.
        if (id === undefined) id = this.termId(term, readableWord(token, part, text));
        else if (this.stemOnly[id]) {
          const word = readableWord(token, part, text);
          if (word !== undefined) {
            this.termWords[id] = word;
            this.stemOnly[id] = false;
          }
        }
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
    const section = this.section.groupByTerm(this.terms.length);
    return new InvertedIndex({
      terms: this.terms,
      termWords: this.termWords,
      postingStart: body.start,
      postingPassage: body.target,
      postingFrequency: body.frequency,
      titleStart: title.start,
      titleDocument: title.target,
      titleFrequency: title.frequency,
      sectionStart: section.start,
      sectionPassage: section.target,
      sectionFrequency: section.frequency,
      sectionLength: this.sectionLength.toArray(),
      passageSection: this.passageSection.toArray(),
      passageKind: this.passageKind.toArray(),
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

/**
 * A token's part as the text writes it, lower-cased: the whole token for a one-term token, the
 * part's run of letters and digits for a compound ("Phothae-dong" → "phothae", "dong") when the
 * runs match its terms one to one; undefined when they do not (a camelCase identifier).
 */
function readableWord(token: AnalyzedToken, part: number, text: string): string | undefined {
  const surface = text.slice(token.start, token.end).toLowerCase();
  if (token.terms.length === 1) return surface;
  const runs = surface.match(/[\p{L}\p{N}]+/gu);
  return runs?.length === token.terms.length ? runs[part] : undefined;
}
