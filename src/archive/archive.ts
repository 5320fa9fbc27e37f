/**
 * The archive: documents, their passages and the index over them, behind one
 * small API that the bot and the CLI share. An Archive is immutable once built;
 * a reload builds a new one and the caller swaps it in.
 */
import { analyzeQuery } from './analysis/analyze.js';
import { answerKindsOf } from './analysis/answer-kind.js';
import { buildExcerpt, excerptCost, type ExcerptOptions, type PassageLook } from './excerpt/excerpt.js';
import { asksForCode } from './rank/code-question.js';
import { PASSAGE_CODE, PASSAGE_PROSE } from './postings/inverted-index.js';
import { documentFilter } from './filters.js';
import { indexDocuments } from './postings/indexing.js';
import { InvertedIndex } from './postings/inverted-index.js';
import { trimSpan, type PassageOptions } from './passages.js';
import { suggestWords } from './rank/spelling.js';
import { planQuery } from './rank/query-plan.js';
import { rankPassages, type AddedTerm, type RankingOptions, type RankRequest } from './rank/ranking.js';
import { DEFAULT_FEEDBACK, feedbackTerms, type FeedbackOptions } from './rank/feedback.js';
import { KEYWORD_RANKING, NEAR_DUPLICATE_SIMILARITY, SAME_URL_SIMILARITY } from './defaults.js';
import { foldNearDuplicates } from './rank/near-duplicates.js';
import { DEFAULT_MISSING, missingWords, type MissingOptions } from './rank/missing.js';
import { loadCached, loadUncached } from './pipeline/cached-load.js';
import type { SavedIndex } from './cache/saved-index.js';
import type { LoadReport } from './pipeline/report.js';
import { progressReporter, type ProgressListener } from './pipeline/progress.js';
import { passagesOf, spansOf, type ArchiveSnapshot } from './wire/snapshot.js';
import type {
  ArchiveDocument,
  DocumentLayout,
  Excerpt,
  LoadedArchive,
  Passage,
  SearchHit,
  SearchOptions,
  SearchResponse,
  SkippedFile,
  TextMark,
} from './types.js';
import { DEFAULT_LIMIT, MAX_LIMIT, MAX_QUESTION_CHARS, MIN_EXCERPT_ROOM, QUOTE_ACROSS_BREAK } from './defaults.js';
import type { Span, TextAnalysis } from './analysis/analyze.js';

/** Times an excerpt for a caller's room is chosen again, narrowed by what the last one went over. */
const EXCERPT_FIT_ATTEMPTS = 3;

export interface ArchiveOptions {
  /** How documents are cut into passages. */
  passages?: PassageOptions;
  /** How passages are scored and selected. */
  ranking?: RankingOptions;
  /** Ranking for topic searches (`profile: 'keyword'`), over `ranking`. @defaultValue KEYWORD_RANKING */
  keywordRanking?: RankingOptions;
  /** Pseudo-relevance feedback for topic searches. @defaultValue DEFAULT_FEEDBACK */
  feedback?: FeedbackOptions;
  /** How quotes are cut from passages. */
  excerpt?: ExcerptOptions;
  /** When a hit is a closest match rather than an answer, and how many missing words it lists. */
  missing?: Partial<MissingOptions>;
  /** Similarity at which passages of two documents with one URL fold into one result. @defaultValue SAME_URL_SIMILARITY */
  sameUrlSimilarity?: number;
  /**
   * Cut the quote from the matched passage and the one after it (both prose, of one document and
   * section): the excerpt's choice of sentences then decides what shows. @defaultValue QUOTE_ACROSS_BREAK
   */
  quoteAcrossBreak?: boolean;
  /**
   * `Archive.load` keeps the index in `.archivist-cache/` beside the archive and, on the next
   * load, re-analyses only the files that changed (ignored by `fromDocuments`). @defaultValue true
   */
  cache?: boolean;
  /**
   * Keep the on-disk index under this folder (in a subfolder named for the archive) instead of in
   * `.archivist-cache/` beside it: for an archive on a read-only volume. @defaultValue beside the archive
   */
  cacheDir?: string;
  /**
   * Told about cache files that could not be used or written (the load goes on without them).
   * @defaultValue a line on stderr
   */
  onCacheWarning?: (message: string) => void;
  /**
   * Told how far `Archive.load` has got (files read, passages analysed, time spent and left), at
   * most every `progressIntervalMs` and never for a load quicker than that. @defaultValue nobody: nothing is counted
   */
  onProgress?: ProgressListener;
  /** Least milliseconds between two progress reports (0: every file and document). @defaultValue DEFAULT_PROGRESS_INTERVAL_MS */
  progressIntervalMs?: number;
  /**
   * A saved index larger than this many bytes is not read whole at start: its core is, and each
   * posting list, passage and text is read from the file when a search needs it (the archive
   * holds the file open until `close()`). @defaultValue LAZY_INDEX_BYTES (8 MiB)
   */
  lazyIndexBytes?: number;
}

