/**
 * `npx tsx bench/shards.ts` — the sharded bot on the generated archive, through the fake Discord:
 * how long `npm start` with SHARDS=N takes until every shard has logged in (with no saved index, then
 * with one), where that time goes (the launcher's one analysis, each shard's read of the saved index),
 * the memory of each process (the launcher and every shard), and a /reload carried to every shard.
 *
 *   npx tsx bench/shards.ts                          100,000 passages, 2 shards; prints Markdown
 *   npx tsx bench/shards.ts --passages=20000 --shards=3
 *
 * Memory is the resident set (VmRSS) of each process a few seconds after the last shard logged in,
 * and its peak (VmHWM), read from /proc — Linux only. Not after a forced garbage collection: what an
 * operator would see in `top`.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { definitions } from '../commands/index.js';
import { registerCommands } from '../src/discord/registration.js';
import { FakeDiscord, MANAGE_GUILD, MEMBER_PERMISSIONS } from '../testing/fake-discord/server.js';
import { generateArchive } from './data/generated.js';
import { projectRoot } from './paths.js';
import { writeMarkdownArchive } from './startup/files.js';

interface Args {
  passages: number;
  shards: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { passages: 100_000, shards: 2 };
  for (const arg of argv) {
    const [key, value = ''] = arg.split('=', 2) as [string, string?];
    const n = Number(value);
    if (key === '--passages' && Number.isInteger(n) && n > 0) args.passages = n;
    else if (key === '--shards' && Number.isInteger(n) && n > 0) args.shards = n;
    else throw new Error(`bench/shards: unknown or bad option ${arg} (known: --passages=N --shards=N)`);
  }
  return args;
}

interface LogLine {
  msg: string;
  shard?: number;
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
  readyMs: number;
  prepareMs: number;
  prepareCache: string;
  shardLoadMs: number[];
  shardCache: string[];
  launcher: Memory;
  shards: Memory[];
  reloadMs?: number;
  shardsAfterReload?: Memory[];
}

async function runPhase(name: string, fake: FakeDiscord, dataDir: string, shards: number, reload: boolean): Promise<Phase> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/main.ts'], {
    cwd: projectRoot,
    env: {
      PATH: process.env.PATH ?? '',
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.apiUrl,
      DATA_DIR: dataDir,
      SHARDS: String(shards),
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
    const loads = (await waitFor('archive loaded', shards)).sort((a, b) => (a.shard ?? 0) - (b.shard ?? 0));
    const shardPids = childrenOf(child.pid!);
    const phase: Phase = {
      name,
      readyMs: ready!.durationMs ?? NaN,
      prepareMs: prepared!.durationMs ?? NaN,
      prepareCache: String((prepared!.report as { cache?: string } | undefined)?.cache),
      shardLoadMs: loads.map((l) => l.durationMs ?? NaN),
      shardCache: loads.map((l) => String(l.cache)),
      launcher: memoryOf(child.pid!),
      shards: shardPids.map(memoryOf),
    };
    if (reload) {
      const admin = { user: fake.makeUser('1400000000000000999', 'admin'), permissions: String(BigInt(MEMBER_PERMISSIONS) | MANAGE_GUILD) };
      const started = Date.now();
      const interaction = fake.slashCommand(admin, 'reload');
      await fake.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(interaction.token as string), { timeoutMs: 600_000 });
      phase.reloadMs = Date.now() - started;
      await sleep(3_000);
      phase.shardsAfterReload = shardPids.map(memoryOf);
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
fake.recommendedShards = args.shards;
// Every shard gets a guild, so every shard process has something to serve.
for (let shard = 0; shard < args.shards; shard++) fake.addGuild(FakeDiscord.guildIdOnShard(shard, args.shards));
try {
  await registerCommands({ token: fake.token, clientId: fake.applicationId, guildId: fake.guildId, apiUrl: fake.apiUrl }, definitions);
  process.stderr.write('bench/shards: start with no saved index…\n');
  const cold = await runPhase('no saved index', fake, dir, args.shards, false);
  process.stderr.write('bench/shards: start from the saved index, then /reload…\n');
  const warm = await runPhase('saved index', fake, dir, args.shards, true);

  const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  const mem = (m: readonly Memory[]): string => m.map((x) => `${x.rssMb} (peak ${x.peakMb})`).join(', ');
  const out = [
    `Sharded start, ${args.passages.toLocaleString('en-US')} generated passages (${archive.documents.length.toLocaleString('en-US')} files), ${args.shards} shards, ${path.basename(process.execPath)} ${process.version}:`,
    '',
    '| start | every shard ready | launcher: index saved | each shard: archive loaded | launcher MB | each shard MB |',
    '|---|---|---|---|---|---|',
    ...[cold, warm].map(
      (p) =>
        `| ${p.name} | ${s(p.readyMs)} | ${s(p.prepareMs)} (${p.prepareCache}) | ${p.shardLoadMs.map(s).join(', ')} (${[...new Set(p.shardCache)].join(', ')}) | ${p.launcher.rssMb} (peak ${p.launcher.peakMb}) | ${mem(p.shards)} |`,
    ),
    '',
    `/reload from one shard, nothing changed: report after ${s(warm.reloadMs ?? NaN)}; each shard afterwards: ${mem(warm.shardsAfterReload ?? [])} MB.`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
} finally {
  await fake.close();
  await remove();
}
