/**
 * `npx tsx bench/shards.ts` — the sharded bot on the generated archive, through the fake Discord:
 * how long `npm start` with SHARDS=N takes until every shard has logged in (with no saved index, then
 * with one), where that time goes (the launcher's one analysis, each process's read of the saved
 * index), the memory of each process (the launcher and every shard process), and a /reload carried
 * to every shard — for each shard count and SHARDS_PER_PROCESS asked, on one archive (the analysis
 * with no saved index runs once, for the first of them).
 *
 *   npx tsx bench/shards.ts                          100,000 passages, 2 shards, all in one process
 *   npx tsx bench/shards.ts --shards=2,4 --per-process=1,all
 *   npx tsx bench/shards.ts --passages=20000 --shards=3
 *
 * Memory is the resident set (VmRSS) of each process a few seconds after the last shard logged in,
 * and its peak (VmHWM), read from /proc — Linux only. Not after a forced garbage collection: what an
 * operator would see in `top`. The machine total is the launcher plus every shard process.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { definitions } from '../commands/index.js';
import { registerCommands } from '../src/discord/registration.js';
import { FakeDiscord, MANAGE_GUILD, MEMBER_PERMISSIONS } from '../testing/fake-discord/server.js';
import { generateArchive } from './data/generated.js';
import { machineInfo } from './machine.js';
import { projectRoot } from './paths.js';
import { writeMarkdownArchive } from './startup/files.js';

/** SHARDS_PER_PROCESS: a number, or `all` (unset: every shard in one process). */
type PerProcess = number | 'all';

interface Args {
  passages: number;
  shards: number[];
  perProcess: PerProcess[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = { passages: 100_000, shards: [2], perProcess: ['all'] };
  const counts = (value: string, all = false): PerProcess[] | undefined => {
    const list = value.split(',').map((v) => (all && v === 'all' ? 'all' : Number(v)));
    return list.every((n) => n === 'all' || (Number.isInteger(n) && n > 0)) ? list : undefined;
  };
  for (const arg of argv) {
    const [key, value = ''] = arg.split('=', 2) as [string, string?];
    const n = Number(value);
    const list = counts(value, key === '--per-process');
    if (key === '--passages' && Number.isInteger(n) && n > 0) args.passages = n;
    else if (key === '--shards' && list) args.shards = list as number[];
    else if (key === '--per-process' && list) args.perProcess = list;
    else throw new Error(`bench/shards: unknown or bad option ${arg} (known: --passages=N --shards=N[,N…] --per-process=N|all[,…])`);
  }
  return args;
}

interface LogLine {
  msg: string;
  shard?: number | number[];
  durationMs?: number;
  [key: string]: unknown;
}

interface Memory {
  rssMb: number;
  peakMb: number;
}

/** VmRSS and VmHWM of a process, in MB. */
function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

/** The direct children of a process (the launcher's shard processes). */
function childrenOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
}

interface Phase {
  name: string;
  shards: number;
  perProcess: PerProcess;
  readyMs: number;
  prepareMs: number;
  prepareCache: string;
  shardLoadMs: number[];
  shardCache: string[];
  launcher: Memory;
  processes: Memory[];
  reloadMs?: number;
  processesAfterReload?: Memory[];
}

/** How many processes run `shards` shards, `perProcess` each. */
const processCount = (shards: number, perProcess: PerProcess): number => (perProcess === 'all' ? 1 : Math.ceil(shards / perProcess));

