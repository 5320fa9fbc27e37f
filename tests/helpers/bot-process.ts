/** What the tests that start the bot as a real process share: a clean environment and its output. */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { SETTINGS } from '../../src/settings/index.js';

/**
 * Every setting, empty: an empty value counts as unset, and dotenv never overrides a variable that
 * exists, so a developer's own .env cannot leak into these runs (and send them to the real Discord).
 */
export const UNSET_SETTINGS: Record<string, string> = Object.fromEntries(SETTINGS.map(({ name }) => [name, '']));

export interface Child {
  process: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

/**
 * Collects a child's stdout and stderr. `exitOn` 'close' waits for everything that held its output
 * too (a bot started through npm), 'exit' for the process alone.
 */
export function captureOutput(child: ChildProcess, exitOn: 'exit' | 'close' = 'exit'): Child {
  let output = '';
  child.stdout?.on('data', (d) => (output += String(d)));
  child.stderr?.on('data', (d) => (output += String(d)));
  const exit = once(child, exitOn).then(([code]) => code as number | null);
  return { process: child, output: () => output, exit };
}

/** Waits until the child's output matches `pattern` and returns the match; fails if it exits first or the time runs out. */
export async function waitForOutput(child: Child, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = child.output().match(pattern);
    if (match) return match;
    if (child.process.exitCode !== null) throw new Error(`exited early:\n${child.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${child.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
