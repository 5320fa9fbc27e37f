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

/**
 * The CLI's output as a terminal receives it. TERM=dumb unless `env` says otherwise: a load slowed
 * by a busy machine would otherwise draw its progress bar (control characters) in these tests.
 */
async function onTerminal(args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run('script', ['-qec', args.map(quote).join(' '), '/dev/null'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: '', NO_COLOR: '1', TERM: 'dumb', ...env },
  });
  return stdout.replace(/\r\n/g, '\n');
}

describe('the CLI on a terminal', () => {
  it('shows archive text without control characters', async () => {
    const output = await onTerminal(cliArgs());
    expect(output).toContain('The **reservoir** [2J]0;pwned31mwas repaired in May.');
    expect(output).toContain('Reservoir [2J]0;pwned31mreport · Bulletin[2J]0;pwned31m');
    expect(output).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  });

  it('keeps --json exact (JSON escapes what needs escaping)', async () => {
    const answer = JSON.parse(await onTerminal(cliArgs('--json')));
    expect(answer.results[0].text).toBe(`The reservoir ${TRAPS}was repaired in May.`);
  });

  it('keeps text exact when the output is a pipe', async () => {
    const [command, ...args] = cliArgs();
    const { stdout } = await run(command!, args, { cwd: ROOT, env: { ...process.env, DATA_DIR: '', NO_COLOR: '1' } });
    expect(stdout).toContain(`The **reservoir** ${TRAPS}was repaired in May.`);
  });
});

describe('a long load on a terminal (issue 19)', () => {
  let big: string;
  const WORDS = 'harbour lighthouse keeper barley windmill reservoir tide summit treaty railway bridge orchard glacier ferry census'.split(
    ' ',
  );
  beforeAll(async () => {
    // Big enough that loading it takes longer than the bar's first interval (a second) on any machine.
    big = await mkdtemp(path.join(tmpdir(), 'archivist-tty-big-'));
    let seed = 19;
    const word = () => WORDS[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % WORDS.length]!;
    for (let f = 0; f < 300; f++) {
      const paragraphs = Array.from({ length: 12 }, () => Array.from({ length: 80 }, word).join(' ') + '.');
      await writeFile(path.join(big, `f${f}.md`), `# Report ${f}\n\n${paragraphs.join('\n\n')}\n`);
    }
  });
  afterAll(() => rm(big, { recursive: true, force: true }));

  const bigArgs = ['--import', 'tsx', 'src/cli/main.ts', 'ask', '--json', '--data'];
  /** A fresh cache folder, so each run is a cold build. */
  const coldCache = () => mkdtemp(path.join(tmpdir(), 'archivist-tty-cache-'));

  it('shows a progress bar on stderr, erased before the answer; piped, stderr gets none and --json is the same', async () => {
    const output = await onTerminal([process.execPath, ...bigArgs, big, 'lighthouse keeper'], {
      TERM: 'xterm',
      CACHE_DIR: await coldCache(),
    });
    expect(output).toMatch(/(Reading {3}|Analysing) \[[= ]{20}\] +\d+% · /);
    const erase = '\r\x1b[K';
    const answer = output.slice(output.lastIndexOf(erase) + erase.length);
    const [command, ...args] = [process.execPath, ...bigArgs, big, 'lighthouse keeper'];
    const piped = await run(command, args, {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: '', TERM: 'xterm', CACHE_DIR: await coldCache() },
    });
    expect(piped.stderr).toBe('');
    expect(JSON.parse(piped.stdout)).toEqual(JSON.parse(answer));
    expect(piped.stdout).not.toContain('\r');
  }, 180_000);
});
