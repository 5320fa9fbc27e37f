/**
 * One benchmark job: one system on one data set, in a process of its own
 * (started by main.ts with --expose-gc), so its heap and RSS are its own.
 * Prints a single result line `@@RESULT {json}` on stdout.
 *
 * Order: import the system → gc → load the data → gc → build (timed) → gc →
 * memory → quality pass (also the warm-up) → latency pass (each query timed).
 */
import { answerInExcerpt, cranfieldGain, mean, ndcgAt, percentile, rankOf, reciprocalRankAt } from './eval/metrics.js';
import { sharedExcerpt } from './eval/excerpt.js';
import { createSystem, isSystemKey, type SystemKey } from './peers/index.js';
import { isSetKey, SIZES, subsample, type SetKey } from './sets.js';
import type { ArchivistSystem } from './peers/archivist.js';
import type { BenchDocument, SearchSystem } from './types.js';
import type { ReloadLatency, StartFigures } from './startup/measure.js';

export interface JobSpec {
  set: SetKey;
  system: SystemKey;
  quick: boolean;
  /** ArchiveOptions JSON for our engine. */
  oursOptions?: string;
}

export interface MemoryFigures {
  /** heapUsed + external (typed-array and native-buffer storage), MB, after gc. */
  heapMB: number;
  rssMB: number;
}

export interface JobResult {
  spec: JobSpec;
  name: string;
  documents: number;
  /** Passages as our engine counts them (ours only). */
  passages?: number;
  queries: number;
  /** Time to read the data before build (KCNA: the loader; not counted in build unless ours loads itself). */
  loadMs?: number;
  buildMs: number;
  /** Our engine's own split of the build time. */
  stages?: Record<string, number | undefined>;
  quality: Record<string, number>;
  latency: { count: number; p50: number; p95: number; p99: number; mean: number };
  /** Process before data, after data, after build (all after gc). */
  memory: { empty: MemoryFigures; data: MemoryFigures; built: MemoryFigures; peakRssMB: number };
  /** Ours on the generated set, from Markdown files on disk: first load, then a fresh-process start from the saved index. */
  start?: StartFigures;
  /** Ours on the generated set: query latency while a worker re-analyses the same archive (cache off). */
  duringReload?: ReloadLatency;
  notes: string[];
}

const MB = 1024 * 1024;
const K = 10;

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('bench: run jobs with --expose-gc (main.ts does)');
  gc();
  gc();
}

function memory(): MemoryFigures {
  collect();
  const m = process.memoryUsage();
  return { heapMB: (m.heapUsed + m.external) / MB, rssMB: m.rss / MB };
}

function timeQueries(system: SearchSystem, queries: readonly string[], rounds: number): JobResult['latency'] {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of queries) {
      const t0 = process.hrtime.bigint();
      system.search(q, K);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  return {
    count: times.length,
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    p99: percentile(times, 0.99),
    mean: mean(times),
  };
}

interface Loaded {
  documents: BenchDocument[];
  loadMs?: number;
  notes: string[];
  /** Runs the quality pass and returns the figures (after build). */
  evaluate(system: SearchSystem): Record<string, number>;
  latencyQueries: string[];
  latencyRounds: number;
  /** The system builds itself from disk with its own loader (ours on KCNA and the docs). */
  selfLoad?: {
    dir: string;
    /** Throws when the loader read the wrong thing. */
    check?(documents: readonly BenchDocument[]): void;
    /** Latency questions made from the loaded documents (default: the set's own). */
    latencyQueries?(documents: readonly BenchDocument[]): string[];
  };
}

/** The quote a system shows for its first result: its own, or the shared rule's cut of its top document. */
function firstQuote(
  system: SearchSystem,
  question: string,
  ranked: readonly string[],
  textById: ReadonlyMap<string, string>,
): string | undefined {
  if (system.quote) return system.quote(question);
  const first = ranked[0];
  return first === undefined ? undefined : sharedExcerpt(textById.get(first) ?? '', question);
}

