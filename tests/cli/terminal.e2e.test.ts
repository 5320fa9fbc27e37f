/**
 * Archive text on a terminal (issue 10, item 12): the CLI, run on a real pseudo-terminal (`script`),
 * shows quotes, titles and sources without their control characters, so a crafted file cannot clear
 * the screen or retitle the window. Piped output and --json keep the text exact.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const TRAPS = '\x1b[2J\x1b]0;pwned\x07\x08\x9b31m';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'archivist-tty-'));
  const record = { title: `Reservoir ${TRAPS}report`, source: `Bulletin${TRAPS}`, text: `The reservoir ${TRAPS}was repaired in May.` };
  await writeFile(path.join(dir, 'traps.json'), JSON.stringify([record]));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cliArgs = (...args: string[]) => [process.execPath, '--import', 'tsx', 'src/cli/main.ts', 'ask', '--data', dir, ...args, 'reservoir'];
const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

/** The CLI's output as a terminal receives it. */
async function onTerminal(...args: string[]): Promise<string> {
  const { stdout } = await run(
    'script',
    [
      '-qec',
      cliArgs(...args)
        .map(quote)
        .join(' '),
      '/dev/null',
    ],
    {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: '', NO_COLOR: '1' },
    },
  );
  return stdout.replace(/\r\n/g, '\n');
}

describe('the CLI on a terminal', () => {
  it('shows archive text without control characters', async () => {
    const output = await onTerminal();
    expect(output).toContain('The **reservoir** [2J]0;pwned31mwas repaired in May.');
    expect(output).toContain('Reservoir [2J]0;pwned31mreport · Bulletin[2J]0;pwned31m');
    expect(output).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  });

  it('keeps --json exact (JSON escapes what needs escaping)', async () => {
    const answer = JSON.parse(await onTerminal('--json'));
    expect(answer.results[0].text).toBe(`The reservoir ${TRAPS}was repaired in May.`);
  });

  it('keeps text exact when the output is a pipe', async () => {
    const [command, ...args] = cliArgs();
    const { stdout } = await run(command!, args, { cwd: ROOT, env: { ...process.env, DATA_DIR: '', NO_COLOR: '1' } });
    expect(stdout).toContain(`The **reservoir** ${TRAPS}was repaired in May.`);
  });
});
