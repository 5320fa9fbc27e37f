/**
 * `npm run bench -- cli [--runs=3] [--questions=2000] [--baseline=DIR] [--profile] [--out=FILE]` — SQuAD end to end
 * as a user runs it (issue 13): start + index + 2,000 questions through the CLI, each run a process
 * of its own from spawn to exit, beside a SQLite FTS5 process doing the same job in the same run.
 *
 *   ours, cold   `archivist ask --json --batch --data DIR` with an empty CACHE_DIR: reads, analyses,
 *                indexes (and saves the index), then answers the questions read from stdin
 *   ours, warm   the same with the saved index present
 *   FTS5         `node bench/cli/fts5-cli.js DIR`: reads the same files into an in-memory FTS5 table,
 *                answers the same questions from stdin (top 3 with a snippet and the text, as JSON lines)
 *
 * Ours runs twice over: compiled (`node dist/src/cli/main.js`, the installed `archivist` bin; the
 * harness runs `npm run build` first) and from the sources (`npm run -s cli --`, tsx). Runs alternate
 * between the variants so load from other work hits all alike; the report gives medians. The SQuAD
 * paragraphs are written as one Markdown file each (`# title`, then the paragraph).
 *
 * `--baseline=DIR` also runs the compiled CLI of DIR's build (`DIR/dist`, e.g. a worktree of main after
 * `npm run build` there), cold and warm, in the same rounds: the "before" of a change beside its "after".
 *
 * Writes a `## SQuAD through the CLI` section into docs/benchmarks.md (a full `npm run bench` keeps
 * it); `--profile` writes a CPU profile of each compiled run to bench/profiles/cli-<variant>/.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadSquad } from '../eval/squad.js';
import { machineInfo } from '../machine.js';
import { projectRoot } from '../paths.js';
import { replaceSection } from '../load-section.js';
import { subsample } from '../sets.js';
import { writeMarkdownArchive } from '../startup/files.js';

interface Args {
  /** A folder holding another build (`dist/`), e.g. a worktree of main: its compiled CLI runs too, as "before". */
  baseline: string | undefined;
  runs: number;
  questions: number;
  profile: boolean;
  out: string | undefined;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { baseline: undefined, runs: 3, questions: 2000, profile: false, out: path.join(projectRoot, 'docs/benchmarks.md') };
  for (const arg of argv) {
    const [key, value = ''] = arg.split('=', 2) as [string, string?];
    if (key === '--runs') args.runs = Number(value);
    else if (key === '--questions') args.questions = Number(value);
    else if (key === '--profile') args.profile = true;
    else if (key === '--baseline') args.baseline = path.resolve(value);
    else if (key === '--out') args.out = value || undefined;
    else throw new Error(`bench cli: unknown option ${arg}`);
  }
  if (!(args.runs >= 1) || !(args.questions >= 1)) throw new Error('bench cli: --runs and --questions must be at least 1');
  return args;
}

type VariantKey = 'fts5' | 'compiledCold' | 'compiledWarm' | 'tsxCold' | 'tsxWarm' | 'baselineCold' | 'baselineWarm';

interface Variant {
  label: string;
  /** Against FTS5's median wall time; undefined for FTS5 itself. */
  target?: number;
  command: (dir: string, profileDir: string | undefined) => { file: string; args: string[] };
  /** A fresh empty cache folder per run (cold), or the one warmed before the timed runs. */
  cache: 'cold' | 'warm' | 'none';
}

const oursArgs = (dir: string) => ['ask', '--json', '--batch', '--data', dir];
const profiled = (profileDir: string | undefined) => (profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);

const VARIANTS: Record<Exclude<VariantKey, 'baselineCold' | 'baselineWarm'>, Variant> = {
  fts5: {
    label: 'SQLite FTS5 process (`node bench/cli/fts5-cli.js`)',
    cache: 'none',
    command: (dir) => ({ file: process.execPath, args: ['bench/cli/fts5-cli.js', dir] }),
  },
  compiledCold: {
    label: 'ours, cold: `archivist ask --json --batch` (compiled), no saved index',
    target: 1.0,
    cache: 'cold',
    command: (dir, profileDir) => ({ file: process.execPath, args: [...profiled(profileDir), 'dist/src/cli/main.js', ...oursArgs(dir)] }),
  },
  compiledWarm: {
    label: 'ours, warm: the same, saved index present',
    target: 0.5,
    cache: 'warm',
    command: (dir, profileDir) => ({ file: process.execPath, args: [...profiled(profileDir), 'dist/src/cli/main.js', ...oursArgs(dir)] }),
  },
  tsxCold: {
    label: 'ours from the sources, cold: `npm run -s cli -- ask --json --batch`',
    cache: 'cold',
    command: (dir) => ({ file: 'npm', args: ['run', '-s', 'cli', '--', ...oursArgs(dir)] }),
  },
  tsxWarm: {
    label: 'ours from the sources, warm',
    cache: 'warm',
    command: (dir) => ({ file: 'npm', args: ['run', '-s', 'cli', '--', ...oursArgs(dir)] }),
  },
};
/** The compiled CLI of another build (`--baseline`), cold and warm: the "before" of a change, in the same run. */
function baselineVariants(folder: string): Record<'baselineCold' | 'baselineWarm', Variant> {
  const cli = path.join(folder, 'dist/src/cli/main.js');
  return {
    baselineCold: {
      label: `before (\`${path.basename(folder)}\`'s build), cold`,
      cache: 'cold',
      command: (dir) => ({ file: process.execPath, args: [cli, ...oursArgs(dir)] }),
    },
    baselineWarm: {
      label: `before (\`${path.basename(folder)}\`'s build), warm`,
      cache: 'warm',
      command: (dir) => ({ file: process.execPath, args: [cli, ...oursArgs(dir)] }),
    },
  };
}
const ORDER: VariantKey[] = ['fts5', 'compiledCold', 'compiledWarm', 'tsxCold', 'tsxWarm'];

