/**
 * Our engine on the generated archive from disk: the time to start from the on-disk index, and
 * query latency while a worker reload of the same archive runs. Run by job.ts after the usual
 * figures of the `generated` × `archivist` job, so they do not disturb them.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { loadArchiveInWorker } from '../../src/archive/index.js';
import { runMarkedChild } from '../child.js';
import { mean, percentile } from '../eval/metrics.js';
import type { SearchSystem } from '../types.js';

export interface ChildLoad {
  /** `Archive.load` inside the child. */
  loadMs: number;
  /** Importing the engine (and with it the wink model) inside the child. */
  importMs: number;
  /** From the child's time origin to the start of the load: Node, tsx, engine import. */
  beforeLoadMs: number;
  /** The whole child process, from spawn to exit, seen by the parent. */
  processWallMs: number;
  passages: number;
  documents: number;
  cache?: 'snapshot' | 'rebuilt' | 'off';
  saved?: boolean;
  documentsAnalyzed?: number;
  warnings: string[];
  timings?: Record<string, number>;
}

export interface StartFigures {
  /** The first load in a fresh folder: builds and saves the cache. */
  first: ChildLoad;
  /** A second load in a fresh process: the start from the on-disk index. */
  start: ChildLoad;
}

export interface ReloadLatency {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  /** How long the worker reload took (to the new archive on the main thread). */
  reloadMs: number;
  /** What the reload's report says (`off`: it re-analysed everything). */
  cache?: string;
  documentsAnalyzed?: number;
  /** Longest wait between two queries in the event loop (e.g. receiving the worker's archive), ms. */
  longestStallMs: number;
}

async function loadInChild(dir: string): Promise<ChildLoad> {
  const { value, wallMs } = await runMarkedChild<Omit<ChildLoad, 'processWallMs'>>({
    script: 'bench/startup/load-child.ts',
    args: [dir],
    marker: '@@LOAD',
  });
  return { ...value, processWallMs: wallMs };
}

/** Loads `dir` in one child (building the cache), then again in a fresh child (starting from it). */
export async function measureStart(dir: string): Promise<StartFigures> {
  const first = await loadInChild(dir);
  const start = await loadInChild(dir);
  return { first, start };
}

/**
 * Times `system.search` for the queries, round after round, while `loadArchiveInWorker(dir, { cache:
 * false })` re-analyses the whole archive in a worker thread of this process — the bot's situation
 * during a /reload: it keeps answering from the archive it has. Yields to the event loop after every
 * query (as a bot between messages), so the worker's answer is received when it comes.
 */
export async function latencyDuringReload(
  system: SearchSystem,
  queries: readonly string[],
  dir: string,
  k: number,
): Promise<ReloadLatency> {
  const t0 = performance.now();
  let done = false;
  let failure: unknown;
  let reloadMs = 0;
  let report: { cache?: string; documentsAnalyzed?: number } | undefined;
  const reload = loadArchiveInWorker(dir, { cache: false }).then(
    (archive) => {
      reloadMs = performance.now() - t0;
      report = archive.loadReport;
      done = true;
    },
    (error: unknown) => {
      failure = error;
      done = true;
    },
  );
  const times: number[] = [];
  let longestStallMs = 0;
  for (let i = 0; !done; i++) {
    const q = queries[i % queries.length]!;
    const start = process.hrtime.bigint();
    system.search(q, k);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    // What the event loop does between two queries (receiving the worker's archive included) is
    // time a question would wait before its search starts.
    const yielded = performance.now();
    await yieldToEventLoop();
    longestStallMs = Math.max(longestStallMs, performance.now() - yielded);
  }
  await reload;
  if (failure) throw failure instanceof Error ? failure : new Error(JSON.stringify(failure));
  return {
    count: times.length,
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    p99: percentile(times, 0.99),
    mean: mean(times),
    reloadMs,
    cache: report?.cache,
    documentsAnalyzed: report?.documentsAnalyzed,
    longestStallMs,
  };
}
