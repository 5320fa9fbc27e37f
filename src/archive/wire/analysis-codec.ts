/**
 * Documents' analyses as compact bytes, so an unchanged file is never analysed again.
 *
 * Each document is a run of unsigned LEB128 varints; offsets are stored as zig-zag deltas from
 * the previous token or span, so most numbers take one byte. Term strings are replaced by ids
 * into a term list kept beside the bytes.
 *
 *   document  := tokens(title) count(passages) passage* (count(sections) + 1, 0 for none) tokens*
 *   passage   := zz(start - previous passage end) (end - start) tokens count(sentences) sentence*
 *                (section + 2, 0 for none) code
 *   sentence  := zz(start - previous sentence end) (end - start)       (first: from passage start)
 *   tokens    := count token*
 *   token     := zz(start - previous token end) (end - start) (terms << 1 | hasExtra) termId* extraId?
 */
import type { AnalyzedToken, Span } from '../analysis/analyze.js';
import type { DocumentAnalysis, PassageAnalysis } from '../postings/indexing.js';
import { CacheFileError } from './container.js';

const zigzag = (n: number): number => (n >= 0 ? n * 2 : -n * 2 - 1);
const unzigzag = (n: number): number => (n % 2 === 0 ? n / 2 : -(n + 1) / 2);

class ByteWriter {
  private bytes = new Uint8Array(1 << 12);
  length = 0;