async function loadSet(spec: JobSpec): Promise<Loaded> {
  const size = SIZES[spec.quick ? 'quick' : 'full'][spec.set];
  switch (spec.set) {
    case 'squad': {
      const { loadSquad } = await import('./eval/squad.js');
      const squad = await loadSquad(size.articles);
      const queries = subsample(squad.queries, size.queries);
      const textById = new Map(squad.documents.map((d) => [d.id, d.text]));
      return {
        documents: squad.documents,
        notes: [
          ...(size.articles === undefined ? [] : [`only the first ${size.articles} articles`]),
          ...(queries.length < squad.queries.length ? [`${queries.length} of ${squad.queries.length} questions (every n-th)`] : []),
        ],
        latencyQueries: queries.map((q) => q.text),
        latencyRounds: 1,
        evaluate(system) {
          let top1 = 0,
            top5 = 0,
            rr = 0,
            aie = 0,
            aieGold = 0,
            empty = 0;
          for (const q of queries) {
            const ranked = system.search(q.text, K);
            const rank = rankOf(ranked, q.gold);
            if (ranked.length === 0) empty++;
            if (rank === 1) top1++;
            if (rank >= 1 && rank <= 5) top5++;
            rr += reciprocalRankAt(ranked, q.gold, K);
            const quote = firstQuote(system, q.text, ranked, textById);
            if (answerInExcerpt(quote, q.answers)) {
              aie++;
              if (rank === 1) aieGold++;
            }
          }
          const n = queries.length;
          return { top1: top1 / n, top5: top5 / n, mrr10: rr / n, aie1: aie / n, aie1Gold: aieGold / n, empty: empty / n, n };
        },
      };
    }
    case 'cranfield': {
      const { loadCranfield } = await import('./eval/cranfield.js');
      const cran = await loadCranfield();
      const judged = cran.queries.filter((q) => q.grades.size > 0);
      return {
        documents: cran.documents,
        notes: [`${judged.length} of ${cran.queries.length} queries have judgements`],
        latencyQueries: cran.queries.map((q) => q.text),
        latencyRounds: size.latencyRounds ?? 1,
        evaluate(system) {
          const run = () => {
            const scores: number[] = [];
            let short = 0;
            for (const q of judged) {
              const gains = new Map([...q.grades].map(([doc, grade]) => [doc, cranfieldGain(grade)]));
              const ranked = system.search(q.text, K);
              if (ranked.length < K) short++;
              const score = ndcgAt(ranked, gains, K);
              if (score !== undefined) scores.push(score);
            }
            return { ndcg10: mean(scores), short: short / judged.length, n: scores.length };
          };
          if (spec.system !== 'archivist') return run();
          // Cranfield's queries are topics: ours is measured as /search ranks them (the keyword
          // profile, the figure that counts) and as /ask would; latency is then the keyword profile's.
          const ours = system as ArchivistSystem;
          ours.profile = 'question';
          const asked = run();
          ours.profile = 'keyword';
          return { ...run(), ndcg10Ask: asked.ndcg10, shortAsk: asked.short };
        },
      };
    }
    case 'kcna': {
      const { loadKcna, kcnaQueries, KCNA_DIR } = await import('./data/kcna.js');
      // Ours loads the archive itself: load + index is its figure (see runJob for the fallback).
      if (spec.system === 'archivist' && size.documents === undefined) {
        const { assertRecordsRead } = await import('./data/kcna.js');
        return {
          documents: [],
          selfLoad: {
            dir: KCNA_DIR,
            check: assertRecordsRead,
            latencyQueries: (documents) => kcnaQueries(documents, size.queries ?? 1000),
          },
          notes: [],
          latencyQueries: [],
          latencyRounds: 1,
          evaluate: () => ({}),
        };
      }
      const t0 = performance.now();
      const all = await loadKcna();
      const documents = size.documents === undefined ? all : all.slice(0, size.documents);
      const loadMs = performance.now() - t0;
      return {
        documents,
        loadMs,
        notes: documents.length < all.length ? [`first ${documents.length} of ${all.length} documents`] : [],
        latencyQueries: kcnaQueries(documents, size.queries ?? 1000),
        latencyRounds: 1,
        evaluate: () => ({}),
      };
    }
    case 'kcna-own': {
      const { loadKcna } = await import('./data/kcna.js');
      const own = await import('./eval/kcna-own.js');
      const t0 = performance.now();
      const documents = await loadKcna();
      const loadMs = performance.now() - t0;
      const questions = await own.loadKcnaQuestions();
      const textById = new Map(documents.map((d) => [d.id, d.text]));
      return {
        documents,
        loadMs,
        notes: [own.splitNote(questions)],
        latencyQueries: questions.map((q) => q.question),
        latencyRounds: 5,
        evaluate(system) {
          const ourArchive = spec.system === 'archivist' ? (system as ArchivistSystem).archive() : undefined;
          const counts = { tune: own.emptyCounts(), heldout: own.emptyCounts() };
          const goldOf = own.goldFinder(documents);
          for (const q of questions) {
            const ranked = system.search(q.question, K);
            const quote = firstQuote(system, q.question, ranked, textById);
            const hits = ourArchive?.search(q.question, { limit: 3 }).hits;
            const passages = hits?.map((hit) => hit.text);
            const flagged = hits !== undefined && (hits[0]?.missing.length ?? 0) > 0;
            own.scoreAnswer(counts[q.split], q, { documents: ranked, quote, passages, flagged }, goldOf(q));
          }
          return { ...own.figures('tune', counts.tune, !!ourArchive), ...own.figures('heldout', counts.heldout, !!ourArchive) };
        },
      };
    }
    case 'docs-own':
      return loadDocsOwn(spec);
    case 'generated': {
      const { generateArchive } = await import('./data/generated.js');
      const generated = generateArchive({ passages: size.passages });
      return {
        documents: generated.documents,
        notes: [`${generated.passages} generated passages in ${generated.documents.length} documents`],
        latencyQueries: generated.queries(size.queries ?? 1000),
        latencyRounds: 1,
        evaluate: () => ({}),
      };
    }
  }
}

