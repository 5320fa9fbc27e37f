/**
 * Progress of a long load (issue 19): counts, the rate limit and the estimate of the time left, on
 * a clock the test moves; then a real load, watched and unwatched, in this thread and in a worker.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../../src/archive/archive.js';
import { describeDuration, describeProgress, ProgressReporter, type LoadProgress } from '../../../src/archive/pipeline/progress.js';
import { loadArchiveInWorker } from '../../../src/archive/worker/client.js';
import { ANALYSING } from '../../helpers/load-progress.js';

function clocked(intervalMs: number) {
  let now = 1000;
  const told: LoadProgress[] = [];
  const reporter = new ProgressReporter((p) => told.push(p), { intervalMs, now: () => now });
  return { reporter, told, advance: (ms: number) => (now += ms) };
}

describe('ProgressReporter', () => {
  it('counts files and bytes while reading, and estimates the time left from the pace so far', () => {
    const { reporter, told, advance } = clocked(1000);
    reporter.startReading(4, 400);
    advance(500);
    reporter.fileRead(100);
    expect(told).toEqual([]); // quicker than the interval: nothing told
    advance(500);
    reporter.fileRead(100);
    expect(told).toEqual([
      {
        stage: 'reading',
        filesRead: 2,
        filesToRead: 4,
        documentsAnalysed: 0,
        documentsToAnalyse: 0,
        passagesAnalysed: 0,
        fraction: 0.5,
        elapsedMs: 1000,
        etaMs: 1000,
      },
    ]);
  });

  it('tells at most once per interval however much work is done', () => {
    const { reporter, told, advance } = clocked(1000);
    reporter.startAnalysing(1000, 1000);
    for (let i = 0; i < 1000; i++) {
      advance(10); // 10 s in all, 1000 documents
      reporter.documentAnalysed(1, 3);
    }
    expect(told).toHaveLength(10);
    expect(told.map((p) => p.elapsedMs)).toEqual([1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000]);
    expect(told[4]).toMatchObject({
      stage: 'analysing',
      documentsAnalysed: 500,
      documentsToAnalyse: 1000,
      passagesAnalysed: 1500,
      fraction: 0.5,
      etaMs: 5000,
    });
    expect(told.at(-1)).toMatchObject({ documentsAnalysed: 1000, fraction: 1, etaMs: 0 });
  });

  it('the estimate follows the stage: characters analysed, not documents, and from when the stage began', () => {
    const { reporter, told, advance } = clocked(0);
    reporter.startReading(1, 10);
    advance(60_000); // a minute of reading does not slow the analysis estimate
    reporter.fileRead(10);
    reporter.startAnalysing(2, 1000);
    advance(2000);
    reporter.documentAnalysed(100, 1); // a short document: 10% of the text in 2 s
    expect(told.at(-1)).toMatchObject({ stage: 'analysing', documentsAnalysed: 1, fraction: 0.1, elapsedMs: 62_000, etaMs: 18_000 });
  });

  it('says it in words', () => {
    expect(describeDuration(45_400)).toBe('45 s');
    expect(describeDuration(125_000)).toBe('2 min 05 s');
    expect(describeDuration(3_720_000)).toBe('1 h 02 min');
    const analysing = ANALYSING;
    expect(describeProgress(analysing)).toBe(
      'Analysing: 12,345 passages from 1,000 of 4,000 documents (25%); 1 min 10 s so far, this step about 3 min 30 s more.',
    );
    const { etaMs: _, ...noPace } = { ...analysing, stage: 'reading' as const, filesRead: 10, fraction: 0 };
    expect(describeProgress(noPace)).toBe('Reading files: 10 of 4,000 (0%); 1 min 10 s so far.');
  });
});

describe('a load watched', () => {
  let root: string;
  const FILES = 12;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'archivist-progress-'));
    for (let i = 0; i < FILES; i++) {
      const paragraphs = Array.from({ length: 3 }, (_, p) => `Paragraph ${p} of file ${i} tells of lighthouse ${i} and its keeper.`);
      await writeFile(join(root, `f${i}.md`), `# File ${i}\n\n${paragraphs.join('\n\n')}\n`);
    }
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('reports every file read and document analysed (interval 0), and the last report adds up', async () => {
    const told: LoadProgress[] = [];
    const archive = await Archive.load(root, { cache: false, onProgress: (p) => told.push(p), progressIntervalMs: 0 });
    const reading = told.filter((p) => p.stage === 'reading');
    const analysing = told.filter((p) => p.stage === 'analysing');
    expect(reading.map((p) => p.filesRead)).toEqual(Array.from({ length: FILES }, (_, i) => i + 1));
    expect(analysing.map((p) => p.documentsAnalysed)).toEqual(Array.from({ length: FILES }, (_, i) => i + 1));
    expect(analysing.at(-1)).toMatchObject({ documentsToAnalyse: FILES, passagesAnalysed: archive.stats().passages, fraction: 1 });
  });

  it('a cold load with the cache reads each file once and analyses each document once', async () => {
    const told: LoadProgress[] = [];
    const cacheDir = join(root, '..', `${root.split('/').at(-1)}-cache`);
    try {
      await Archive.load(root, { cacheDir, onProgress: (p) => told.push(p), progressIntervalMs: 0 });
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
    expect(told.filter((p) => p.stage === 'reading').map((p) => p.filesRead)).toEqual(Array.from({ length: FILES }, (_, i) => i + 1));
    expect(told.filter((p) => p.stage === 'reading').at(-1)).toMatchObject({ filesToRead: FILES, fraction: 1 });
    expect(told.filter((p) => p.stage === 'analysing')).toHaveLength(FILES);
  });

  it("a worker's load sends its progress to the caller before the archive", async () => {
    const told: LoadProgress[] = [];
    const archive = await loadArchiveInWorker(root, { cache: false, onProgress: (p) => told.push(p), progressIntervalMs: 0 });
    expect(told.filter((p) => p.stage === 'analysing').at(-1)).toMatchObject({
      documentsAnalysed: FILES,
      passagesAnalysed: archive.stats().passages,
    });
  });

  it('at the default interval a quick load tells nothing', async () => {
    const told: LoadProgress[] = [];
    await Archive.load(root, { cache: false, onProgress: (p) => told.push(p) });
    expect(told).toEqual([]);
  });
});
