/**
 * `npm run bench -- scale [--passages=1000000] [--sqlite] [--profile]` — the engine at scale, on a
 * generated archive written to disk as Markdown (deterministic: bench/data/generated.ts, the same
 * generator as the 100k set). Not part of the default run: at a million passages it takes many
 * minutes and gigabytes.
 *
 * Steps, each in a fresh child process: a cold build (which saves the on-disk index), a start from
 * the saved index (with queries during a reload), and optionally SQLite FTS5 over the same
 * documents. Prints one JSON object; docs/benchmarks.md's scale section is written by hand from it.
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runMarkedChild } from '../child.js';
import { generateArchive } from '../data/generated.js';
import { machineInfo } from '../machine.js';
import { projectRoot } from '../paths.js';
import { writeMarkdownArchive } from '../startup/files.js';

export async function runScale(argv: string[]): Promise<void> {
  let passages = 1_000_000;
  let sqlite = false;
  let profile = false;
  for (const arg of argv) {
    const [key, value = ''] = arg.split('=', 2) as [string, string?];
    if (key === '--passages') passages = Number(value);
    else if (key === '--sqlite') sqlite = true;
    else if (key === '--profile') profile = true;
    else throw new Error(`bench scale: unknown option ${arg}`);
  }
  const log = (message: string) => process.stderr.write(`[scale ${passages}] ${message}\n`);
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
    const nodeArgs = ['--expose-gc', '--max-old-space-size=8192'];
    // One folder per step: every thread (the main one, tsx's loader, analysis workers) writes its own profile.
    if (profile) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${path.join(projectRoot, 'bench/profiles', `scale-${passages}-${mode}`)}`);
    const { value, wallMs } = await runMarkedChild<Record<string, unknown>>({
      script: 'bench/scale/child.ts',
      args: [dir, queriesPath, mode],
      marker: '@@SCALE',
      nodeArgs,
      timeoutMs: 60 * 60_000,
    });
    return { ...value, processWallMs: wallMs };
  };
  try {
    const result: Record<string, unknown> = { passages, machine: machineInfo() };
    result.cold = await step('cold');
    result.start = await step('start');
    if (sqlite) {
      // The peers are a package of their own (npm --prefix bench ci): without them, say so and keep our figures.
      result.sqlite = await step('sqlite').catch((error: unknown) => ({ failed: error instanceof Error ? error.message : String(error) }));
    }
    result.totalMs = performance.now() - started;
    result.loadAtEnd = machineInfo().load;
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await remove();
  }
}