/**
 * The docs own set: ours loads the pages itself (it parses Markdown as in production), peers index
 * each page's raw text. Besides the own-set figures, every answer shown is checked for raw markup:
 * ours shows up to 5 hits (quote and title each), peers the shared rule's quote of their top page.
 */
async function loadDocsOwn(spec: JobSpec): Promise<Loaded> {
  const { DOCS_DIR, loadDocsPages } = await import('./data/docs.js');
  const own = await import('./eval/kcna-own.js');
  const docs = await import('./eval/docs-own.js');
  const { countMarkup, emptyMarkupCounts, shownQuote } = await import('./eval/markup.js');
  const ours = spec.system === 'archivist';
  const t0 = performance.now();
  const pages = ours ? [] : await loadDocsPages();
  const loadMs = ours ? undefined : performance.now() - t0;
  const questions = await docs.loadDocsQuestions();
  const textById = new Map(pages.map((d) => [d.id, d.text]));
  return {
    documents: pages,
    loadMs,
    notes: [own.splitNote(questions)],
    ...(ours
      ? {
          selfLoad: {
            dir: DOCS_DIR,
            check(documents: readonly BenchDocument[]) {
              if (!documents.some((d) => d.file.endsWith('.md'))) throw new Error(`bench: the loader read no pages from ${DOCS_DIR}`);
            },
          },
        }
      : {}),
    latencyQueries: questions.map((q) => q.question),
    latencyRounds: 5,
    evaluate(system) {
      const archive = ours ? (system as ArchivistSystem).archive() : undefined;
      const pageOf = docs.pageFinder(archive ? archive.documents : pages);
      const counts = { tune: own.emptyCounts(), heldout: own.emptyCounts() };
      const markup = emptyMarkupCounts();
      for (const q of questions) {
        const ranked = system.search(q.question, K);
        const quote = firstQuote(system, q.question, ranked, textById);
        const shown = archive?.search(q.question, { limit: 5 }).hits;
        if (shown) for (const hit of shown) countMarkup(markup, shownQuote(hit.excerpt), hit.document.title);
        else if (quote !== undefined) countMarkup(markup, quote);
        const passages = shown?.slice(0, 3).map((hit) => hit.text);
        // A first hit flagged as a closest match ("Missing: …") is an honest answer to an absent topic.
        const flagged = shown !== undefined && (shown[0]?.missing.length ?? 0) > 0;
        own.scoreAnswer(counts[q.split], q, { documents: ranked, quote, passages, flagged }, pageOf(q));
      }
      for (const [kind, example] of markup.examples) process.stderr.write(`docs-own markup (${kind}): ${example}\n`);
      return {
        ...own.figures('tune', counts.tune, !!archive),
        ...own.figures('heldout', counts.heldout, !!archive),
        'markup.quotes': markup.quotes,
        'markup.quotesWithMarkup': markup.quotesWithMarkup,
        'markup.titles': markup.titles,
        'markup.titlesWithMarkup': markup.titlesWithMarkup,
      };
    },
  };
}

