/**
 * From documents to the index, in two steps that a cache can split apart:
 *  1. analyzeDocument: wink-nlp analysis and passage splitting of one document (the slow part),
 *     giving plain data that depends only on the document's title, text and the passage options;
 *  2. PassageIndexer: documents' analyses, in archive order, into the inverted index and the
 *     passage list (fast: no text is analysed again).
 */
import { analyzeText, type AnalyzedToken, type Span } from '../analysis/analyze.js';
import { IndexBuilder } from './builder.js';
import { PASSAGE_CODE, PASSAGE_PROSE, type InvertedIndex } from './inverted-index.js';
import { lineSpans, splitBlocks, splitPassages, trimSpan, type PassageOptions } from '../passages.js';
import type { DocumentLayout, Passage } from '../types.js';

/** One passage as the analyser saw it; offsets are into the document's text. */
export interface PassageAnalysis extends Span {
  /** Word tokens inside the passage, in order. */
  tokens: AnalyzedToken[];
  /** Sentence spans, clipped to the passage (a code passage's lines). */
  sentences: Span[];
  /** A laid-out page's passage: its section (index into the layout's sections, -1 for none). */
  section?: number;
  /** A passage of code (a laid-out page's code block). */
  code?: boolean;
}

/** Everything the index needs from one document. */
export interface DocumentAnalysis {
  /** Tokens of the title (offsets into the title). */
  title: AnalyzedToken[];
  passages: PassageAnalysis[];
  /** A laid-out page's section headings, each section's path analysed as one text. */
  sections?: AnalyzedToken[][];
}

/** A section's headings as one text, as its field is analysed: "Server Options › server.host". */
function sectionText(headings: readonly string[]): string {
  return headings.join(' › ');
}

/** Analyse a document's title and text and cut the text into passages. */
export function analyzeDocument(
  document: { title: string; text: string; layout?: DocumentLayout },
  options?: PassageOptions,
): DocumentAnalysis {
  const analysis = analyzeText(document.text);
  const title = analyzeText(document.title).tokens;
  const layout = document.layout;
  const spans: Array<Span & { block?: number }> = layout
    ? splitBlocks(document.text, layout.blocks, analysis.sentences, options)
    : splitPassages(document.text, analysis.sentences, options);
  // Passages, tokens and sentences are all in text order: walk them together.
  let token = 0;
  let sentence = 0;
  const passages = spans.map((span): PassageAnalysis => {
    const tokens: AnalyzedToken[] = [];
    while (token < analysis.tokens.length && analysis.tokens[token]!.start < span.start) token++;
    while (token < analysis.tokens.length && analysis.tokens[token]!.end <= span.end) tokens.push(analysis.tokens[token++]!);
    const sentences: Span[] = [];
    while (sentence < analysis.sentences.length && analysis.sentences[sentence]!.end <= span.start) sentence++;
    for (let s = sentence; s < analysis.sentences.length && analysis.sentences[s]!.start < span.end; s++) {
      const { start, end } = analysis.sentences[s]!;
      sentences.push({ start: Math.max(start, span.start), end: Math.min(end, span.end) });
    }
    const block = span.block === undefined ? undefined : layout?.blocks[span.block];
    if (!block) return { start: span.start, end: span.end, tokens, sentences };
    // Code is quoted in whole lines: its lines are its sentences.
    const code = block.kind === 'code';
    if (!code) {
      const withLines = codeLinesAsSentences(document.text, layout!.blocks, span, sentences);
      return { start: span.start, end: span.end, tokens, sentences: withLines, section: block.section };
    }
    return { start: span.start, end: span.end, tokens, sentences: lineSpans(document.text, span), section: block.section, code };
  });
  if (!layout) return { title, passages };
  return { title, passages, sections: layout.sections.map((section) => analyzeText(sectionText(section.headings)).tokens) };
}

/**
 * A prose passage's sentences, with the code blocks joined to it cut at their lines instead: the
 * language model's sentences run across code lines, and an excerpt or the sentence bonus must
 * take code in whole lines.
 */