export type { ArchiveSnapshot } from './wire/snapshot.js';
export type { LoadReport } from './pipeline/report.js';
export type { LoadProgress } from './pipeline/progress.js';

// The longest question read and the most hits returned live with the other tunables.
export { MAX_QUESTION_CHARS, MAX_LIMIT } from './defaults.js';

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

type BuiltIndex = { index: InvertedIndex; passages: Passage[] };

export class Archive {
  readonly root: string;
  readonly documents: readonly ArchiveDocument[];
  readonly skipped: readonly SkippedFile[];
  readonly duplicates: number;
  readonly loadedAt: Date;
  readonly timings: BuildTimings;
  /** What `Archive.load` did with the on-disk cache (absent for archives built from documents). */
  readonly loadReport?: LoadReport;
  private readonly passageList: readonly Passage[];
  private readonly index: InvertedIndex;
  private readonly options: ArchiveOptions;
  private readonly byId: Map<string, number>;
  /** The saved index this archive reads on demand, when it started from a large one. */
  private readonly saved: SavedIndex | undefined;

  private constructor(
    root: string,
    loaded: LoadedArchive,
    built: BuiltIndex,
    options: ArchiveOptions,
    timings: BuildTimings,
    loadReport?: LoadReport,
    saved?: SavedIndex,
  ) {
    this.root = root;
    this.documents = loaded.documents;
    this.skipped = loaded.skipped;
    this.duplicates = loaded.duplicates;
    this.options = options;
    this.loadedAt = new Date();
    this.byId = new Map(loaded.documents.map((document, i) => [document.id, i]));
    this.index = built.index;
    this.passageList = built.passages;
    this.timings = timings;
    if (loadReport) this.loadReport = loadReport;
    this.saved = saved;
  }

  /** Analyse every document and index it. */
  private static build(root: string, loaded: LoadedArchive, options: ArchiveOptions): Archive {
    const { index, passages, timings } = indexDocuments(loaded.documents, options.passages);
    return new Archive(root, loaded, { index, passages }, options, timings);
  }

  /**
   * Load a folder (recursively) or a single file and index it, using and updating the on-disk
   * cache unless `options.cache` is false.
   */
  static async load(archivePath: string, options: ArchiveOptions = {}): Promise<Archive> {
    const warn = options.onCacheWarning ?? ((message: string) => console.warn(`archivist: ${message}`));
    const load = options.cache === false ? loadUncached : loadCached;
    const { root, loaded, index, passages, report, saved } = await load(archivePath, {
      passages: options.passages,
      warn,
      cacheDir: options.cacheDir,
      progress: progressReporter(options.onProgress, options.progressIntervalMs),
      lazyIndexBytes: options.lazyIndexBytes,
    });
    const { list, read, analyze, index: indexMs } = report.timings;
    return new Archive(root, loaded, { index, passages }, options, { load: list + read, analyze, index: indexMs }, report, saved);
  }

  /**
   * An archive from its plain-data form (what a worker sends back). The snapshot's arrays become
   * the archive's index; they are not copied.
   */
  static fromSnapshot(snapshot: ArchiveSnapshot, options: ArchiveOptions = {}, loadReport?: LoadReport): Archive {
    const built = { index: new InvertedIndex(snapshot.index), passages: passagesOf(snapshot) };
    const { list = 0, read = 0, analyze = 0, index = 0 } = loadReport?.timings ?? {};
    return new Archive(snapshot.root, snapshot, built, options, { load: list + read, analyze, index }, loadReport);
  }

