/**
 * How far a load has got, for whoever waits on a long one (the CLI's bar, the bot's log and its
 * /reload reply): files read, passages analysed, time spent and an estimate of the time left.
 *
 * A load makes a {@link ProgressReporter} only when someone listens, so a load nobody watches pays
 * nothing; one that is watched pays a clock read per file and per document, and tells the listener
 * at most once per interval (never before the first interval has passed: a quick load is silent).
 */

/** How far a load has got. Plain data: it crosses threads and processes as it is. */
export interface LoadProgress {
  /**
   * `reading`: reading and parsing the files the cache cannot vouch for; `analysing`: analysing the
   * documents that have no saved analysis (most of a cold build).
   */
  stage: 'reading' | 'analysing';
  /** Files read in this stage, of `filesToRead`. */
  filesRead: number;
  filesToRead: number;
  /** Documents analysed so far, of `documentsToAnalyse` (0 of 0 while reading). */
  documentsAnalysed: number;
  documentsToAnalyse: number;
  /** Passages of the documents analysed so far. */
  passagesAnalysed: number;
  /** The stage's work done, from 0 to 1: bytes read of the files to read, characters analysed of those to analyse. */
  fraction: number;
  /** Milliseconds since the load started. */
  elapsedMs: number;
  /** Milliseconds the stage should still take at its pace so far; absent until it has a pace. */
  etaMs?: number;
}

/** Told how far a load has got. */
export type ProgressListener = (progress: LoadProgress) => void;

/** How often a listener is told, by default: often enough for a bar, rarely enough to cost nothing. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 1000;

interface ReporterOptions {
  /** Least milliseconds between two reports (0: every file and document). @defaultValue DEFAULT_PROGRESS_INTERVAL_MS */
  intervalMs?: number;
  /** The clock, in milliseconds (tests). @defaultValue performance.now */
  now?: () => number;
}

/** Counts a load's work and tells `listener` about it, at most once per interval. */
export class ProgressReporter {
  readonly #listener: ProgressListener;
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #started: number;
  #lastTold: number;
  #stage: LoadProgress['stage'] = 'reading';
  #stageStarted: number;
  #filesRead = 0;
  #filesToRead = 0;
  #documentsAnalysed = 0;
  #documentsToAnalyse = 0;
  #passagesAnalysed = 0;
  /** The stage's work done and to do: bytes when reading, characters when analysing. */
  #done = 0;
  #total = 0;

  constructor(
    listener: ProgressListener,
    { intervalMs = DEFAULT_PROGRESS_INTERVAL_MS, now = () => performance.now() }: ReporterOptions = {},
  ) {
    this.#listener = listener;
    this.#intervalMs = intervalMs;
    this.#now = now;
    this.#started = now();
    this.#lastTold = this.#started;
    this.#stageStarted = this.#started;
  }

  /** Reading begins of `files` files, `bytes` in all. */
  startReading(files: number, bytes: number): void {
    this.#start('reading', bytes);
    this.#filesRead = 0;
    this.#filesToRead = files;
  }

  /** One file of `bytes` was read. */
  fileRead(bytes: number): void {
    this.#filesRead++;
    this.#done += bytes;
    this.#maybeTell();
  }

  /** Analysis begins of `documents` documents, `chars` characters of text in all. */
  startAnalysing(documents: number, chars: number): void {
    this.#start('analysing', chars);
    this.#documentsAnalysed = 0;
    this.#documentsToAnalyse = documents;
    this.#passagesAnalysed = 0;
  }

  /** One document of `chars` characters was analysed into `passages` passages. */
  documentAnalysed(chars: number, passages: number): void {
    this.#documentsAnalysed++;
    this.#passagesAnalysed += passages;
    this.#done += chars;
    this.#maybeTell();
  }

  #start(stage: LoadProgress['stage'], total: number): void {
    this.#stage = stage;
    this.#stageStarted = this.#now();
    this.#done = 0;
    this.#total = total;
  }

  #maybeTell(): void {
    const now = this.#now();
    if (now - this.#lastTold < this.#intervalMs) return;
    this.#lastTold = now;
    const fraction = this.#total > 0 ? Math.min(1, this.#done / this.#total) : 1;
    const inStage = now - this.#stageStarted;
    const progress: LoadProgress = {
      stage: this.#stage,
      filesRead: this.#filesRead,
      filesToRead: this.#filesToRead,
      documentsAnalysed: this.#documentsAnalysed,
      documentsToAnalyse: this.#documentsToAnalyse,
      passagesAnalysed: this.#passagesAnalysed,
      fraction,
      elapsedMs: Math.round(now - this.#started),
      ...(fraction > 0 && inStage > 0 ? { etaMs: Math.round((inStage * (1 - fraction)) / fraction) } : {}),
    };
    this.#listener(progress);
  }
}

/** A reporter for `listener`, or none when nobody listens (a load then counts nothing). */
export function progressReporter(listener: ProgressListener | undefined, intervalMs?: number): ProgressReporter | undefined {
  return listener && new ProgressReporter(listener, intervalMs === undefined ? {} : { intervalMs });
}

/** A duration for people: "45 s", "2 min 05 s", "1 h 02 min". */
export function describeDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

const count = (n: number): string => n.toLocaleString('en-US');

/**
 * How far a load has got, in one line for people (the bot's /reload reply; the CLI draws its own bar):
 * "Analysing: 12,345 passages from 1,000 of 4,000 documents (25%); 1 min 10 s so far, this step about 3 min 30 s more."
 */
export function describeProgress(progress: LoadProgress): string {
  const percent = `${Math.floor(progress.fraction * 100)}%`;
  const done =
    progress.stage === 'reading'
      ? `Reading files: ${count(progress.filesRead)} of ${count(progress.filesToRead)} (${percent})`
      : `Analysing: ${count(progress.passagesAnalysed)} passages from ${count(progress.documentsAnalysed)} of ${count(progress.documentsToAnalyse)} documents (${percent})`;
  const left = progress.etaMs === undefined ? '' : `, this step about ${describeDuration(progress.etaMs)} more`;
  return `${done}; ${describeDuration(progress.elapsedMs)} so far${left}.`;
}
