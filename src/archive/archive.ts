/**
 * The archive: documents, their passages and the index over them, behind one
 * small API that the bot and the CLI share. An Archive is immutable once built;
 * a reload builds a new one and the caller swaps it in.
 */
import path from 'node:path';
import { analyzeQuery, analyzeText, type AnalyzedToken, type Span } from './analysis.js';
import { buildExcerpt, type ExcerptOptions } from './excerpt.js';
import { documentFilter } from './filters.js';
import { IndexBuilder, type InvertedIndex } from './inverted-index.js';
import { loadArchive } from './load/index.js';
import { splitPassages, type PassageOptions } from './passages.js';
import { suggestWords } from './suggest.js';
import { rankPassages, type RankingOptions } from './ranking.js';
import type { ArchiveDocument, Excerpt, LoadedArchive, Passage, SearchHit, SearchOptions, SearchResponse, SkippedFile } from './types.js';

export interface ArchiveOptions {
  /** How documents are cut into passages. */
  passages?: PassageOptions;
  /** How passages are scored and selected. */
  ranking?: RankingOptions;
  /** How quotes are cut from passages. */
  excerpt?: ExcerptOptions;
}

/** Longest question the engine analyses; the rest is ignored (Discord caps messages at 2,000 anyway). */
export const MAX_QUESTION_CHARS = 1000;
/** Most hits one search returns. */
export const MAX_LIMIT = 50;

export interface ArchiveStats {
  documents: number;
  passages: number;
  terms: number;
  sources: string[];
  firstDate?: string;
  lastDate?: string;
}

/** How long each stage of building took, in milliseconds. */
export interface BuildTimings {
  load?: number;
  analyze: number;
  index: number;
}

export class Archive {
  readonly root: string;
  readonly documents: readonly ArchiveDocument[];
  readonly skipped: readonly SkippedFile[];
  readonly duplicates: number;
  readonly loadedAt: Date;
  readonly timings: BuildTimings;
  private readonly passageList: readonly Passage[];
  private readonly index: InvertedIndex;
  private readonly options: ArchiveOptions;
  private readonly byId: Map<string, number>;

  private constructor(root: string, loaded: LoadedArchive, options: ArchiveOptions, loadMs?: number) {
    this.root = root;
    this.documents = loaded.documents;
    this.skipped = loaded.skipped;
    this.duplicates = loaded.duplicates;
    this.options = options;
    this.loadedAt = new Date();
    this.byId = new Map(loaded.documents.map((document, i) => [document.id, i]));

    const builder = new IndexBuilder();
    const passages: Passage[] = [];
    let analyzeMs = 0;
    let indexMs = 0;
    loaded.documents.forEach((document, doc) => {
      const t0 = performance.now();
      const analysis = analyzeText(document.text);
      const titleTokens = analyzeText(document.title).tokens;
      const spans = splitPassages(document.text, analysis.sentences, options.passages);
      const t1 = performance.now();
      builder.addDocument(titleTokens);
      // Passages, tokens and sentences are all in text order: walk them together.
      let token = 0;
      let sentence = 0;
      spans.forEach((span, i) => {
        const tokens: AnalyzedToken[] = [];
        while (token < analysis.tokens.length && analysis.tokens[token]!.start < span.start) token++;
        while (token < analysis.tokens.length && analysis.tokens[token]!.end <= span.end) tokens.push(analysis.tokens[token++]!);
        const sentences: Span[] = [];
        while (sentence < analysis.sentences.length && analysis.sentences[sentence]!.end <= span.start) sentence++;
        for (let s = sentence; s < analysis.sentences.length && analysis.sentences[s]!.start < span.end; s++) {
          const { start, end } = analysis.sentences[s]!;
          sentences.push({ start: Math.max(start, span.start), end: Math.min(end, span.end) });
        }
        builder.addPassage(tokens, sentences, document.text);
        passages.push({ doc, position: i + 1, start: span.start, end: span.end });
      });
      analyzeMs += t1 - t0;
      indexMs += performance.now() - t1;
    });
    const t2 = performance.now();
    this.index = builder.build();
    indexMs += performance.now() - t2;
    this.passageList = passages;
    this.timings = { load: loadMs, analyze: analyzeMs, index: indexMs };
  }