  /**
   * This archive as plain data (for a worker to send). The index arrays are this archive's own,
   * not copies: transferring them to another thread leaves this archive unusable. An archive that
   * reads its saved index on demand reads (and checks) the whole file for it.
   */
  toSnapshot(): ArchiveSnapshot {
    if (this.saved) return this.saved.whole();
    const { documents, skipped, duplicates } = this;
    return {
      root: this.root,
      documents: [...documents],
      skipped: [...skipped],
      duplicates,
      ...spansOf(this.passageList),
      index: this.index.whole!,
    };
  }

  /**
   * Releases the saved index this archive reads on demand (nothing for an archive held whole in
   * memory). Searches after it fail; an archive dropped without it is released when collected.
   */
  close(): void {
    this.saved?.close();
  }

  /** How much of its saved index this archive has read, when it reads it on demand. */
  savedIndexRead(): { bytesRead: number; size: number } | undefined {
    return this.saved && { bytesRead: this.saved.bytesRead, size: this.saved.size };
  }

  /** Index documents already in memory (tests, benchmarks, other loaders). */
  static fromDocuments(documents: ArchiveDocument[] | LoadedArchive, options: ArchiveOptions = {}, root = ''): Archive {
    const loaded = Array.isArray(documents) ? { documents, skipped: [], duplicates: 0 } : documents;
    return Archive.build(root, loaded, options);
  }

