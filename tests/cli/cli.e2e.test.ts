import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Where runs over the bundled data/ keep their index: never in data/ itself. */
const BUNDLED_DATA_CACHE = mkdtempSync(path.join(tmpdir(), 'archivist-cli-cache-'));

/** Does this run read the bundled data/ (no --data, or a path inside it)? */
function readsBundledData(args: string[]): boolean {
  const at = args.indexOf('--data');
  return at < 0 || path.resolve(ROOT, args[at + 1] ?? '').startsWith(path.join(ROOT, 'data'));
}

/** Run the CLI as a real process, the way scripts call it. */
async function cli(args: string[], input?: string, viaNpm = false, env: Record<string, string> = {}): Promise<Outcome> {
  const [command, argv] = viaNpm
    ? ['npm', ['run', '-s', 'cli', '--', ...args]]
    : [process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args]];
  const cacheDir = readsBundledData(args) ? BUNDLED_DATA_CACHE : '';
  const child = run(command, argv, { cwd: ROOT, env: { ...process.env, DATA_DIR: '', CACHE_DIR: cacheDir, NO_COLOR: '1', ...env } });
  if (input !== undefined) {
    child.child.stdin!.end(input);
  }
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

describe('cli search', () => {
  it('ranks a topic as /search does and prints the same JSON shape as ask, with a misspelling corrected', async () => {
    const { code, stdout } = await cli(['search', '--json', '--limit', '5', 'Vostochny spaceprot carrier rocket']);
    expect(code).toBe(0);
    const answer = JSON.parse(stdout);
    expect(answer.results.length).toBeGreaterThan(0);
    expect(answer.corrections).toEqual([{ from: 'spaceprot', to: 'spaceport' }]);
    expect(Object.keys(answer.results[0])).toEqual([
      'docId',
      'title',
      'source',
      'date',
      'url',
      'passage',
      'score',
      'excerpt',
      'text',
      'highlights',
      'missing',
    ]);
  });

  it('2 with a one-line message for an empty topic', async () => {
    const { code, stderr } = await cli(['search', '']);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe('archivist: the topic is empty: npm run -s cli -- search "your topic"');
  });
});

describe('cli ask --json', () => {
  it('prints one object with the documented fields (through npm run -s cli)', async () => {
    const { code, stdout } = await cli(['ask', '--json', 'Where did Kim Jong Un meet Putin?'], undefined, true);
    expect(code).toBe(0);
    const answer = JSON.parse(stdout);
    expect(answer.query).toBe('Where did Kim Jong Un meet Putin?');
    expect(answer.results.length).toBeGreaterThan(0);
    const [top] = answer.results;
    expect(Object.keys(top)).toEqual(
      expect.arrayContaining(['docId', 'title', 'source', 'date', 'url', 'passage', 'score', 'excerpt', 'text']),
    );
    expect(top.docId).toBe('a-new-landmark-summit-at-a-spaceport.md');
    expect(top.title).toBe('A New Landmark, Summit at a Spaceport');
    expect(top.passage).toBe(1);
    expect(top.text).toContain('at the Vostochny Spaceport');
    expect(top.excerpt.length).toBeLessThanOrEqual(350);
    expect(top.text.replace(/\s+/g, ' ')).toContain(top.excerpt);
    expect(typeof top.score).toBe('number');
  });

  it('honours --limit and --data (a single file)', async () => {
    const { code, stdout } = await cli([
      'ask',
      '--json',
      '--limit',
      '1',
      '--data',
      'data/a-new-landmark-summit-at-a-spaceport.md',
      'spaceport',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).results).toHaveLength(1);
  });

  it('an empty result list is a success', async () => {
    const { code, stdout } = await cli(['ask', '--json', 'What is the capital of Mongolia?']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ query: 'What is the capital of Mongolia?', results: [] });
  });

  it('--batch answers one question per line, in order, one JSON object per line', async () => {
    const { code, stdout } = await cli(
      ['ask', '--json', '--batch', '--limit', '2'],
      'Soyuz 2\n\nRodong Sinmun\nWhat is the capital of Mongolia?\n',
    );
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => l.query)).toEqual(['Soyuz 2', '', 'Rodong Sinmun', 'What is the capital of Mongolia?']);
    expect(lines[0].results[0].text).toContain('Soyuz-2');
    expect(lines[1]).toMatchObject({ results: [], error: 'empty question' });
    expect(lines[2].results[0].text).toContain('Rodong Sinmun');
    expect(lines[3].results).toEqual([]);
  });
});

