/**
 * `ask --batch` into a slow reader (issue 10, item 9): questions are taken from the input only as
 * fast as the output drains, so memory stays bounded however much input is waiting.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { answerLines } from '../../src/cli/batch.js';

/** Lines as an async stream of them, all available at once (as stdin with a file behind it). */
async function* toAsync(lines: Iterable<string>): AsyncGenerator<string> {
  for (const line of lines) yield await Promise.resolve(line);
}

describe('answerLines', () => {
  it('stops taking questions while the reader is not reading, and answers them all once it reads', async () => {
    let taken = 0;
    // An endless supply, as stdin with 100,000 lines behind it: each line taken is counted.
    function* questions() {
      for (let i = 0; i < 10_000; i++) {
        taken++;
        yield `question ${i}`;
      }
    }
    // A reader that accepts one write and then nothing until released.
    const received: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const reader = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        received.push(chunk.toString());
        if (received.length === 1) void released.then(() => done());
        else done();
      },
    });
    const answer = (line: string) => `${line}: ${'x'.repeat(100)}`;
    const batch = answerLines(toAsync(questions()), reader, answer);

    // Let the loop run as far as it will while the reader is stuck.
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
    // 1 KB of buffer holds about ten 110-byte answers: a few more at most, never the 10,000.
    expect(taken).toBeLessThan(20);

    release();
    await batch;
    expect(taken).toBe(10_000);
    expect(received).toHaveLength(10_000);
    expect(received[9_999]).toBe(`question 9999: ${'x'.repeat(100)}\n`);
  });
});