  /** Load a folder (recursively) or a single file and index it. */
  static async load(archivePath: string, options: ArchiveOptions = {}): Promise<Archive> {
    const started = performance.now();
    const loaded = await loadArchive(archivePath);
    return new Archive(path.resolve(archivePath), loaded, options, performance.now() - started);
  }

  /** Index documents already in memory (tests, benchmarks, other loaders). */
  static fromDocuments(documents: ArchiveDocument[] | LoadedArchive, options: ArchiveOptions = {}, root = ''): Archive {
    const loaded = Array.isArray(documents) ? { documents, skipped: [], duplicates: 0 } : documents;
    return new Archive(root, loaded, options);
  }

  stats(): ArchiveStats {
    const dates = this.documents.map((d) => d.date?.slice(0, 10)).filter((d): d is string => !!d).sort();
    return {
      documents: this.documents.length,
      passages: this.passageList.length,
      terms: this.index.termCount,
      sources: this.sources(),
      firstDate: dates[0],
      lastDate: dates.at(-1),
    };
  }

  /** Distinct source names, sorted. */
  sources(): string[] {
    const names = new Set(this.documents.map((d) => d.source).filter((s): s is string => !!s));
    return [...names].sort((a, b) => a.localeCompare(b));
  }

  /** Exact id lookup; never touches the filesystem. */
  document(id: string): ArchiveDocument | undefined {
    const index = this.byId.get(id);
    return index === undefined ? undefined : this.documents[index];
  }

  /** A document's passages in order, with their text; [] for an unknown id. */
  passages(id: string): Array<{ passage: Passage; text: string }> {
    const doc = this.byId.get(id);
    if (doc === undefined) return [];
    const document = this.documents[doc]!;
    const first = this.index.data.documentFirstPassage[doc]!;
    const count = this.index.data.documentPassageCount[doc]!;
    return this.passageList.slice(first, first + count).map((passage) => ({
      passage,
      text: document.text.slice(passage.start, passage.end),
    }));
  }

  /**
   * Rank passages for a question and cut an excerpt from each hit.
   * Throws FilterError for a malformed date filter; any question text is accepted.
   */
  search(question: string, options: SearchOptions = {}): SearchResponse {
    const limit = clampInteger(options.limit ?? 3, 1, MAX_LIMIT);
    const offset = clampInteger(options.offset ?? 0, 0, Number.MAX_SAFE_INTEGER);
    const accept = documentFilter(options);
    const query = analyzeQuery(question.slice(0, MAX_QUESTION_CHARS));
    const ranking = rankPassages(
      this.index,
      { query, offset, limit, acceptDocument: accept && ((doc) => accept(this.documents[doc]!)) },
      this.options.ranking,
    );
    const hits = ranking.ranked.map(({ passage: p, score }): SearchHit => {
      const passage = this.passageList[p]!;
      const document = this.documents[passage.doc]!;
      const text = document.text.slice(passage.start, passage.end);
      const { index, options } = this;
      let excerpt: Excerpt | undefined;
      return {
        document,
        passage,
        text,
        score,
        // Cut when first read: a caller that shows three of ten hits pays for three quotes.
        get excerpt() {
          return (excerpt ??= buildExcerpt(text, index.passageAnalysis(p, passage.start), ranking.termWeights, options.excerpt));
        },
      };
    });
    const response: SearchResponse = { query: question, hits, total: ranking.total };
    if (ranking.emptyReason) {
      response.emptyReason = ranking.emptyReason;
      const suggestions = suggestWords(this.index, query.terms);
      if (suggestions.length) response.suggestions = suggestions;
    }
    return response;
  }
}

function clampInteger(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return min;
  return Math.min(max, Math.max(min, Math.trunc(value)));
}
