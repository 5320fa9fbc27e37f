/**
 * The one pipeline from an archive's files to its index, with or without the cache:
 *
 *   readFiles      listed files → readings (documents and problems per file)
 *   indexReadings  readings → ids and deduplication → analysis (wink-nlp) → inverted index
 *
 * A load without the cache runs both steps over every file. A cached load runs the same steps,
 * handing `indexReadings` the readings and analyses it kept (`saved`) so that only new work is
 * done, and asking for the analyses of the files it will save (`keep`).
 */
import { AnalysisEncoder } from '../wire/analysis-codec.js';
import { analysisFits, analyzeDocument, PassageIndexer, type DocumentAnalysis } from '../postings/indexing.js';
import type { InvertedIndex } from '../postings/inverted-index.js';
import { analysisThreads, ParallelAnalyzer } from './analysis-pool.js';
import { collectReadings, readArchiveFile, type ArchiveFile, type ArchiveListing, type FileReading } from '../load/index.js';
import type { PassageOptions } from '../passages.js';
import type { ProgressReporter } from './progress.js';
import type { LoadedArchive, Passage } from '../types.js';

/** Reads, decodes and parses `files` (listed in `listing`), in order; `progress` is told of each. */
export async function readFiles(
  files: readonly ArchiveFile[],
  listing: ArchiveListing,
  progress?: ProgressReporter,
): Promise<FileReading[]> {
  const readings: FileReading[] = [];
  progress?.startReading(
    files.length,
    files.reduce((sum, file) => sum + file.size, 0),
  );
  for (const entry of files) {
    readings.push(await readArchiveFile(entry, listing));
    progress?.fileRead(entry.size);
  }
  return readings;
}

interface IndexReadingsOptions {
  passages?: PassageOptions;
  /** A saved analysis of document `j` of reading `i`, when there is one: it is used instead of analysing again. */
  saved?: (i: number, j: number) => DocumentAnalysis | undefined;
  /** Whether `saved` has an analysis for document `j` of reading `i`, without decoding it. */
  hasSaved?: (i: number, j: number) => boolean;
  /**
   * Readings whose analyses are wanted back (to be saved), given where each of its documents was
   * placed (-1: dropped). Their analysed and saved documents come back encoded, in `kept`.
   */
  keep?: (i: number, placed: readonly number[]) => boolean;
  /** Analysis threads (0: this thread only). @defaultValue every core, when there is enough text to analyse */
  threads?: number;
  /** Told of each document analysed now. */
  progress?: ProgressReporter;
}

/** The analyses of one reading's documents, encoded: document numbers `analysed`, in encoder order. */
interface KeptAnalyses {
  analysed: number[];
  encoder: AnalysisEncoder;
}

export interface IndexedArchive {
  loaded: LoadedArchive;
  index: InvertedIndex;
  passages: Passage[];
  /** Per reading: how many of its documents were analysed now (not taken from `saved`). */
  analysedNow: number[];
  /** Per reading: its encoded analyses when `keep` asked for them. */
  kept: (KeptAnalyses | undefined)[];
  /** Milliseconds analysing and building the index. */
  timings: { analyze: number; index: number };
}

/** Gives documents their ids, drops repeats, analyses what has no saved analysis and builds the index. */
export async function indexReadings(
  listingSkipped: ArchiveListing['skipped'],
  readings: readonly FileReading[],
  options: IndexReadingsOptions = {},
): Promise<IndexedArchive> {
  const started = performance.now();
  const { loaded, placed } = collectReadings(listingSkipped, readings);
  const indexer = new PassageIndexer();
  let analyze = 0;
  // Documents without a saved analysis, in the order the loop below meets them: analysed ahead,
  // on worker threads when there is enough text to be worth it.
  const unsaved: number[] = [];
  const hasSaved = options.hasSaved ?? ((i: number, j: number) => options.saved?.(i, j) !== undefined);
  placed.forEach((documents, i) => documents.forEach((at, j) => at >= 0 && !hasSaved(i, j) && unsaved.push(at)));
  const chars = unsaved.reduce((sum, at) => sum + loaded.documents[at]!.text.length, 0);
  const threads = options.threads ?? analysisThreads(chars);
  const { progress } = options;
  progress?.startAnalysing(unsaved.length, chars);
  const parallel =
    threads > 0
      ? new ParallelAnalyzer(
          unsaved.map((at) => loaded.documents[at]!),
          options.passages,
          threads,
        )
      : undefined;
  let nextUnsaved = 0;
  const analysedNow: number[] = [];
  const kept: (KeptAnalyses | undefined)[] = [];
  try {
    for (const [i, documents] of placed.entries()) {
      const keep: KeptAnalyses | undefined = options.keep?.(i, documents) ? { analysed: [], encoder: new AnalysisEncoder() } : undefined;
      let now = 0;
      for (const [j, at] of documents.entries()) {
        // A dropped document is only looked at to carry its saved analysis over (it may be indexed again later).
        if (at < 0 && !keep) continue;
        let analysis = options.saved?.(i, j);
        const analysedAhead = at >= 0 && !analysis && unsaved[nextUnsaved] === at;
        if (analysedAhead) nextUnsaved++;
        // A saved analysis must fit the document as read now (it came from an untrusted cache).
        if (analysis && at >= 0 && !analysisFits(analysis, loaded.documents[at]!)) analysis = undefined;
        if (!analysis && at >= 0) {
          const t0 = performance.now();
          analysis = analysedAhead && parallel ? await parallel.nextAnalysis() : analyzeDocument(loaded.documents[at]!, options.passages);
          analyze += performance.now() - t0;
          now++;
          progress?.documentAnalysed(loaded.documents[at]!.text.length, analysis.passages.length);
        }
        if (at >= 0) indexer.add(analysis!, loaded.documents[at]!.text);
        if (analysis && keep) {
          keep.encoder.add(analysis);
          keep.analysed.push(j);
        }
      }
      analysedNow.push(now);
      kept.push(keep);
    }
  } finally {
    await parallel?.close();
  }
  const { index, passages } = indexer.finish();
  return { loaded, index, passages, analysedNow, kept, timings: { analyze, index: performance.now() - started - analyze } };
}