function codeLinesAsSentences(text: string, blocks: DocumentLayout['blocks'], span: Span, sentences: Span[]): Span[] {
  const code = blocks.filter((block) => block.kind === 'code' && block.end > span.start && block.start < span.end);
  if (!code.length) return sentences;
  const parts: Span[] = [];
  for (const sentence of sentences) {
    // What of the sentence lies outside every code block, as spans that hold a word.
    let from = sentence.start;
    for (const block of code) {
      if (block.end <= from || block.start >= sentence.end) continue;
      if (block.start > from) parts.push(trimSpan(text, from, block.start));
      from = Math.max(from, block.end);
    }
    if (from < sentence.end) parts.push(trimSpan(text, from, sentence.end));
  }
  for (const block of code) {
    const inside = { start: Math.max(block.start, span.start), end: Math.min(block.end, span.end) };
    for (const line of lineSpans(text, inside)) parts.push(trimSpan(text, line.start, line.end));
  }
  return parts.filter((part) => part.end > part.start).sort((a, b) => a.start - b.start);
}

/** Tokens within `length`, each starting where the previous ended or later. */
function tokensFit(tokens: readonly AnalyzedToken[], from: number, to: number): boolean {
  let cursor = from;
  for (const token of tokens) {
    if (!(token.start >= cursor && token.end >= token.start && token.end <= to)) return false;
    cursor = token.start;
  }
  return true;
}

/**
 * Whether an analysis (from elsewhere: a cache) fits this document: every span inside its title or
 * text, in order. Indexing one that does not could point excerpts outside the text.
 */
export function analysisFits(analysis: DocumentAnalysis, document: { title: string; text: string }): boolean {
  if (!tokensFit(analysis.title, 0, document.title.length)) return false;
  let previousEnd = 0;
  for (const passage of analysis.passages) {
    if (!(passage.start >= previousEnd && passage.end >= passage.start && passage.end <= document.text.length)) return false;
    if (!tokensFit(passage.tokens, passage.start, passage.end)) return false;
    if (!passage.sentences.every((s) => s.start >= passage.start && s.end >= s.start && s.end <= passage.end)) return false;
    if (
      passage.section !== undefined &&
      !(Number.isInteger(passage.section) && passage.section >= -1 && passage.section < (analysis.sections?.length ?? 0))
    )
      return false;
    previousEnd = passage.end;
  }
  return true;
}

/** Collects documents' analyses in archive order; `finish` freezes them into the index. */
export class PassageIndexer {
  private readonly builder = new IndexBuilder();
  private readonly passages: Passage[] = [];
  private documents = 0;

  /** Add the next document (its index in the archive is the number added before it) and its text. */
  add(analysis: DocumentAnalysis, text: string): void {
    const doc = this.documents++;
    this.builder.addDocument(analysis.title, analysis.sections);
    analysis.passages.forEach((passage, i) => {
      this.builder.addPassage(passage.tokens, passage.sentences, text, passage.section, passage.code ? PASSAGE_CODE : PASSAGE_PROSE);
      this.passages.push({ doc, position: i + 1, start: passage.start, end: passage.end });
    });
  }

  finish(): { index: InvertedIndex; passages: Passage[] } {
    return { index: this.builder.build(), passages: this.passages };
  }
}

/** Analyse and index documents in order, with no cache: what `Archive.fromDocuments` does. */
export function indexDocuments(
  documents: readonly { title: string; text: string; layout?: DocumentLayout }[],
  options?: PassageOptions,
): { index: InvertedIndex; passages: Passage[]; timings: { analyze: number; index: number } } {
  const indexer = new PassageIndexer();
  const timings = { analyze: 0, index: 0 };
  for (const document of documents) {
    const t0 = performance.now();
    const analysis = analyzeDocument(document, options);
    const t1 = performance.now();
    indexer.add(analysis, document.text);
    timings.analyze += t1 - t0;
    timings.index += performance.now() - t1;
  }
  const t2 = performance.now();
  const built = indexer.finish();
  timings.index += performance.now() - t2;
  return { ...built, timings };
}
