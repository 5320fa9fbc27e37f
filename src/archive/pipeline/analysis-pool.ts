/**
 * Analysing documents on several threads. Analysis (wink-nlp) is most of a cold build and each
 * document's is independent of the others, so batches of documents go to worker threads, come back
 * encoded (compact, transferred without a copy), and are handed out in document order for the
 * index, which is built on one thread (term ids and postings depend on order).
 *
 * Workers run at most WINDOW batches ahead of the consumer, so memory stays bounded however large
 * the archive.
 */
import { availableParallelism } from 'node:os';
import { isMainThread, Worker } from 'node:worker_threads';
import { AnalysisDecoder } from '../wire/analysis-codec.js';
import type { DocumentAnalysis } from '../postings/indexing.js';
import type { PassageOptions } from '../passages.js';
import { siblingModule, workerBootstrap } from '../threads.js';

export interface AnalysisBatch {
  batch: number;
  documents: { title: string; text: string }[];
}

export interface AnalysedBatch {
  batch: number;
  bytes: Uint8Array;
  offsets: Uint32Array;
  terms: string[];
}

/** Characters of text per batch: large enough to amortise a message, small enough to spread the work. */
const BATCH_CHARS = 256 * 1024;
/** Batches in flight or waiting ahead of the consumer. */
const WINDOW = 32;
/** Below this much text, starting workers (each loads the wink model) costs more than it saves. */
const PARALLEL_MIN_CHARS = 2_000_000;

/**
 * Young generation of an analysis worker, in MB. Analysis makes short-lived objects per token (wink's
 * arrays, tokens, strings); with V8's default the worker spent ~9 % of its time in scavenges, and a
 * cold build of 20,000 generated passages took 6-9 % less CPU with 64 MB (more measured no better).
 */
const YOUNG_GENERATION_MB = 64;

const ENTRY = siblingModule('analysis-entry', import.meta.url);

/** How many analysis threads to use for `chars` characters of text (0: analyse on this thread). */
export function analysisThreads(chars: number): number {
  const threads = availableParallelism();
  // Only from a process's main thread (the CLI, the shard launcher's index preparation, the
  // benchmark): a bot's reload already runs in a worker beside the thread answering questions, and
  // workers of workers there made an interrupted reload's shutdown too slow in tests/bot/process.e2e.
  return isMainThread && chars >= PARALLEL_MIN_CHARS && threads > 1 ? threads : 0;
}

/** Hands out the analyses of `documents`, in order, analysed by `threads` workers. */
export class ParallelAnalyzer {
  private readonly batches: { first: number; end: number }[] = [];
  private readonly results = new Map<number, Promise<AnalysisDecoder>>();
  private readonly settle = new Map<number, { resolve: (d: AnalysisDecoder) => void; reject: (e: Error) => void }>();
  private readonly workers: Worker[] = [];
  /** Batches sent to each worker and not yet answered. */
  private readonly inFlight = new Map<Worker, number>();
  private nextBatch = 0;
  private consumedBatch = 0;
  private next = 0;
  private failure: Error | undefined;

  constructor(
    private readonly documents: readonly { title: string; text: string }[],
    passages: PassageOptions | undefined,
    threads: number,
  ) {
    for (let first = 0; first < documents.length;) {
      let end = first;
      let chars = 0;
      while (end < documents.length && (end === first || chars < BATCH_CHARS)) chars += documents[end++]!.text.length;
      this.batches.push({ first, end });
      first = end;
    }
    for (let b = 0; b < this.batches.length; b++) {
      this.results.set(b, new Promise((resolve, reject) => this.settle.set(b, { resolve, reject })));
      // A failure is reported by the consumer's await; an unconsumed one must not be an unhandled rejection.
      this.results.get(b)!.catch(() => undefined);
    }
    const { code, eval: isEval } = workerBootstrap(ENTRY);
    for (let t = 0; t < Math.min(threads, this.batches.length); t++) {
      const worker = new Worker(code, {
        eval: isEval,
        workerData: { passages },
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      });
      worker.on('message', (answer: AnalysedBatch) => {
        this.settle.get(answer.batch)?.resolve(new AnalysisDecoder(answer.bytes, answer.offsets, answer.terms));
        this.settle.delete(answer.batch);
        this.inFlight.set(worker, this.inFlight.get(worker)! - 1);
        this.feedAll();
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (this.settle.size > 0) this.fail(new Error(`analysis worker exited with code ${code}`));
      });
      this.workers.push(worker);
      this.inFlight.set(worker, 0);
    }
    this.feedAll();
  }

  /**
   * Sends batches while the window allows, each to the worker with the fewest in flight (at most
   * two each: one being analysed, one waiting), so that no worker idles while another queues.
   */
  private feedAll(): void {
    for (;;) {
      if (this.failure || this.nextBatch >= this.batches.length || this.nextBatch >= this.consumedBatch + WINDOW) return;
      const worker = this.workers.reduce((a, b) => (this.inFlight.get(b)! < this.inFlight.get(a)! ? b : a));
      if (this.inFlight.get(worker)! >= 2) return;
      this.inFlight.set(worker, this.inFlight.get(worker)! + 1);
      this.send(worker);
    }
  }

  private send(worker: Worker): void {
    const batch = this.nextBatch++;
    const { first, end } = this.batches[batch]!;
    const documents = this.documents.slice(first, end).map(({ title, text }) => ({ title, text }));
    worker.postMessage({ batch, documents } satisfies AnalysisBatch);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const { reject } of this.settle.values()) reject(this.failure);
    this.settle.clear();
    void this.close();
  }

  /** The analysis of the next document. */
  async nextAnalysis(): Promise<DocumentAnalysis> {
    const n = this.next++;
    const batch = this.batchOf(n);
    const decoder = await this.results.get(batch)!;
    const analysis = decoder.document(n - this.batches[batch]!.first);
    if (n + 1 === this.batches[batch]!.end) {
      // Done with this batch: free it and let the workers move the window on.
      this.results.delete(batch);
      this.consumedBatch = batch + 1;
      this.feedAll();
    }
    return analysis;
  }

  private batchOf(n: number): number {
    let b = this.consumedBatch;
    while (this.batches[b]!.end <= n) b++;
    return b;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
