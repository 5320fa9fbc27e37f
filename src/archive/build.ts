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
import { AnalysisEncoder } from './cache/analysis-codec.js';
import { analysisFits, analyzeDocument, PassageIndexer, type DocumentAnalysis } from './index/indexing.js';
import type { InvertedIndex } from './index/inverted-index.js';
import { collectReadings, readArchiveFile, type ArchiveFile, type ArchiveListing, type FileReading } from './load/index.js';
import type { PassageOptions } from './passages.js';
import type { LoadedArchive, Passage } from './types.js';

/** Reads, decodes and parses `files` (listed in `listing`), in order. */
export async function readFiles(files: readonly ArchiveFile[], listing: ArchiveListing): Promise<FileReading[]> {
  const readings: FileReading[] = [];
  for (const entry of files) readings.push(await readArchiveFile(entry, listing));
  return readings;
}

export interface IndexReadingsOptions {
  passages?: PassageOptions;
  /** A saved analysis of document `j` of reading `i`, when there is one: it is used instead of analysing again. */
  saved?: (i: number, j: number) => DocumentAnalysis | undefined;
  /**
   * Readings whose analyses are wanted back (to be saved), given where each of its documents was
   * placed (-1: dropped). Their analysed and saved documents come back encoded, in `kept`.
   */
  keep?: (i: number, placed: readonly number[]) => boolean;
}

/** The analyses of one reading's documents, encoded: document numbers `analysed`, in encoder order. */
export interface KeptAnalyses {
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
export function indexReadings(
  listingSkipped: ArchiveListing['skipped'],
  readings: readonly FileReading[],
  options: IndexReadingsOptions = {},
): IndexedArchive {
  const started = performance.now();
  const { loaded, placed } = collectReadings(listingSkipped, readings);
  const indexer = new PassageIndexer();
  let analyze = 0;
  const analysedNow: number[] = [];
  const kept: (KeptAnalyses | undefined)[] = [];
  placed.forEach((documents, i) => {
    const keep: KeptAnalyses | undefined = options.keep?.(i, documents) ? { analysed: [], encoder: new AnalysisEncoder() } : undefined;
    let now = 0;
    documents.forEach((at, j) => {
      // A dropped document is only looked at to carry its saved analysis over (it may be indexed again later).
      if (at < 0 && !keep) return;
      let analysis = options.saved?.(i, j);
      // A saved analysis must fit the document as read now (it came from an untrusted cache).
      if (analysis && at >= 0 && !analysisFits(analysis, loaded.documents[at]!)) analysis = undefined;
      if (!analysis && at >= 0) {
        const t0 = performance.now();
        analysis = analyzeDocument(loaded.documents[at]!, options.passages);
        analyze += performance.now() - t0;
        now++;
      }
      if (at >= 0) indexer.add(analysis!, loaded.documents[at]!.text);
      if (analysis && keep) {
        keep.encoder.add(analysis);
        keep.analysed.push(j);
      }
    });
    analysedNow.push(now);
    kept.push(keep);
  });
  const { index, passages } = indexer.finish();
  return { loaded, index, passages, analysedNow, kept, timings: { analyze, index: performance.now() - started - analyze } };
}