  varint(value: number): void {
    if (this.length + 5 > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    let v = value >>> 0;
    if (v !== value) throw new RangeError(`cannot encode ${value}`);
    while (v >= 0x80) {
      this.bytes[this.length++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.bytes[this.length++] = v;
  }

  finish(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/** Encodes analyses one document at a time; `finish` gives the bytes, offsets and term list. */
export class AnalysisEncoder {
  private readonly out = new ByteWriter();
  private readonly termIds = new Map<string, number>();
  private readonly terms: string[] = [];
  private readonly offsets: number[] = [0];

  private term(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.terms.push(term) - 1;
      this.termIds.set(term, id);
    }
    return id;
  }

  private tokens(tokens: readonly AnalyzedToken[], from: number): void {
    const out = this.out;
    out.varint(tokens.length);
    let cursor = from;
    for (const token of tokens) {
      out.varint(zigzag(token.start - cursor));
      out.varint(token.end - token.start);
      out.varint((token.terms.length << 1) | (token.extra === undefined ? 0 : 1));
      for (const term of token.terms) out.varint(this.term(term));
      if (token.extra !== undefined) out.varint(this.term(token.extra));
      cursor = token.end;
    }
  }

  /** Appends a document; returns its number in this encoder (0, 1, …). */
  add(analysis: DocumentAnalysis): number {
    const out = this.out;
    this.tokens(analysis.title, 0);
    out.varint(analysis.passages.length);
    let previousEnd = 0;
    for (const passage of analysis.passages) {
      out.varint(zigzag(passage.start - previousEnd));
      out.varint(passage.end - passage.start);
      this.tokens(passage.tokens, passage.start);
      out.varint(passage.sentences.length);
      let cursor = passage.start;
      for (const sentence of passage.sentences) {
        out.varint(zigzag(sentence.start - cursor));
        out.varint(sentence.end - sentence.start);
        cursor = sentence.end;
      }
      out.varint(passage.section === undefined ? 0 : passage.section + 2);
      out.varint(passage.code ? 1 : 0);
      previousEnd = passage.end;
    }
    out.varint(analysis.sections ? analysis.sections.length + 1 : 0);
    for (const section of analysis.sections ?? []) this.tokens(section, 0);
    return this.offsets.push(out.length) - 2;
  }

  get count(): number {
    return this.offsets.length - 1;
  }

  finish(): { bytes: Uint8Array; offsets: Uint32Array; terms: string[] } {
    return { bytes: this.out.finish(), offsets: Uint32Array.from(this.offsets), terms: this.terms };
  }
}

/**
 * Reads documents back from an encoder's output. Any inconsistency (a term id out of range, bytes
 * running out) throws CacheFileError: the bytes passed a checksum, so only a bug gets here, and a
 * rebuild is still the right answer.
 */
export class AnalysisDecoder {
  private at = 0;
  private end = 0;
  /** One shared `[term]` array per term id: most tokens have exactly one term. */
  private readonly single: (readonly string[])[];

  constructor(
    private readonly bytes: Uint8Array,
    private readonly offsets: Uint32Array,
    private readonly terms: readonly string[],
  ) {
    this.single = new Array<readonly string[]>(terms.length);
    if (offsets.length === 0 || offsets[offsets.length - 1]! > bytes.length) throw new CacheFileError('analysis offsets out of range');
  }

  get count(): number {
    return this.offsets.length - 1;
  }

  private varint(): number {
    let value = 0;
    let shift = 0;
    for (;;) {
      if (this.at >= this.end) throw new CacheFileError('analysis bytes end early');
      const byte = this.bytes[this.at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
      shift += 7;
      if (shift > 28) throw new CacheFileError('analysis varint too long');
    }
  }

  private term(): string {
    const term = this.terms[this.varint()];
    if (term === undefined) throw new CacheFileError('analysis term id out of range');
    return term;
  }

  private tokens(from: number): AnalyzedToken[] {
    const count = this.varint();
    const tokens = new Array<AnalyzedToken>(count);
    let cursor = from;
    for (let i = 0; i < count; i++) {
      const start = cursor + unzigzag(this.varint());
      const end = start + this.varint();
      const shape = this.varint();
      const termCount = shape >>> 1;
      let terms: readonly string[];
      if (termCount === 1) {
        const id = this.varint();
        const term = this.terms[id];
        if (term === undefined) throw new CacheFileError('analysis term id out of range');
        terms = this.single[id] ??= Object.freeze([term]);
      } else {
        const list: string[] = [];
        for (let t = 0; t < termCount; t++) list.push(this.term());
        terms = list;
      }
      tokens[i] = shape & 1 ? { start, end, terms, extra: this.term() } : { start, end, terms };
      cursor = end;
    }
    return tokens;
  }

  /** Document `n` (0-based, in the order they were added). */
  document(n: number): DocumentAnalysis {
    if (!(n >= 0 && n < this.count)) throw new CacheFileError(`no analysis ${n}`);
    this.at = this.offsets[n]!;
    this.end = this.offsets[n + 1]!;
    const title = this.tokens(0);
    const passageCount = this.varint();
    const passages: PassageAnalysis[] = [];
    let previousEnd = 0;
    for (let p = 0; p < passageCount; p++) {
      const start = previousEnd + unzigzag(this.varint());
      const end = start + this.varint();
      const tokens = this.tokens(start);
      const sentenceCount = this.varint();
      const sentences: Span[] = [];
      let cursor = start;
      for (let s = 0; s < sentenceCount; s++) {
        const sentenceStart = cursor + unzigzag(this.varint());
        const sentenceEnd = sentenceStart + this.varint();
        sentences.push({ start: sentenceStart, end: sentenceEnd });
        cursor = sentenceEnd;
      }
      const section = this.varint();
      const code = this.varint() === 1;
      const passage: PassageAnalysis = { start, end, tokens, sentences };
      if (section > 0) passage.section = section - 2;
      if (code) passage.code = true;
      passages.push(passage);
      previousEnd = end;
    }
    const sectionCount = this.varint();
    const sections: AnalyzedToken[][] = [];
    for (let i = 0; i + 1 < sectionCount; i++) sections.push(this.tokens(0));
    if (this.at !== this.end) throw new CacheFileError('analysis has trailing bytes');
    return sectionCount > 0 ? { title, passages, sections } : { title, passages };
  }
}