interface Run {
  wallMs: number;
  answered: number;
  /** Questions whose first result is their own paragraph. */
  top1: number;
}

/** One process from spawn to exit, stdin from the questions file, stdout to a file (read afterwards). */
async function timedRun(
  variant: Variant,
  dir: string,
  questionsFile: string,
  cacheDir: string | undefined,
  outFile: string,
  profileDir: string | undefined,
): Promise<number> {
  const { file, args } = variant.command(dir, profileDir);
  const stdin = openSync(questionsFile, 'r');
  const stdout = openSync(outFile, 'w');
  try {
    const started = performance.now();
    const child = spawn(file, args, {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.homedir(), ...(cacheDir ? { CACHE_DIR: cacheDir } : {}) },
      stdio: [stdin, stdout, 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const wallMs = performance.now() - started;
    if (code !== 0) throw new Error(`${file} ${args.join(' ')} exited ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}`);
    return wallMs;
  } finally {
    closeSync(stdin);
    closeSync(stdout);
  }
}

/** Answers read back: how many, and how many put the question's own paragraph first. */
async function scoreOutput(outFile: string, gold: readonly string[]): Promise<Omit<Run, 'wallMs'>> {
  const lines = (await readFile(outFile, 'utf8')).split('\n').filter(Boolean);
  let top1 = 0;
  lines.forEach((line, i) => {
    const first = (JSON.parse(line) as { results: Array<{ docId?: string; id?: string }> }).results[0];
    const id = first?.docId ?? first?.id ?? '';
    if (path.basename(id) === gold[i]) top1++;
  });
  return { answered: lines.length, top1 };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const seconds = (msValue: number): string => `${(msValue / 1000).toFixed(2)} s`;

/** A SQuAD document id (`Super_Bowl_50#3`) as a file name of its own. */
const fileNameOf = (id: string): string => `${id.replace(/[^\p{L}\p{N}_-]+/gu, '_')}.md`;

export async function runCliBench(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const log = (message: string) => process.stderr.write(`[bench cli] ${message}\n`);
  const loadAtStart = machineInfo().load;
  const started = new Date();
  log('npm run build (the compiled CLI is what `archivist` runs)');
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: projectRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('bench cli: npm run build failed');

  const squad = await loadSquad();
  const questions = subsample(squad.queries, args.questions);
  const documents = squad.documents.map((d) => ({ ...d, file: fileNameOf(d.id) }));
  const goldFile = new Map(squad.documents.map((d) => [d.id, fileNameOf(d.id)]));
  const gold = questions.map((q) => goldFile.get(q.gold)!);
  const { dir, remove } = await writeMarkdownArchive(documents);
  const work = await mkdtemp(path.join(os.tmpdir(), 'archivist-bench-cli-'));
  try {
    const questionsFile = path.join(work, 'questions.txt');
    // One question per line: a question's own line breaks (none in SQuAD dev, but) would split it.
    await writeFile(questionsFile, questions.map((q) => q.text.replace(/\s+/g, ' ').trim()).join('\n') + '\n');
    const outFile = path.join(work, 'answers.jsonl');
    const variants: Partial<Record<VariantKey, Variant>> = { ...VARIANTS, ...(args.baseline ? baselineVariants(args.baseline) : {}) };
    const order = ORDER.concat(args.baseline ? ['baselineCold', 'baselineWarm'] : []);
    // Each warm variant has a cache of its own, made by one untimed run: the tsx run's engine key
    // differs from the build's (its sources are .ts), and a baseline's code may differ too.
    log(`${documents.length} paragraphs, ${questions.length} questions; warming the saved indexes (untimed)`);
    const warmCaches = new Map<VariantKey, string>();
    for (const key of order.filter((k) => variants[k]!.cache === 'warm')) {
      warmCaches.set(key, path.join(work, `warm-${key}`));
      await timedRun(variants[key]!, dir, questionsFile, warmCaches.get(key), outFile, undefined);
    }

    const runs = Object.fromEntries(order.map((key) => [key, [] as Run[]])) as Partial<Record<VariantKey, Run[]>>;
    for (let i = 0; i < args.runs; i++) {
      for (const key of order) {
        const variant = variants[key]!;
        const cacheDir =
          variant.cache === 'warm' ? warmCaches.get(key) : variant.cache === 'cold' ? path.join(work, `cold-${key}-${i}`) : undefined;
        const profileDir = args.profile && key.startsWith('compiled') ? path.join(projectRoot, 'bench/profiles', `cli-${key}`) : undefined;
        if (profileDir) await mkdir(profileDir, { recursive: true });
        const wallMs = await timedRun(variant, dir, questionsFile, cacheDir, outFile, profileDir);
        if (variant.cache === 'cold') await rm(cacheDir!, { recursive: true, force: true });
        const scored = await scoreOutput(outFile, gold);
        runs[key]!.push({ wallMs, ...scored });
        log(`run ${i + 1}/${args.runs} ${key}: ${seconds(wallMs)} (${scored.answered} answers, top1 ${scored.top1})`);
      }
    }
    const section = renderSection({
      args,
      variants,
      order,
      runs,
      questions: questions.length,
      paragraphs: documents.length,
      loadAtStart,
      started,
    });
    process.stdout.write(`${section}\n`);
    if (args.out) {
      const previous = await readFile(args.out, 'utf8').catch(() => '');
      await writeFile(args.out, replaceSection(previous, section, CLI_SECTION));
      log(`wrote ${path.relative(process.cwd(), args.out)}`);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
    await remove();
  }
}

/** The heading of this benchmark's section in docs/benchmarks.md. */
export const CLI_SECTION = 'SQuAD through the CLI';

interface SectionInput {
  args: Args;
  variants: Partial<Record<VariantKey, Variant>>;
  order: VariantKey[];
  runs: Partial<Record<VariantKey, Run[]>>;
  questions: number;
  paragraphs: number;
  loadAtStart: number;
  started: Date;
}

function renderSection({ args, variants, order, runs, questions, paragraphs, loadAtStart, started }: SectionInput): string {
  const machine = machineInfo();
  const fts = median(runs.fts5!.map((r) => r.wallMs));
  const rows = order.map((key) => {
    const variant = variants[key]!;
    const walls = runs[key]!.map((r) => r.wallMs);
    const m = median(walls);
    const ratio = key === 'fts5' ? '1.00×' : `${(m / fts).toFixed(2)}×`;
    const target = variant.target === undefined ? '' : `≤ ${variant.target.toFixed(1)}×`;
    const status = variant.target === undefined ? '' : m / fts <= variant.target ? '**met**' : '**missed**';
    const last = runs[key]!.at(-1)!;
    return `| ${variant.label} | ${seconds(m)} | ${seconds(Math.min(...walls))} – ${seconds(Math.max(...walls))} | ${ratio} | ${target} | ${status} | ${(last.top1 / last.answered).toFixed(3)} |`;
  });
  const load = [loadAtStart, machine.load];
  return [
    `## ${CLI_SECTION} (issue 13)`,
    '',
    `Measured ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC with \`npm run bench -- cli${args.runs !== 3 ? ` --runs=${args.runs}` : ''}${args.baseline ? ` --baseline=${path.basename(args.baseline)}` : ''}\`: ` +
      `SQuAD v1.1 (half of dev), ${paragraphs} paragraphs written as one Markdown file each, ${questions} questions (every n-th) on stdin, ` +
      `one line each. Each figure is one process from spawn to exit (start + read + index + all answers as JSON lines), ` +
      `median of ${args.runs} runs; the variants alternate within each round. Cold = an empty \`CACHE_DIR\` (so the run also saves its index); ` +
      `warm = the saved index of an earlier run present.`,
    `Machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}. Load average (1 min) at start / end: ${load[0]!.toFixed(2)} / ${load[1]!.toFixed(2)}` +
      (Math.max(...load) > machine.cores / 2
        ? ' — other work shared the cores (other agents on this machine), so timings are noisier than on an idle machine.'
        : '.'),
    '',
    '| run | wall time (median) | min – max | × FTS5 | target | status | top1 |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    'The targets are for the compiled CLI (what `archivist` runs once installed); the `npm run -s cli` rows add npm and tsx ' +
      '(which compiles the sources at every start) and are shown for comparison. FTS5 is plain `node` with better-sqlite3; its ' +
      'questions are their content words OR-ed, top 3 by `bm25()` with a `snippet()`. top1 = the question’s own paragraph first.',
  ].join('\n');
}
