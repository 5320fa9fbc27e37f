/**
 * `npm run try`: the real bot on the loopback fake Discord with a terminal chat. Two questions piped
 * in, two replies out as Discord shows them, and an end at the end of input (the global setup checks
 * that data/ is left as it was: the index goes to a temporary folder).
 */
import { spawn } from 'node:child_process';
import { expect, test } from 'vitest';
import { PROJECT_ROOT } from '../src/bot/config.js';
import { UNSET_SETTINGS, captureOutput } from './helpers/bot-process.js';

test('two questions piped in: each answered as Discord would show it, then a clean end', async () => {
  const child = spawn('npm', ['run', '-s', 'try'], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...UNSET_SETTINGS, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  const run = captureOutput(child, 'close');
  child.stdin.end('Where did Kim Jong Un meet Putin?\nWho briefed Kim Jong Un on the rocket?\n');
  expect(await run.exit, run.output()).toBe(0);

  const turns = stdout.split(/^you › /m).slice(1);
  expect(turns).toHaveLength(2);
  expect(turns[0]).toMatch(
    /^Where did Kim Jong Un meet Putin\?\nArchivist ›\n {2}From the archive, for “Where did Kim Jong Un meet Putin\?”:\n/,
  );
  // A quote as Discord draws it (a bar, bold shown as plain text here), its source, the buttons.
  expect(turns[0]).toContain('  │ Kim Jong Un, president of the State Affairs');
  expect(turns[0]).toContain('at the Vostochny Spaceport in Amur Province of the Russian Far East.');
  // Its source line (the passage number follows how data/ is cut into passages, not this script).
  expect(turns[0]).toMatch(/\n {2}— A New Landmark, Summit at a Spaceport · passage \d+\n/);
  // Two hits: the third ranked was the paragraph the second's quote runs on into, not shown twice.
  expect(turns[0]).toMatch(/\n {2}\[Read 1\] \[Read 2\] \[More results\] \[👍\] \[👎\]\n/);
  expect(turns[0]!.split('Another noteworthy fact').length - 1).toBeLessThanOrEqual(1);
  expect(turns[0]).not.toMatch(/\*\*|\\\\/);
  expect(turns[1]).toMatch(/^Who briefed Kim Jong Un on the rocket\?\nArchivist ›\n/);
  expect(turns[1]).toContain('Yuri Borisov, CEO of the Russian state-run corporation Roscosmos');
  expect(turns[1]).toMatch(/\n {2}— A New Landmark, Summit at a Spaceport · passage \d+\n/);
}, 120_000);

test('a DATA_DIR that does not exist stops it before it starts, naming the setting', async () => {
  const child = spawn('npm', ['run', '-s', 'try'], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...UNSET_SETTINGS, DATA_DIR: '/nonexistent/archive' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const run = captureOutput(child, 'close');
  child.stdin.end('Where did Kim Jong Un meet Putin?\n');
  expect(await run.exit).toBe(1);
  expect(run.output()).toContain('npm run try: DATA_DIR /nonexistent/archive does not exist');
}, 60_000);
