/**
 * `npm run bench -- scale [--passages=1000000] [--sqlite] [--profile] [--out=FILE]` — the engine at scale, on a
 * generated archive written to disk as Markdown (deterministic: bench/data/generated.ts, the same
 * generator as the 100k set). Not part of the default run: at a million passages it takes many
 * minutes and gigabytes.
 *
 * Steps, each in a fresh child process: a cold build (which saves the on-disk index), a start from
 * the saved index (with queries during a reload), and optionally SQLite FTS5 over the same
 * documents. Prints one JSON object; docs/benchmarks.md's scale section is written by hand from it.
 * The figures so far are also written to `--out` (default `bench/profiles/scale-<passages>.json`)
 * after every step, so a run stopped part-way (a session ending, a step timing out) still leaves
 * the figures of the steps it finished.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runMarkedChild } from '../child.js';
import { generateArchive } from '../data/generated.js';
import { machineInfo } from '../machine.js';
import { projectRoot } from '../paths.js';
import { writeMarkdownArchive } from '../startup/files.js';

/** The saved index's size on disk: the snapshot (index.bin) and the per-file packs, in bytes. */
async function savedIndexBytes(cacheDir: string | undefined): Promise<{ snapshot: number; packs: number } | undefined> {
  if (!cacheDir) return undefined;
  const snapshot = (await stat(path.join(cacheDir, 'index.bin'))).size;
  let packs = 0;
  for (const name of await readdir(path.join(cacheDir, 'packs'))) packs += (await stat(path.join(cacheDir, 'packs', name))).size;
  return { snapshot, packs };
}

/** A step (a cold build at a million passages took ~43 min on a crowded machine) is stopped after this. */
const STEP_TIMEOUT_MS = 60 * 60_000;

export async function runScale(argv: string[]): Promise<void> {
  let passages = 1_000_000;
  let sqlite = false;
  let profile = false;
  let out: string | undefined;
  for (const arg of argv) {
    const [key, value = ''] = arg.split('=', 2) as [string, string?];
    if (key === '--passages') passages = Number(value);
    else if (key === '--sqlite') sqlite = true;
    else if (key === '--profile') profile = true;
    else if (key === '--out') out = path.resolve(value);
    else throw new Error(`bench scale: unknown option ${arg}`);
  }
  const log = (message: string) => process.stderr.write(`[scale ${passages}] ${new Date().toISOString().slice(11, 19)} ${message}\n`);
  const partials = new Map<string, string>();
  const outFile = out ?? path.join(projectRoot, 'bench/profiles', `scale-${passages}.json`);
  await mkdir(path.dirname(outFile), { recursive: true });
  const started = performance.now();
  log('generating');
  const generated = generateArchive({ passages });
  const queries = generated.queries(1000);
  const { dir, remove } = await writeMarkdownArchive(generated.documents);
  const queriesPath = path.join(os.tmpdir(), `archivist-scale-queries-${process.pid}.json`);
  await writeFile(queriesPath, JSON.stringify(queries));
  generated.documents.length = 0;
  const step = async (mode: string) => {
    log(mode);
    partials.set(mode, `${outFile}.${mode}.partial.json`);
    const nodeArgs = ['--expose-gc', '--max-old-space-size=8192'];
    // One folder per step: every thread (the main one, tsx's loader, analysis workers) writes its own profile.
    if (profile) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${path.join(projectRoot, 'bench/profiles', `scale-${passages}-${mode}`)}`);
    const { value, wallMs } = await runMarkedChild<Record<string, unknown>>({
      script: 'bench/scale/child.ts',
      args: [dir, queriesPath, mode, partials.get(mode)!],
      marker: '@@SCALE',
      nodeArgs,
      timeoutMs: STEP_TIMEOUT_MS,
    });
    return { ...value, processWallMs: wallMs };
  };
  const result: Record<string, unknown> = { passages, machine: machineInfo(), startedAt: new Date().toISOString() };
  /** The figures so far, with the load average now: written after every step. */
  const save = async (): Promise<void> => {
    result.totalMs = performance.now() - started;
    result.loadNow = machineInfo().load;
    await writeFile(outFile, `${JSON.stringify(result, null, 2)}\n`);
    log(`figures so far in ${path.relative(process.cwd(), outFile)}`);
  };
  /** A step's figures, or why it failed (the later steps still run where they can). */
  const record = async (mode: string): Promise<void> => {
    result[mode] = await step(mode).catch(async (error: unknown) => ({
      failed: error instanceof Error ? error.message : String(error),
      // What the step measured before it failed or was stopped.
      partial: JSON.parse(await readFile(partials.get(mode)!, 'utf8').catch(() => 'null')) as unknown,
    }));
    await save();
  };
  try {
    await record('cold');
    result.savedIndex = await savedIndexBytes((result.cold as { report?: { cacheDir?: string } }).report?.cacheDir);
    await save();
    await record('start');
    // The peers are a package of their own (npm --prefix bench ci): without them, say so and keep our figures.
    if (sqlite) await record('sqlite');
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await remove();
  }
}
