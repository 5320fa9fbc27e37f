/**
 * `node --import tsx bench/scale/child.ts DIR QUERIES.json MODE [PARTIAL.json]` — one step of the scale
 * benchmark in a process of its own, printing `@@SCALE {json}` (and writing the figures so far to
 * PARTIAL.json after each phase, so a step stopped part-way still leaves what it measured):
 *   cold    Archive.load(DIR) in a fresh folder: builds and saves the on-disk index; then queries.
 *   start   Archive.load(DIR) again: the start from the saved index; queries; then queries during a
 *           worker reload (`/reload`'s path), against the quiet p95.
 *   sqlite  the SQLite FTS5 peer over the same documents (from the files): build, then queries.
 * Heap is measured after a full GC (run with --expose-gc).
 */
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Archive, loadArchiveInWorker } from '../../src/archive/index.js';
import { percentile } from '../eval/metrics.js';

const [dir, queriesPath, mode, partialPath] = process.argv.slice(2);
if (!dir || !queriesPath || !mode) throw new Error('usage: child.ts DIR QUERIES.json cold|start|sqlite');
const queries = JSON.parse(await readFile(queriesPath, 'utf8')) as string[];

const heapMb = (): number => {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};
/** Heap plus typed arrays and buffers (the index lives in those): what docs/benchmarks.md calls heap. */
const heapAndExternalMb = (): number => {
  const { heapUsed, external } = process.memoryUsage();
  return (heapUsed + external) / 2 ** 20;
};

/** The figures so far, to PARTIAL.json (when given), with the process's peak resident set. */
function savePartial(figures: Record<string, unknown>): void {
  figures.peakRssMb = process.resourceUsage().maxRSS / 1024;
  if (partialPath) writeFileSync(partialPath, JSON.stringify(figures));
}

interface QueryFigures {
  p50: number;
  p95: number;
  /** CPU time of the process per query (all its threads: GC helpers included), ms. */
  cpuP50: number;
  cpuP95: number;
  /** Postings the ranking read per query (ours only): mean and p95. */
  postingsMean?: number;
  postingsP95?: number;
}

/** Each query timed (wall and process CPU); `search` returns the postings it read, when it knows. */
function timeQueries(search: (q: string) => number | undefined): QueryFigures {
  const times: number[] = [];
  const cpu: number[] = [];
  const postings: number[] = [];
  for (const q of queries) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const read = search(q);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    if (read !== undefined) postings.push(read);
  }
  const figures: QueryFigures = {
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    cpuP50: percentile(cpu, 0.5),
    cpuP95: percentile(cpu, 0.95),
  };
  if (postings.length) {
    figures.postingsMean = postings.reduce((sum, n) => sum + n, 0) / postings.length;
    figures.postingsP95 = percentile(postings, 0.95);
  }
  return figures;
}

/** CPU time of the process since `from` (process.cpuUsage()), ms. */
const cpuMsSince = (from: NodeJS.CpuUsage): number => {
  const c = process.cpuUsage(from);
  return (c.user + c.system) / 1000;
};

/** Up to this many passages, the start step also loads a second archive that reads every posting, to compare. */
const COMPARE_FULL_READ_MAX = 200_000;

