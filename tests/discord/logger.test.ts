/** Redaction costs time linear in the line's length (issue 10, item 19), and still finds tokens. */
import { describe, expect, it } from 'vitest';
import { createLogger, redact, REDACTED } from '../../src/discord/logger.js';
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

describe('createLogger (pino)', () => {
  const capture = (options: Parameters<typeof createLogger>[0] = {}) => {
    const lines: string[] = [];
    const logger = createLogger({ format: 'json', write: (l) => lines.push(l), ...options });
    return { logger, lines };
  };

  it('fields named like secrets are blanked, at the top and one object down, and token-shaped text anywhere', () => {
    const { logger, lines } = capture({ secrets: ['s3cr3t-value'] });
    logger.warn('request failed', {
      token: 'plain-interaction-token',
      request: { authorization: 'Bot abc', url: '/channels/1' },
      config: { token: 'another-one', dataDir: '/srv/archive' },
      detail: `sent ${TOKEN}`,
      err: new Error(`login with s3cr3t-value failed`),
    });
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({
      level: 'warn',
      msg: 'request failed',
      token: REDACTED,
      request: { authorization: REDACTED, url: '/channels/1' },
      config: { token: REDACTED, dataDir: '/srv/archive' },
      detail: `sent ${REDACTED}`,
    });
    expect(line.err.message).toBe(`login with ${REDACTED} failed`);
    for (const secret of ['plain-interaction-token', 'Bot abc', 'another-one', TOKEN, 's3cr3t-value'])
      expect(lines[0]).not.toContain(secret);
  });

  it('every line is one JSON object: errors deep in fields, sets, maps and bigints included', () => {
    const { logger, lines } = capture({ level: 'debug' });
    logger.debug('shapes', {
      nested: { failure: new RangeError('out of range') },
      ids: new Set(['a', 'b']),
      by: new Map([[1, 'x']]),
      big: 12n,
    });
    logger.child({ shard: 3 }).error('boom', { err: Object.assign(new Error('bad'), { code: 'EACCES' }) });
    const [first, second] = lines.map((l) => JSON.parse(l));
    expect(first).toMatchObject({ level: 'debug', msg: 'shapes', ids: ['a', 'b'], by: { 1: 'x' }, big: '12' });
    expect(first.nested.failure).toMatchObject({ name: 'RangeError', message: 'out of range' });
    expect(second).toMatchObject({ level: 'error', shard: 3, msg: 'boom', err: { name: 'Error', message: 'bad', code: 'EACCES' } });
    expect(second.err.stack).toContain('Error: bad');
  });

  it('pretty (development, on a terminal) is a readable line, never JSON, and redacted too', () => {
    const { logger, lines } = capture({ format: 'pretty', secrets: ['s3cr3t-value'] });
    logger.info('archive loaded', { documents: 2, note: 's3cr3t-value' });
    expect(lines[0]).toMatch(/INFO.*archive loaded/);
    expect(() => JSON.parse(lines[0]!)).toThrow();
    expect(lines.join('\n')).not.toContain('s3cr3t-value');
  });
});
