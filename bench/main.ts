/**
 * `npm run bench` — our engine against the peer libraries on every data set (usage: USAGE below,
 * `npm run bench -- --help`).
 *
 * Each system × data set runs in a child process (bench/job.ts) so memory
 * figures are the system's own; jobs run one after another.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { JobResult, JobSpec } from './job.js';
import { runMarkedChild } from './child.js';
import { machineInfo } from './machine.js';
import { projectRoot } from './paths.js';
import { SYSTEM_KEYS, isSystemKey, type SystemKey } from './peers/index.js';
import { keepLoadSection, renderReport, type JobFailure } from './report.js';
import { runScale } from './scale/main.js';
import { SET_KEYS, SIZES, isSetKey, type SetKey } from './sets.js';

const USAGE = `npm run bench                      full run; writes docs/benchmarks.md
npm run bench -- --quick           smoke run on small subsets (CI); prints only
npm run bench -- --sets=squad,cranfield --systems=archivist,minisearch
npm run bench -- --profile         also write a CPU profile of each of our jobs to bench/profiles/
npm run bench -- --out=FILE        write the Markdown to FILE (--out= to write nothing)
npm run bench -- --ours-options='{"ranking":{"minCoverage":0}}'   try engine settings (ArchiveOptions)
npm run bench -- scale [--passages=N] [--sqlite] [--profile]   the engine at 1M passages (bench/scale/main.ts)
npm run bench -- hash [--passages=N] [--dump=FILE]   a hash of 1,000s of answers, for changes that must not move them
npm run bench -- cli [--runs=3] [--questions=2000] [--profile]  SQuAD through the CLI vs an FTS5 process (bench/cli/main.ts)`;

/** A mistake in the command line: said in one line with the usage, not as a stack trace. */
class UsageError extends Error {}

interface Args {
  quick: boolean;
  sets: SetKey[];
  systems: SystemKey[];
  out: string | undefined;
  profile: boolean;
  /** ArchiveOptions for our engine, as JSON (for trying settings; the report prints them). */
  oursOptions: string | undefined;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    quick: false,
    sets: [...SET_KEYS],
    systems: [...SYSTEM_KEYS],
    out: undefined,
    profile: false,
    oursOptions: undefined,
  };
  let outGiven = false;
  for (const arg of argv) {
    const [key, value = ''] = arg.split('=', 2) as [string, string?];
    if (key === '--quick') args.quick = true;
    else if (key === '--profile') args.profile = true;
    else if (key === '--ours-options') {
      try {
        JSON.parse(value); // fail early on bad JSON
      } catch {
        throw new UsageError(`bench: --ours-options is not JSON: ${value}`);
      }
      args.oursOptions = value;
    } else if (key === '--sets') {
      const sets = value.split(',').filter(Boolean);
      const bad = sets.filter((s) => !isSetKey(s));
      if (bad.length) throw new UsageError(`bench: unknown set ${bad.join(', ')} (known: ${SET_KEYS.join(', ')})`);
      args.sets = sets as SetKey[];
    } else if (key === '--systems') {
      const systems = value.split(',').filter(Boolean);
      const bad = systems.filter((s) => !isSystemKey(s));
      if (bad.length) throw new UsageError(`bench: unknown system ${bad.join(', ')} (known: ${SYSTEM_KEYS.join(', ')})`);
      args.systems = systems as SystemKey[];
    } else if (key === '--out') {
      outGiven = true;
      args.out = value || undefined;
    } else throw new UsageError(`bench: unknown option ${arg}`);
  }
  // A full run over everything is the one docs/benchmarks.md records; partial and quick runs only print.
  const complete = args.sets.length === SET_KEYS.length && args.systems.length === SYSTEM_KEYS.length && !args.oursOptions;
  if (!outGiven && !args.quick && complete) args.out = path.join(projectRoot, 'docs/benchmarks.md');
  return args;
}

