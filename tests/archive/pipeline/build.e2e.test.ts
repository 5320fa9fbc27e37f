import { describe, expect, it } from 'vitest';
import { indexReadings } from '../../../src/archive/pipeline/build.js';
import type { FileReading } from '../../../src/archive/load/index.js';

/** Seeded text: enough documents for several analysis batches, with repeats across files. */
function readings(): FileReading[] {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const words = 'harbour timber salt ships beetle forest comet aardvark mill barley village survey report river'.split(' ');
  const sentence = () =>
    Array.from({ length: 8 + Math.floor(random() * 10) }, () => words[Math.floor(random() * words.length)]).join(' ') + '.';
  return Array.from({ length: 40 }, (_, f) => ({
    file: `f${f}.md`,
    sha256: String(f).padStart(64, '0'),
    problems: [],
    documents: Array.from({ length: 1 + (f % 3) }, (_, d) => ({
      title: `Doc ${f}-${d}`,
      text: f % 10 === 9 ? 'A repeated text, the same in several files.' : Array.from({ length: 120 }, sentence).join(' \n\n'),
    })),
  }));
}

describe('indexReadings', () => {
  it('builds the same index with analysis on worker threads as on this thread', async () => {
    const one = await indexReadings([], readings(), { threads: 0 });
    const two = await indexReadings([], readings(), { threads: 2 });
    expect(two.index.data).toEqual(one.index.data);
    expect(two.passages).toEqual(one.passages);
    expect(two.loaded).toEqual(one.loaded);
    expect(two.analysedNow).toEqual(one.analysedNow);
    expect(one.loaded.duplicates).toBe(6);
  });
});