describe('cli --help and --version', () => {
  it('--help lists every option with its default, the environment and the exit codes, and exits 0', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    for (const option of [
      '--data PATH',
      '--limit N',
      '--json',
      '--batch',
      '--from DATE',
      '--to DATE',
      '--source NAME',
      '--help',
      '--version',
    ]) {
      expect(stdout).toContain(option);
    }
    expect(stdout).toContain('(default: 3)');
    expect(stdout).toMatch(/DATA_DIR/);
    expect(stdout).toMatch(/CACHE_DIR/);
    expect(stdout).toMatch(/Exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 /);
    expect((await cli(['-h'])).stdout).toBe(stdout);
  });

  it('--version prints the package version and exits 0', async () => {
    const { version } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8'));
    expect(await cli(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n` });
    expect((await cli(['-v'])).stdout).toBe(`${version}\n`);
  });
});

describe('cli exit codes', () => {
  it('2 with a one-line message for an empty question', async () => {
    const { code, stderr, stdout } = await cli(['ask', '   ']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toBe('archivist: the question is empty: npm run ask -- "your question"');
  });

  it('2 for a bad option value or unknown command', async () => {
    const [badLimit, badDate, badCommand, badFlag] = await Promise.all([
      cli(['ask', '--limit', 'zero', 'x']),
      cli(['ask', '--from', '2024-13', 'x']),
      cli(['frobnicate']),
      cli(['ask', '--no-such-flag', 'x']),
    ]);
    expect(badLimit.code).toBe(2);
    expect(badLimit.stderr.split('\n')[0]).toBe('archivist: --limit must be a whole number from 1 to 50, not "zero"');
    expect(badDate.code).toBe(2);
    expect(badDate.stderr.split('\n')[0]).toBe('archivist: Invalid from date "2024-13": use YYYY, YYYY-MM or YYYY-MM-DD.');
    expect(badCommand.code).toBe(2);
    expect(badCommand.stderr.split('\n')[0]).toBe('archivist: unknown command "frobnicate" (expected ask, search, index or feedback)');
    expect(badFlag.code).toBe(2);
  });

  it('1 when the archive cannot be loaded', async () => {
    const { code, stderr } = await cli(['ask', '--data', '/definitely/not/here', 'x']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^archivist: Cannot load archive: /);
  });
});

describe('cli: why an answer is empty', () => {
  it('a date or source filter that ruled out every match says so, with what the archive holds', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'archivist-cli-'));
    await writeFile(
      path.join(dir, 'a.md'),
      '---\ntitle: Rockets\nsource: KCNA\ndate: 2023-09-14\n---\n\nThe rocket was launched from the spaceport.',
    );
    const dated = await cli(['ask', '--data', dir, '--from', '2030', 'rocket spaceport']);
    expect(dated.code).toBe(0);
    expect(dated.stdout).toContain('Passages match those words, but none in a document the filters (dates, source) let through.');
    expect(dated.stdout).toContain(
      "Filters applied: from 2030; try without them (the archive's documents are dated 2023-09-14 to 2023-09-14; its sources: KCNA).",
    );
    expect(dated.stdout).not.toContain('share too little');
    const bySource = await cli(['ask', '--data', dir, '--json', '--source', 'Nowhere', 'rocket spaceport']);
    expect(JSON.parse(bySource.stdout)).toMatchObject({ results: [], total: 0, emptyReason: 'filtered' });
    // Without a filter the same question is answered.
    expect(JSON.parse((await cli(['ask', '--data', dir, '--json', 'rocket spaceport'])).stdout).total).toBe(1);
  });

  it('an empty archive says it is empty, on stdout and (with why) on stderr', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'archivist-cli-'));
    await writeFile(path.join(dir, 'notes.pdf'), '%PDF');
    const { code, stdout, stderr } = await cli(['ask', '--data', dir, 'rocket']);
    expect(code).toBe(0);
    expect(stdout).toContain('The archive is empty: it holds no document to search.');
    expect(stderr).toContain(`archivist: the archive ${dir} is empty: it has no file the archive reads (.md .markdown`);
    const json = await cli(['ask', '--data', dir, '--json', 'rocket']);
    expect(JSON.parse(json.stdout).emptyReason).toBe('empty-archive');
  });
});

describe('cli readable output and index', () => {
  it('ask prints the quote and its source like the bot does', async () => {
    const { code, stdout } = await cli(['ask', 'Who', 'briefed', 'Kim', 'Jong', 'Un?']);
    expect(code).toBe(0);
    expect(stdout).toContain('Q: Who briefed Kim Jong Un?');
    expect(stdout).toContain('**brief Kim Jong Un**');
    expect(stdout).toContain('— A New Landmark, Summit at a Spaceport · passage 6');
  });

  it('index reports documents, passages, terms, skipped files and timings', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'archivist-cli-'));
    await writeFile(
      path.join(dir, 'a.md'),
      `# Alpha\n\n${'First paragraph about rockets. '.repeat(10)}\n\n${'Second paragraph about rice. '.repeat(10)}`,
    );
    const { code, stdout } = await cli(['index', '--data', dir]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Documents: 1\b/);
    expect(stdout).toMatch(/Passages: {2}2\b/);
    expect(stdout).toMatch(/Terms: {5}\d+/);
    expect(stdout).toMatch(/Time: {6}load \d+ ms, analyse \d+ ms, index \d+ ms, save \d+ ms/);
    expect(stdout).toMatch(/Skipped: {3}0/);
    expect(stdout).toContain(
      'Cache:     rebuilt: 1 file analysed (1 document), 0 reused from the cache; since the saved index: 1 added, 0 changed, 0 removed',
    );
    expect(stdout).toContain(`           in ${path.join(dir, '.archivist-cache')}`);

    // The second run starts from the saved index.
    const again = await cli(['index', '--data', dir]);
    expect(again.stdout).toMatch(/Cache: {5}saved index used, nothing analysed \(1 file unchanged, [01] read to check\)/);
    expect(again.stdout).toMatch(/Passages: {2}2\b/);
  });

  it('index with CACHE_DIR keeps the index there, not in the archive, and says where', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'archivist-cli-'));
    await mkdir(path.join(dir, 'archive'));
    await writeFile(path.join(dir, 'archive', 'a.md'), '# Alpha\n\nA paragraph about rockets.');
    const { code, stdout } = await cli(['index', '--data', path.join(dir, 'archive')], undefined, false, {
      CACHE_DIR: path.join(dir, 'cache'),
    });
    expect(code).toBe(0);
    const [cacheFolder] = await readdir(path.join(dir, 'cache'));
    expect(cacheFolder).toMatch(/^archive-[0-9a-f]{12}$/);
    expect(stdout).toContain(`           in ${path.join(dir, 'cache', cacheFolder!)}`);
    expect(await readdir(path.join(dir, 'archive'))).toEqual(['a.md']);
  });

  it('index says how many files .archivistignore left out', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'archivist-cli-'));
    await writeFile(path.join(dir, 'a.md'), '# Alpha\n\nA paragraph about rockets.');
    await writeFile(path.join(dir, 'private.md'), '# Private\n\nNot for the bot.');
    await writeFile(path.join(dir, '.archivistignore'), 'private.md\n');
    const { code, stdout } = await cli(['index', '--data', dir]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Documents: 1\b/);
    expect(stdout).toContain('Ignored:   1 (by .archivistignore)');
  });

  it('index groups skipped records by reason: one line for many', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'archivist-cli-'));
    const records = [
      { title: 'Kept', text: 'Rockets and rice.' },
      ...Array.from({ length: 4 }, (_, i) => ({ title: `Blank ${i}`, text: '' })),
    ];
    await writeFile(path.join(dir, 'feed.json'), JSON.stringify(records));
    const { code, stdout } = await cli(['index', '--data', dir]);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /Skipped: {3}4\n {2}4 records: record has no text \(looked for [^)]+\) \(e\.g\. feed\.json \(line 2\), feed\.json \(line 3\), feed\.json \(line 4\), …\)\n/,
    );
  });
});
