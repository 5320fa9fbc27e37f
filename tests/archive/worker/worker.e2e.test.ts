import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../../src/archive/archive.js';
import { loadArchiveInWorker } from '../../../src/archive/worker/client.js';
import { writeGeneratedArchive } from '../../fixtures/generated-archive.js';

const QUESTIONS = ['Where did Kim Jong Un meet Putin?', 'Soyuz-2 rocket', 'Rodong Sinmun', 'What is the capital of Mongolia?'];

function answers(archive: Archive) {
  return QUESTIONS.map((question) => {
    const { hits, total, emptyReason } = archive.search(question, { limit: 5 });
    return {
      total,
      emptyReason,
      hits: hits.map((h) => ({ id: h.document.id, position: h.passage.position, score: h.score, excerpt: h.excerpt })),
    };
  });
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'archivist-worker-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('loadArchiveInWorker', () => {
  it('returns an archive that answers like a direct load', async () => {
    const direct = await Archive.load('data', { cache: false });
    const viaWorker = await loadArchiveInWorker('data', { cache: false });
    expect(answers(viaWorker)).toEqual(answers(direct));
    expect(viaWorker.stats()).toEqual(direct.stats());
    expect(viaWorker.documents).toEqual(direct.documents);
    expect(viaWorker.root).toBe(direct.root);
    expect(viaWorker.passages('a-new-landmark-summit-at-a-spaceport.md')).toEqual(
      direct.passages('a-new-landmark-summit-at-a-spaceport.md'),
    );
  });

  it('uses the on-disk cache and passes the options on', async () => {
    const dir = join(tmp, 'small');
    await writeGeneratedArchive(dir, { files: 20, paragraphs: 3, seed: 7 });
    const first = await loadArchiveInWorker(dir);
    expect(first.loadReport).toMatchObject({ cache: 'rebuilt', files: 20, analyzed: 20, saved: true });
    const second = await loadArchiveInWorker(dir);
    expect(second.loadReport).toMatchObject({ cache: 'snapshot', analyzed: 0 });
    expect(second.stats()).toEqual(first.stats());

    const uncached = await loadArchiveInWorker(dir, { cache: false, passages: { maxChars: 120 } });
    expect(uncached.loadReport?.cache).toBe('off');
    expect(uncached.stats().passages).toBeGreaterThan(first.stats().passages);
  });

  it('rejects with the load error, and the archive in use keeps answering', async () => {
    const current = await Archive.load('data', { cache: false });
    const missing = join(tmp, 'no-such-archive');
    await expect(loadArchiveInWorker(missing)).rejects.toThrow(`Cannot load archive: ${missing} does not exist`);
    await writeFile(join(tmp, 'notes.pdf'), 'not text');
    await expect(loadArchiveInWorker(join(tmp, 'notes.pdf'))).rejects.toThrow(
      /^Cannot load archive: .*notes\.pdf is not a supported file type/,
    );
    expect(current.search('Rodong Sinmun').hits.length).toBeGreaterThan(0);
  });

  it('leaves the main thread free while it builds: timers fire and the current archive answers', async () => {
    const dir = join(tmp, 'large');
    await writeGeneratedArchive(dir, { files: 1000, paragraphs: 4, seed: 3 });
    const current = await Archive.load('data', { cache: false });

    let building = true;
    let ticks = 0;
    const answered: number[] = [];
    const timer = setInterval(() => {
      if (!building) return;
      ticks++;
      // A user's question, answered from the archive in use while the new one is built.
      if (ticks % 5 === 0) answered.push(current.search('Where did Kim Jong Un meet Putin?').hits.length);
    }, 10);
    try {
      const next = await loadArchiveInWorker(dir, { cache: false }).finally(() => {
        building = false;
      });
      // The whole archive, passage for passage as a load in this thread makes it.
      const inThread = await Archive.load(dir, { cache: false });
      expect(next.stats()).toMatchObject({ documents: 1000, passages: inThread.stats().passages });
    } finally {
      clearInterval(timer);
    }
    // The build takes seconds; a blocked main thread would have fired the timer once or never.
    expect(ticks).toBeGreaterThan(20);
    expect(answered.length).toBeGreaterThan(4);
    expect(answered.every((hits) => hits > 0)).toBe(true);
  });
});