export async function runJob(spec: JobSpec): Promise<JobResult> {
  const system = await createSystem(spec.system, spec.oursOptions ? (JSON.parse(spec.oursOptions) as object) : undefined);
  const empty = memory();
  const loaded = await loadSet(spec);
  const data = memory();

  let documents = loaded.documents;
  let latencyQueries = loaded.latencyQueries;
  const loadMs = loaded.loadMs;
  const notes = [...loaded.notes];
  const t0 = performance.now();
  if (loaded.selfLoad) {
    documents = await (system as ArchivistSystem).load(loaded.selfLoad.dir);
    loaded.selfLoad.check?.(documents);
    notes.push('build = load + index by the engine');
    latencyQueries = loaded.selfLoad.latencyQueries?.(documents) ?? latencyQueries;
  } else {
    system.build(documents);
  }
  const buildMs = performance.now() - t0;
  const built = memory();
  const peakRssMB = (process.resourceUsage().maxRSS * 1024) / MB;

  let passages: number | undefined;
  let stages: Record<string, number | undefined> | undefined;
  if (spec.system === 'archivist') {
    const archive = (system as ArchivistSystem).archive();
    passages = archive.stats().passages;
    stages = { ...archive.timings };
  }

  const quality = loaded.evaluate(system);
  // The quality pass warmed the system up; small sets get one extra warm-up round.
  if (Object.keys(quality).length === 0) for (const q of latencyQueries.slice(0, 200)) system.search(q, K);
  const latency = timeQueries(system, latencyQueries, loaded.latencyRounds);

  // Ours at scale from disk, after every other figure so they are not disturbed: the same documents
  // as Markdown files in a temp folder of this job's own (removed afterwards, whatever happens).
  let start: StartFigures | undefined;
  let duringReload: ReloadLatency | undefined;
  if (spec.set === 'generated' && spec.system === 'archivist') {
    const { writeMarkdownArchive } = await import('./startup/files.js');
    const { measureStart, latencyDuringReload } = await import('./startup/measure.js');
    const folder = await writeMarkdownArchive(documents);
    try {
      start = await measureStart(folder.dir);
      duringReload = await latencyDuringReload(system, latencyQueries, folder.dir, K);
    } finally {
      await folder.remove();
    }
  }

  return {
    spec,
    name: system.name,
    documents: documents.length,
    passages,
    queries: latencyQueries.length,
    loadMs,
    buildMs,
    stages,
    quality,
    latency,
    memory: { empty, data, built, peakRssMB },
    ...(start ? { start } : {}),
    ...(duringReload ? { duringReload } : {}),
    notes,
  };
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop()!);
if (isMain) {
  const spec = JSON.parse(process.argv[2] ?? '{}') as Partial<JobSpec>;
  if (!spec.set || !isSetKey(spec.set) || !spec.system || !isSystemKey(spec.system)) {
    throw new Error(`bench: bad job spec ${process.argv[2] ?? '(none)'}`);
  }
  const result = await runJob({ set: spec.set, system: spec.system, quick: spec.quick === true, oursOptions: spec.oursOptions });
  process.stdout.write(`@@RESULT ${JSON.stringify(result)}\n`);
}