  stats(): ArchiveStats {
    const dates = this.documents
      .map((d) => d.date?.slice(0, 10))
      .filter((d): d is string => !!d)
      .sort();
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
   * The last passage a quote of passage `p` is cut from (see `quoteAcrossBreak`): the next one when
   * both are prose of one document and section, else `p` itself. A story names its subject in one
   * paragraph and gives the asked-for detail in the next; a docs page states a rule, then its fix.
   */
  private quotedThrough(p: number): number {
    if (!(this.options.quoteAcrossBreak ?? QUOTE_ACROSS_BREAK)) return p;
    const data = this.index.data;
    const next = p + 1;
    if (next >= this.passageList.length || data.passageDocument[next] !== data.passageDocument[p]) return p;
    if (data.passageSection[next] !== data.passageSection[p]) return p;
    if (data.passageKind[p] !== PASSAGE_PROSE || data.passageKind[next] !== PASSAGE_PROSE) return p;
    return next;
  }

  /**
   * Rank passages for a question and cut an excerpt from each hit.
   * Throws FilterError for a malformed date filter; any question text is accepted.
   */
  search(question: string, options: SearchOptions = {}): SearchResponse {
    const limit = clampInteger(options.limit ?? DEFAULT_LIMIT, 1, MAX_LIMIT);
    const offset = clampInteger(options.offset ?? 0, 0, Number.MAX_SAFE_INTEGER);
    const accept = documentFilter(options);
    const asked = question.slice(0, MAX_QUESTION_CHARS);
    const analyzed = analyzeQuery(asked);
    const keyword = options.profile === 'keyword';
    // A topic search asks for no particular kind of answer.
    const answerKinds = keyword ? 0 : answerKindsOf(asked);
    const code = asksForCode(asked);
    const { query, corrections, quotedParts } = planQuery(this.index, analyzed, { correct: options.correct ?? true });
    let postingsRead = 0;
    const rank = (request: Pick<RankRequest, 'offset' | 'limit'> & { added?: AddedTerm[] }) => {
      const ranking = rankPassages(
        this.index,
        {
          query: { ...query, added: request.added },
          offset: request.offset,
          limit: request.limit,
          acceptDocument: accept && ((doc) => accept(this.documents[doc]!)),
          answerKinds,
          asksForCode: code,
          documentText: (doc) => this.documents[doc]!.text,
        },
        keyword ? { ...this.options.ranking, ...KEYWORD_RANKING, ...this.options.keywordRanking } : this.options.ranking,
      );
      postingsRead += ranking.postingsRead;
      return ranking;
    };
    // Ranked a little past the page, so near-duplicates folded away leave no hole.
    const wanted = Math.min(MAX_LIMIT, 2 * limit);
    let ranking = rank({ offset, limit: wanted });
    if (keyword && ranking.ranked.length > 0) {
      // Pseudo-relevance feedback: the best passages' shared words join the topic, and it is ranked again.
      const feedback = this.options.feedback ?? {};
      const first =
        offset === 0 && limit >= (feedback.passages ?? DEFAULT_FEEDBACK.passages)
          ? ranking
          : rank({ offset: 0, limit: feedback.passages ?? DEFAULT_FEEDBACK.passages });
      const added = feedbackTerms(this.index, first.ranked, query.terms, feedback);
      if (added.length) ranking = rank({ offset, limit: wanted, added });
    }
    // An identifier is ranked by its joined form, which has no word position: its parts are what the quote shows.
    const quoteWeights = new Map(ranking.termWeights);
    for (const [part, joined] of quotedParts) quoteWeights.set(part, ranking.termWeights.get(joined) ?? 0);
    const data = this.index.data;
    const weighed = { terms: query.terms, words: query.words, inLexicon: query.inLexicon, weights: ranking.termWeights };
    const missingOptions = { ...DEFAULT_MISSING, ...this.options.missing };
    const missingOf = (p: number) => missingWords(this.index, data.passageDocument[p]!, weighed, missingOptions);
    let ranked = ranking.ranked;
    if (missingOptions.promoteWithin > 0 && offset === 0 && ranked.length > 1 && missingOf(ranked[0]!.passage).length > 0) {
      // A closest match is not put before an answer ranked just below it.
      const answer = ranked.slice(0, missingOptions.promoteWithin).findIndex((hit) => missingOf(hit.passage).length === 0);
      if (answer > 0) ranked = [ranked[answer]!, ...ranked.slice(0, answer), ...ranked.slice(answer + 1)];
    }
    const folded = foldNearDuplicates(
      ranked,
      limit,
      (p) => this.index.positions(p),
      (p) => data.passageDocument[p]!,
      {
        threshold: NEAR_DUPLICATE_SIMILARITY,
        sameStory: (a, b) => {
          const url = this.documents[a]!.url;
          return url !== undefined && url === this.documents[b]!.url;
        },
        sameStoryThreshold: this.options.sameUrlSimilarity ?? SAME_URL_SIMILARITY,
      },
    );
    const hits = folded.map(({ passage: p, score, duplicates }): SearchHit => {
      const passage = this.passageList[p]!;
      const document = this.documents[passage.doc]!;
      const text = document.text.slice(passage.start, passage.end);
      const { index, options } = this;
      let excerpt: Excerpt | undefined;
      // What the quote is cut from (the passage, or it and the next), with offsets from its start:
      // worked out once, when a quote is first asked for.
      let quoted: { text: string; span: Span; analysis: TextAnalysis } | undefined;
      const quotedOf = () => {
        if (quoted) return quoted;
        const last = this.quotedThrough(p);
        const span = { start: passage.start, end: this.passageList[last]!.end };
        const analyses: TextAnalysis[] = [];
        for (let q = p; q <= last; q++) analyses.push(index.passageAnalysis(q, span.start));
        const analysis = { tokens: analyses.flatMap((a) => a.tokens), sentences: analyses.flatMap((a) => a.sentences) };
        return (quoted = { text: document.text.slice(span.start, span.end), span, analysis });
      };
      const section = document.layout?.sections[data.passageSection[p]!];
      return {
        document,
        passage,
        text,
        ...(section ? { section } : {}),
        score,
        missing: missingOf(p),
        ...(duplicates.length ? { duplicates: duplicates.map((d) => this.documents[data.passageDocument[d]!]!) } : {}),
        // Cut when first read: a caller that shows three of ten hits pays for three quotes.
        get excerpt() {
          if (excerpt) return excerpt;
          const { text: quotedText, span, analysis } = quotedOf();
          return (excerpt = buildExcerpt(
            quotedText,
            analysis,
            quoteWeights,
            options.excerpt,
            answerKinds,
            passageLook(document, span, data.passageKind[p] === PASSAGE_CODE),
          ));
        },
        excerptWithin(size) {
          const room = clampInteger(size.maxChars, MIN_EXCERPT_ROOM, Number.MAX_SAFE_INTEGER);
          if (excerptCost(this.excerpt, size.cost) <= room) return this.excerpt;
          const { text: quotedText, span, analysis } = quotedOf();
          const look = passageLook(document, span, data.passageKind[p] === PASSAGE_CODE);
          // The pricing bounds most of a rendering as it chooses; what it cannot see while choosing
          // (a mark or line break cut at a piece's edge) is checked after, and the room narrowed by it.
          let maxChars = room;
          let within: Excerpt;
          for (let attempt = 0; ; attempt++) {
            const sized = { ...options.excerpt, maxChars, ...(size.cost ? { cost: size.cost } : {}) };
            within = buildExcerpt(quotedText, analysis, quoteWeights, sized, answerKinds, look);
            const over = excerptCost(within, size.cost) - room;
            if (over <= 0 || attempt === EXCERPT_FIT_ATTEMPTS || maxChars <= 1) break;
            maxChars = Math.max(1, maxChars - over);
          }
          return within;
        },
      };
    });
    const passages = folded.map((hit) => hit.passage);
    const quotesNext = (i: number) => this.quotedThrough(passages[i]!) !== passages[i];
    const response: SearchResponse = {
      query: question,
      hits: withoutRequoted(hits, passages, quotesNext),
      total: ranking.total,
      postingsRead,
    };
    if (corrections.length) response.corrections = corrections;
    if (ranking.phrasesRelaxed) response.phrasesRelaxed = true;
    if (ranking.emptyReason) {
      // An empty archive matches nothing whatever was asked: that is what to say.
      response.emptyReason = this.documents.length === 0 ? 'empty-archive' : ranking.emptyReason;
      const suggestions = suggestWords(this.index, analyzed);
      if (suggestions.length) response.suggestions = suggestions;
    }
    return response;
  }
}

/**
 * The hits less any whose quote an earlier hit already shows: a hit's quote may run on into the next
 * passage (see `quotedThrough`), and when that passage is a hit too and its quote is the same words,
 * the reader would read them twice ("Another noteworthy fact…" as hits 2 and 3). Only such pairs have
 * their quotes cut to compare.
 */
function withoutRequoted(hits: SearchHit[], passages: readonly number[], quotesNext: (hit: number) => boolean): SearchHit[] {
  const at = new Map(passages.map((passage, i) => [passage, i]));
  return hits.filter((hit, i) => {
    const before = at.get(passages[i]! - 1);
    if (before === undefined || before > i || !quotesNext(before)) return true;
    return !hits[before]!.excerpt.text.includes(hit.excerpt.text);
  });
}

/** How a page's passage is shown: its marks (relative to the passage) and, for code, its language. */
function passageLook(document: ArchiveDocument, passage: Span, code: boolean): PassageLook | undefined {
  const layout = document.layout;
  if (!layout) return undefined;
  const marks: TextMark[] = [];
  for (const mark of layout.marks) {
    if (mark.end <= passage.start || mark.start >= passage.end) continue;
    marks.push({
      ...mark,
      start: Math.max(mark.start, passage.start) - passage.start,
      end: Math.min(mark.end, passage.end) - passage.start,
    });
  }
  // Shown as a code block only when it lies inside one; code joined to prose is marked inside the prose.
  const block = code ? layout.blocks.find((b) => b.kind === 'code' && b.start <= passage.start && passage.end <= b.end) : undefined;
  if (!block) return { marks: withCodeBlocks(marks, document.text, layout, passage) };
  return { marks, code: block.language ?? '' };
}

/**
 * A prose passage may hold a short code block joined to its lead-in ("Example:" and its code):
 * that code is marked as a block, its lines whole, so it is shown as a code block in its language,
 * never run into the prose (marks inside it, none expected, give way to it).
 */
function withCodeBlocks(marks: TextMark[], text: string, layout: DocumentLayout, passage: Span): TextMark[] {
  const blocks: TextMark[] = [];
  for (const block of layout.blocks) {
    if (block.kind !== 'code' || block.end <= passage.start || block.start >= passage.end) continue;
    const { start, end } = trimSpan(text, Math.max(block.start, passage.start), Math.min(block.end, passage.end));
    // Indentation is part of the code: the block starts at its first line's start.
    const lineStart = Math.max(passage.start, text.lastIndexOf('\n', start - 1) + 1, block.start);
    if (end > start)
      blocks.push({ kind: 'code', start: lineStart - passage.start, end: end - passage.start, block: { language: block.language ?? '' } });
  }
  if (!blocks.length) return marks;
  const outside = marks.filter((mark) => !blocks.some((block) => mark.start < block.end && block.start < mark.end));
  return [...outside, ...blocks].sort((a, b) => a.start - b.start);
}

function clampInteger(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return min;
  return Math.min(max, Math.max(min, Math.trunc(value)));
}
