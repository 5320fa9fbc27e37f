/**
 * The bot sharded as an operator runs it (`npm run dev`: the sources, started as `npm start` starts
 * the build) with SHARDS=auto against the fake Discord,
 * which recommends 2 shards and routes each guild to shard (guild_id >> 22) % 2. The launcher saves
 * the index once and starts the shard processes with discord.js's ShardingManager: by default one
 * process running both shards (one discord.js Client, two gateway connections, one index), with
 * SHARDS_PER_PROCESS=1 one process per shard. Each shard answers its own guild from the saved index
 * (nothing analyses it again), and a /reload in one shard reaches both, with one report for the
 * admin. Every process is stopped at the end, whatever happens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { definitions } from '../../../commands/index.js';
import { PROJECT_ROOT } from '../../../src/bot/config.js';
import { registerCommands } from '../../../src/discord/registration.js';
import { answerOf, unhandledRejections } from '../../../testing/fake-discord/harness.js';
import { SPACEPORT_TEXT } from '../../../testing/fake-discord/fixture.js';
import { FakeDiscord } from '../../../testing/fake-discord/server.js';
import { UNSET_SETTINGS } from '../../helpers/bot-process.js';

const ADMIN_USER_ID = '1400000000000000888';

interface LogLine {
  msg: string;
  /** A shard process's log lines: its shard id, or its ids when it runs several. */
  shard?: number | number[];
  [key: string]: unknown;
}

/** How a shard process labels its log lines (src/app/main.ts): its one id, or all of them. */
const label = (group: readonly number[]): number | readonly number[] => (group.length === 1 ? group[0]! : group);

let fake: FakeDiscord;
/** A second guild, on shard 0 (the fake's own guild is on shard 1). */
let otherGuild: { guildId: string; channelId: string };
let tmp: string;
let launcher: ChildProcess | undefined;
/** What the current test's launcher and its shard processes wrote (a killed one's late output goes to its own test's). */
let output = { text: '' };

/** The parsed JSON log lines of every process so far (the launcher's and both shards'). */
const logLines = (): LogLine[] =>
  output.text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

