/** Redaction costs time linear in the line's length (issue 10, item 19), and still finds tokens. */
import { describe, expect, it } from 'vitest';
import { redact, REDACTED } from '../../src/discord/logger.js';
import { expectLinearWork } from '../helpers/scaling.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789';

describe('redact', () => {
  it.each([
    ['one long run of token characters', (n: number) => 'a'.repeat(n)],
    ['runs joined by single dots', (n: number) => 'abcdefghijklmnopqrstuvwxyz.'.repeat(n / 27)],
    ['a token-like start that never completes', (n: number) => `${'a'.repeat(30)}.${'b'.repeat(n)}`],
  ])('%s: linear', (_name, make) => {
    expectLinearWork(make, (line) => redact(line), 64 * 1024);
  });

  it('finds a token anywhere in a long line, glued to other word characters or not', () => {
    const line = `${'x'.repeat(50_000)} token=${TOKEN} and ${'y'.repeat(10)}${TOKEN}`;
    expect(redact(line)).toBe(`${'x'.repeat(50_000)} token=${REDACTED} and ${REDACTED}`);
  });
});