async function ours(): Promise<object> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const archive = await Archive.load(dir!, { onCacheWarning: (message) => process.stderr.write(`${message}\n`) });
  const loadMs = performance.now() - t0;
  const loadCpuMs = cpuMsSince(c0);
  const heapAfterLoadMb = heapMb();
  const heapAndExternalAfterLoadMb = heapAndExternalMb();
  const result: Record<string, unknown> = {
    loadMs,
    loadCpuMs,
    heapAfterLoadMb,
    heapAndExternalAfterLoadMb,
    rssMb: process.memoryUsage().rss / 2 ** 20,
    passages: archive.stats().passages,
    documents: archive.documents.length,
    report: archive.loadReport,
    // Bytes of the saved index read by the start (when it is read on demand), and the file's size.
    savedIndexRead: archive.savedIndexRead(),
  };
  savePartial(result);
  const searchIn = (target: Archive) => (q: string) => {
    const response = target.search(q, { limit: 3 });
    void response.hits[0]?.excerpt;
    return response.postingsRead;
  };
  const search = searchIn(archive);
  const first = process.hrtime.bigint();
  search(queries[0]!);
  result.firstQueryMs = Number(process.hrtime.bigint() - first) / 1e6;
  timeQueries(search); // warm-up round
  result.savedIndexReadAfterQueries = archive.savedIndexRead();
  result.quiet = timeQueries(search);
  savePartial(result);
  if (mode === 'start' && archive.savedIndexRead()) {
    // The same saved index read whole at start (as before issue 18's reads on demand): its start,
    // then rounds of the same queries alternating with the archive that reads on demand.
    const t1 = performance.now();
    const c1 = process.cpuUsage();
    const whole = await Archive.load(dir!, { lazyIndexBytes: Number.POSITIVE_INFINITY });
    const wholeLoad = { loadMs: performance.now() - t1, loadCpuMs: cpuMsSince(c1), report: whole.loadReport };
    const searchWhole = searchIn(whole);
    const firstWhole = process.hrtime.bigint();
    searchWhole(queries[0]!);
    const firstQueryMs = Number(process.hrtime.bigint() - firstWhole) / 1e6;
    timeQueries(searchWhole); // warm-up round
    const rounds: { onDemand: QueryFigures[]; whole: QueryFigures[] } = { onDemand: [], whole: [] };
    for (let round = 0; round < 2; round++) {
      rounds.onDemand.push(timeQueries(search));
      rounds.whole.push(timeQueries(searchWhole));
    }
    result.wholeComparison = { ...wholeLoad, firstQueryMs, rounds };
    result.savedIndexReadAfterRounds = archive.savedIndexRead();
    savePartial(result);
  }
  if (mode === 'start' && archive.stats().passages <= COMPARE_FULL_READ_MAX) {
    // The same saved index, ranked reading every posting (the answers are the same): rounds alternate.
    const full = await Archive.load(dir!, { ranking: { prune: false }, keywordRanking: { prune: false } });
    const searchFull = searchIn(full);
    timeQueries(searchFull); // warm-up round
    const rounds: { pruned: QueryFigures[]; fullRead: QueryFigures[] } = { pruned: [], fullRead: [] };
    for (let round = 0; round < 2; round++) {
      rounds.pruned.push(timeQueries(search));
      rounds.fullRead.push(timeQueries(searchFull));
    }
    result.pruneComparison = rounds;
    savePartial(result);
  }
  if (mode === 'start') {
    // Queries keep being answered while a reload builds the next archive in a worker.
    let done = false;
    const t1 = performance.now();
    const reload = loadArchiveInWorker(dir!).then((next) => {
      done = true;
      return next.loadReport;
    });
    const times: number[] = [];
    for (let i = 0; !done; i++) {
      const t = process.hrtime.bigint();
      search(queries[i % queries.length]!);
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      await yieldToEventLoop();
    }
    const report = await reload;
    result.duringReload = { count: times.length, p95: percentile(times, 0.95), reloadMs: performance.now() - t1, cache: report?.cache };
    result.peakHeapMb = process.memoryUsage().heapUsed / 2 ** 20;
    savePartial(result);
  }
  return result;
}

async function sqlite(): Promise<object> {
  const { createSqlite } = await import('../peers/sqlite.js');
  const { loadArchive } = await import('../../src/archive/index.js');
  const loaded = await loadArchive(dir!);
  const system = createSqlite();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  system.build(loaded.documents);
  const buildMs = performance.now() - t0;
  const buildCpuMs = cpuMsSince(c0);
  const search = (q: string) => {
    system.search(q, 3);
    return undefined;
  };
  timeQueries(search);
  return { buildMs, buildCpuMs, quiet: timeQueries(search), documents: loaded.documents.length };
}

const result = mode === 'sqlite' ? await sqlite() : await ours();
process.stdout.write(`@@SCALE ${JSON.stringify(result)}\n`);
// The reload's worker may still be winding down; the answer is out.
process.exit(0);