async function waitForLog(predicate: (line: LogLine) => boolean, count = 1, timeoutMs = 60_000): Promise<LogLine[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = logLines().filter(predicate);
    if (found.length >= count) return found;
    if (launcher?.exitCode !== null) throw new Error(`the launcher exited early:\n${output.text}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for a log line:\n${output.text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whether any process of the launcher's process group is still running. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  fake = await FakeDiscord.start();
  fake.recommendedShards = 2;
  otherGuild = fake.addGuild(FakeDiscord.guildIdOnShard(0, 2));
  await registerCommands({ token: fake.token, clientId: fake.applicationId, guildId: fake.guildId, apiUrl: fake.apiUrl }, definitions);
  tmp = await mkdtemp(join(tmpdir(), 'archivist-shards-'));
});

/** Whatever happened, no process of a test outlives it: the launcher leads a process group that holds npm, the launcher and the shard processes. */
function killLauncher(): void {
  if (launcher?.pid && groupAlive(launcher.pid)) process.kill(-launcher.pid, 'SIGKILL');
}

afterEach(killLauncher);

afterAll(async () => {
  killLauncher();
  await fake?.close();
  await rm(tmp, { recursive: true, force: true });
  expect(unhandledRejections).toEqual([]);
});

describe.each([
  { name: 'one process for both shards (the default)', perProcess: undefined, processes: [[0, 1]] },
  { name: 'one process per shard (SHARDS_PER_PROCESS=1)', perProcess: '1', processes: [[0], [1]] },
])('npm run dev with SHARDS=auto, two shards: $name', ({ perProcess, processes }) => {
  test('each shard answers its own guild from the saved index; a /reload in one reaches both, with one report', async () => {
    const out = (output = { text: '' });
    const identified = fake.identifies.length;
    expect(FakeDiscord.shardOf(otherGuild.guildId, 2)).toBe(0);
    expect(FakeDiscord.shardOf(fake.guildId, 2)).toBe(1);
    const processOf = (shard: number): number[] => processes.find((group) => group.includes(shard))!;
    const guilds = [
      { shard: 0, guildId: otherGuild.guildId, channelId: otherGuild.channelId },
      { shard: 1, guildId: fake.guildId, channelId: fake.channelId },
    ];

    const dataDir = join(tmp, `archive-${processes.length}`);
    await mkdir(dataDir);
    await writeFile(join(dataDir, 'summit.md'), `# A New Landmark, Summit at a Spaceport\n\n${SPACEPORT_TEXT}\n`);

    launcher = spawn('npm', ['run', 'dev', '--silent'], {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: tmp,
        npm_config_cache: join(tmp, '.npm'),
        npm_config_update_notifier: 'false',
        ...UNSET_SETTINGS,
        DISCORD_TOKEN: fake.token,
        DISCORD_API_URL: fake.apiUrl,
        DATA_DIR: dataDir,
        ADMIN_USER_IDS: ADMIN_USER_ID,
        LOG_LEVEL: 'debug',
        SHARDS: 'auto',
        ...(perProcess ? { SHARDS_PER_PROCESS: perProcess } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    launcher.stdout!.on('data', (d) => (out.text += String(d)));
    launcher.stderr!.on('data', (d) => (out.text += String(d)));
    const exited = once(launcher, 'close');

    // The launcher asked the fake (DISCORD_API_URL) how many shards, saved the index, started both.
    await waitForLog((l) => l.msg === 'every shard ready');
    expect(logLines().find((l) => l.msg === 'starting shards')).toMatchObject({ total: 2, here: [0, 1], processes, auto: true });
    expect(
      fake.identifies
        .slice(identified)
        .map((identify) => identify.shard as number[])
        .sort(),
    ).toEqual([
      [0, 2],
      [1, 2],
    ]);
    // Each shard process loaded the index once, for all its shards, from what the launcher saved: nothing analysed again.
    const loads = logLines().filter((l) => l.msg === 'archive loaded');
    expect(loads.map((l) => [l.shard, l.cache, l.documentsAnalyzed])).toEqual(
      expect.arrayContaining(processes.map((group) => [label(group), 'snapshot', 0])),
    );
    expect(loads).toHaveLength(processes.length);
    // The launcher waited for every shard of a process, not its first: both logged in before "every shard ready".
    expect(logLines().filter((l) => l.msg === 'shard ready')).toHaveLength(2);

    const askEverywhere = async (question: string): Promise<string[]> => {
      const contents: string[] = [];
      for (const { shard, guildId, channelId } of guilds) {
        // A fresh member each time: one process keeps one per-user cooldown for all its shards.
        const interaction = fake.slashCommand(fake.member(), 'ask', { question }, channelId);
        expect(interaction.guild_id).toBe(guildId);
        contents.push(String((await answerOf(fake, interaction, { timeoutMs: 15_000 })).message.content));
        // The process of the shard that owns the guild handled it, and only that one (the fake sends a
        // guild's events only on its shard's gateway connection).
        const handled = await waitForLog((l) => l.msg === 'handled' && l.guildId === guildId && l.command === 'ask');
        expect(new Set(handled.map((l) => l.shard))).toEqual(new Set([label(processOf(shard))]));
      }
      return contents;
    };

    for (const content of await askEverywhere('Where did Kim Jong Un meet Putin?')) expect(content).toContain('Vostochny Spaceport');

    // A document added, then one /reload from the guild on shard 0.
    await writeFile(join(dataDir, 'tidal.md'), '# Tidal power\n\nA tidal power station began operating on the west coast.\n');
    const reload = fake.slashCommand({ user: fake.makeUser(ADMIN_USER_ID, 'admin') }, 'reload', {}, otherGuild.channelId);
    const report = await answerOf(fake, reload, { timeoutMs: 60_000 });
    expect(report.message.content).toMatch(
      /^\*\*Reloaded\*\* in \d+\.\d s: 2 documents; 1 added, 0 changed, 0 removed, 1 unchanged, 0 skipped\./,
    );
    expect(report.message.content).toContain('**Shards:** all 2 switched to the new index.');
    // One report: the deferral and its one edit, no follow-up and nothing sent from the other shard.
    const toThisInteraction = fake.requests.filter((r) => r.path.includes(reload.token as string));
    expect(toThisInteraction.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 204', 'PATCH 200']);

    // Every shard process reloaded, each from the index the launcher saved for the reload.
    const reloads = await waitForLog((l) => l.msg === 'archive reloaded', processes.length);
    expect(reloads.map((l) => [l.shard, l.documents, l.added, l.cache, l.documentsAnalyzed])).toEqual(
      expect.arrayContaining(processes.map((group) => [label(group), 2, 1, 'snapshot', 0])),
    );
    expect(reloads).toHaveLength(processes.length);
    for (const content of await askEverywhere('tidal power station')) expect(content).toContain('**tidal power station**');

    // SIGTERM to npm reaches the launcher, which stops both shards and exits 0; nothing is left running.
    launcher.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    const deadline = Date.now() + 15_000;
    while (groupAlive(launcher.pid!) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(groupAlive(launcher.pid!)).toBe(false);
    expect(
      logLines()
        .filter((l) => l.msg === 'disconnected')
        .map((l) => l.shard),
    ).toEqual(expect.arrayContaining(processes.map(label)));
    expect(logLines().filter((l) => l.msg === 'disconnected')).toHaveLength(processes.length);
    launcher = undefined;
    expect(out.text).not.toContain(fake.token);
    expect(out.text).not.toMatch(/"level":"error"/);
  }, 150_000);
});

describe('npm start with shards and a bad archive folder', () => {
  test('an archive folder that cannot be read stops the launcher before any shard connects: exit 1 and the reason', async () => {
    const identified = fake.identifies.length;
    const missing = join(tmp, 'no-such-archive');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/main.ts'], {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        ...UNSET_SETTINGS,
        DISCORD_TOKEN: fake.token,
        DISCORD_API_URL: fake.apiUrl,
        DATA_DIR: missing,
        SHARDS: '2',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const [code] = (await once(child, 'close')) as [number | null];
    expect(code).toBe(1);
    expect(stderr).toContain(`Archivist could not start: DATA_DIR ${missing} does not exist`);
    expect(fake.identifies.length).toBe(identified);
  }, 60_000);
});