/** A job that runs longer than this is stopped and reported as failed. */
const JOB_TIMEOUT_MS = { full: 240_000, quick: 60_000 };
/**
 * Ours on the generated set also loads the archive from disk twice in child processes and times
 * queries during a full worker reload, after its usual figures: about three builds more (over 600 s at
 * load 5-7 on 2 cores).
 */
const GENERATED_OURS_TIMEOUT_MS = { full: 1_200_000, quick: 120_000 };

async function runChild(spec: JobSpec, profile: boolean): Promise<JobResult> {
  const nodeArgs = ['--expose-gc'];
  if (profile) {
    nodeArgs.push(
      '--cpu-prof',
      `--cpu-prof-dir=${path.join(projectRoot, 'bench/profiles')}`,
      `--cpu-prof-name=${spec.set}-${spec.system}.cpuprofile`,
    );
  }
  const mode = spec.quick ? 'quick' : 'full';
  const timeoutMs = (spec.set === 'generated' && spec.system === 'archivist' ? GENERATED_OURS_TIMEOUT_MS : JOB_TIMEOUT_MS)[mode];
  const { value } = await runMarkedChild<JobResult>({
    script: 'bench/job.ts',
    args: [JSON.stringify(spec)],
    marker: '@@RESULT',
    nodeArgs,
    timeoutMs,
  });
  return value;
}

async function main(): Promise<void> {
  if (process.argv[2] === 'load') {
    // bench/load.ts reads its own options (it skips the leading `load`) and runs on import.
    await import('./load.js');
    return;
  }
  if (process.argv[2] === 'cli') {
    const { runCliBench } = await import('./cli/main.js');
    await runCliBench(process.argv.slice(3));
    return;
  }
  if (process.argv[2] === 'hash') {
    const { runResultsHash } = await import('./results-hash.js');
    await runResultsHash(process.argv.slice(3));
    return;
  }
  if (process.argv[2] === 'scale') {
    await runScale(process.argv.slice(3));
    return;
  }
  if (process.argv[2] === '--help' || process.argv[2] === '-h') {
    console.log(USAGE);
    return;
  }
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const started = performance.now();
  const loadAtStart = machineInfo().load;
  if (args.profile) await mkdir(path.join(projectRoot, 'bench/profiles'), { recursive: true });
  const mode = args.quick ? 'quick' : 'full';
  const results: JobResult[] = [];
  const failures: JobFailure[] = [];
  const jobs: JobSpec[] = [];
  for (const set of args.sets) {
    for (const system of args.systems) {
      const skipped = SIZES[mode][set].skip?.[system];
      if (skipped) failures.push({ set, system, reason: skipped, skipped: true });
      else
        jobs.push({
          set,
          system,
          quick: args.quick,
          ...(system === 'archivist' && args.oursOptions ? { oursOptions: args.oursOptions } : {}),
        });
    }
  }
  for (const [i, spec] of jobs.entries()) {
    const t0 = performance.now();
    process.stderr.write(`[${i + 1}/${jobs.length}] ${spec.set} · ${spec.system} … `);
    try {
      const result = await runChild(spec, args.profile && spec.system === 'archivist');
      results.push(result);
      process.stderr.write(`${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      failures.push({ set: spec.set, system: spec.system, reason });
      process.stderr.write(`FAILED (${reason})\n`);
    }
  }
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const machine = machineInfo();
  const markdown = renderReport({
    machine,
    load: [loadAtStart, machine.load],
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    mode: args.quick ? 'quick' : 'full',
    command,
    oursOptions: args.oursOptions,
    totalSeconds: (performance.now() - started) / 1000,
    results,
    failures,
  });
  process.stdout.write(markdown);
  if (args.out) {
    await mkdir(path.dirname(args.out), { recursive: true });
    // A `## Load` section in the file (written by another tool) is kept, not overwritten.
    const previous = await readFile(args.out, 'utf8').catch(() => undefined);
    await writeFile(args.out, keepLoadSection(markdown, previous));
    process.stderr.write(`wrote ${path.relative(process.cwd(), args.out)}\n`);
  }
  if (failures.some((f) => !f.skipped)) process.exitCode = 1;
}

await main();
