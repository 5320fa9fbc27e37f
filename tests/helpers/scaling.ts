/**
 * Work bounded by input size, checked without a wall-clock limit: the same job on an input four
 * times larger must take less than ten times as long (linear work takes ~4×, quadratic ~16× and
 * more). Each size is timed as the best of a few runs, so a busy machine slows both sides alike,
 * and a ratio over the bound is measured once more before it fails.
 */
import { expect } from 'vitest';

/** Below this many milliseconds a timing is mostly noise: the small run counts as at least this. */
const NOISE_FLOOR_MS = 20;

function bestTime(run: () => void, repeats: number): number {
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/**
 * Runs `job` on `make(size)` and `make(4 * size)` and asserts that the larger took < 10× as long.
 * Inputs are built outside the timing.
 */
export function expectLinearWork<T>(make: (size: number) => T, job: (input: T) => unknown, size: number, repeats = 5): void {
  const small = make(size);
  const large = make(size * 4);
  job(small); // warm-up: the first run pays for compilation and caches
  // A machine busy with other work can stall one side of a comparison; quadratic work fails every
  // time, so a ratio over the bound is measured once more before it counts.
  let ratio = { smallMs: 0, largeMs: Infinity };
  for (let attempt = 0; attempt < 2 && ratio.largeMs >= ratio.smallMs * 10; attempt++) {
    const smallMs = Math.max(
      bestTime(() => job(small), repeats),
      NOISE_FLOOR_MS,
    );
    const largeMs = bestTime(() => job(large), repeats);
    if (largeMs / smallMs < ratio.largeMs / (ratio.smallMs || 1)) ratio = { smallMs, largeMs };
  }
  const { smallMs, largeMs } = ratio;
  expect(
    largeMs,
    `4× the input took ${(largeMs / smallMs).toFixed(1)}× as long (${smallMs.toFixed(1)} → ${largeMs.toFixed(1)} ms)`,
  ).toBeLessThan(smallMs * 10);
}