async function runPhase(
  name: string,
  fake: FakeDiscord,
  dataDir: string,
  shards: number,
  perProcess: PerProcess,
  reload: boolean,
): Promise<Phase> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/main.ts'], {
    cwd: projectRoot,
    env: {
      PATH: process.env.PATH ?? '',
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.apiUrl,
      DATA_DIR: dataDir,
      SHARDS: String(shards),
      ...(perProcess === 'all' ? {} : { SHARDS_PER_PROCESS: String(perProcess) }),
      ADMIN_USER_IDS: '1400000000000000999',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: LogLine[] = [];
  let buffered = '';
  child.stdout.on('data', (chunk) => {
    buffered += String(chunk);
    const complete = buffered.split('\n');
    buffered = complete.pop() ?? '';
    for (const line of complete) if (line.startsWith('{')) lines.push(JSON.parse(line) as LogLine);
  });
  const exited = once(child, 'exit');
  const waitFor = async (msg: string, count = 1): Promise<LogLine[]> => {
    for (;;) {
      const found = lines.filter((l) => l.msg === msg);
      if (found.length >= count) return found;
      if (child.exitCode !== null) throw new Error(`bench/shards: the launcher exited (${child.exitCode}) before "${msg}"`);
      await sleep(100);
    }
  };
  try {
    const [ready] = await waitFor('every shard ready');
    await sleep(3_000);
    const [prepared] = await waitFor('archive index saved for the shards');
    const first = (l: LogLine): number => [l.shard ?? 0].flat()[0] ?? 0;
    const loads = (await waitFor('archive loaded', processCount(shards, perProcess))).sort((a, b) => first(a) - first(b));
    const shardPids = childrenOf(child.pid!);
    const phase: Phase = {
      name,
      shards,
      perProcess,
      readyMs: ready!.durationMs ?? NaN,
      prepareMs: prepared!.durationMs ?? NaN,
      prepareCache: String((prepared!.report as { cache?: string } | undefined)?.cache),
      shardLoadMs: loads.map((l) => l.durationMs ?? NaN),
      shardCache: loads.map((l) => String(l.cache)),
      launcher: memoryOf(child.pid!),
      processes: shardPids.map(memoryOf),
    };
    if (reload) {
      const admin = { user: fake.makeUser('1400000000000000999', 'admin'), permissions: String(BigInt(MEMBER_PERMISSIONS) | MANAGE_GUILD) };
      const started = Date.now();
      const interaction = fake.slashCommand(admin, 'reload');
      await fake.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(interaction.token as string), { timeoutMs: 600_000 });
      phase.reloadMs = Date.now() - started;
      await sleep(3_000);
      phase.processesAfterReload = shardPids.map(memoryOf);
    }
    return phase;
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const args = parseArgs(process.argv.slice(2));
const archive = generateArchive({ passages: args.passages });
process.stderr.write(`bench/shards: writing ${archive.documents.length} files (${args.passages} passages)…\n`);
const { dir, remove } = await writeMarkdownArchive(archive.documents);
const fake = await FakeDiscord.start();
// Every shard of every count asked gets a guild, so every shard process has something to serve.
for (const count of args.shards) for (let shard = 0; shard < count; shard++) fake.addGuild(FakeDiscord.guildIdOnShard(shard, count));
const loads: number[] = [];
try {
  await registerCommands({ token: fake.token, clientId: fake.applicationId, guildId: fake.guildId, apiUrl: fake.apiUrl }, definitions);
  const configs = args.shards.flatMap((shards) => args.perProcess.map((perProcess) => ({ shards, perProcess })));
  const phases: Phase[] = [];
  for (const [i, { shards, perProcess }] of configs.entries()) {
    const what = `${shards} shards, SHARDS_PER_PROCESS=${perProcess === 'all' ? 'unset' : perProcess}`;
    fake.recommendedShards = shards;
    if (i === 0) {
      process.stderr.write(`bench/shards: ${what}: start with no saved index…\n`);
      loads.push(os.loadavg()[0] ?? 0);
      phases.push(await runPhase('no saved index', fake, dir, shards, perProcess, false));
    }
    process.stderr.write(`bench/shards: ${what}: start from the saved index, then /reload…\n`);
    loads.push(os.loadavg()[0] ?? 0);
    phases.push(await runPhase('saved index', fake, dir, shards, perProcess, true));
  }
  loads.push(os.loadavg()[0] ?? 0);

  const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  const mem = (m: readonly Memory[]): string => m.map((x) => `${x.rssMb} (peak ${x.peakMb})`).join(', ');
  const total = (p: Phase, after = false): number =>
    p.launcher.rssMb + (after ? (p.processesAfterReload ?? []) : p.processes).reduce((n, m) => n + m.rssMb, 0);
  const per = (p: PerProcess): string => (p === 'all' ? 'unset (all)' : String(p));
  const m = machineInfo();
  const out = [
    `Sharded start, ${args.passages.toLocaleString('en-US')} generated passages (${archive.documents.length.toLocaleString('en-US')} files), ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB, ${path.basename(process.execPath)} ${process.version}; 1-minute load ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}. MB are VmRSS (peak VmHWM).`,
    '',
    '| shards | SHARDS_PER_PROCESS | start | every shard ready | launcher: index saved | each process: archive loaded | launcher MB | each shard process MB | machine total MB |',
    '|---|---|---|---|---|---|---|---|---|',
    ...phases.map(
      (p) =>
        `| ${p.shards} | ${per(p.perProcess)} | ${p.name} | ${s(p.readyMs)} | ${s(p.prepareMs)} (${p.prepareCache}) | ${p.shardLoadMs.map(s).join(', ')} (${[...new Set(p.shardCache)].join(', ')}) | ${p.launcher.rssMb} (peak ${p.launcher.peakMb}) | ${mem(p.processes)} | ${total(p)} |`,
    ),
    '',
    '/reload from one shard, nothing changed:',
    '',
    '| shards | SHARDS_PER_PROCESS | report after | each shard process MB afterwards | machine total MB afterwards |',
    '|---|---|---|---|---|',
    ...phases
      .filter((p) => p.reloadMs !== undefined)
      .map(
        (p) =>
          `| ${p.shards} | ${per(p.perProcess)} | ${s(p.reloadMs ?? NaN)} | ${mem(p.processesAfterReload ?? [])} | ${total(p, true)} |`,
      ),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
} finally {
  await fake.close();
  await remove();
}
