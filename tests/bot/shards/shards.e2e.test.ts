/**
 * The bot sharded as an operator runs it (`npm run dev`: the sources, started as `npm start` starts
 * the build) with SHARDS=auto against the fake Discord,
 * which recommends 2 shards and routes each guild to shard (guild_id >> 22) % 2. The launcher saves
 * the index once and starts two shard processes with discord.js's ShardingManager; each answers its
 * own guild from the saved index (neither analyses), and a /reload in one reaches the other, with
 * one report for the admin. Every process is stopped at the end, whatever happens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
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
  shard?: number;
  [key: string]: unknown;
}

let fake: FakeDiscord;
let tmp: string;
let launcher: ChildProcess | undefined;
let output = '';

/** The parsed JSON log lines of every process so far (the launcher's and both shards'). */
const logLines = (): LogLine[] =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

async function waitForLog(predicate: (line: LogLine) => boolean, count = 1, timeoutMs = 60_000): Promise<LogLine[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = logLines().filter(predicate);
    if (found.length >= count) return found;
    if (launcher?.exitCode !== null) throw new Error(`the launcher exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for a log line:\n${output}`);
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
  await registerCommands({ token: fake.token, clientId: fake.applicationId, guildId: fake.guildId, apiUrl: fake.apiUrl }, definitions);
  tmp = await mkdtemp(join(tmpdir(), 'archivist-shards-'));
});

afterAll(async () => {
  // Whatever happened, no process of this test outlives it: the launcher leads a process group
  // that holds npm, the launcher and both shard processes.
  if (launcher?.pid && groupAlive(launcher.pid)) process.kill(-launcher.pid, 'SIGKILL');
  await fake?.close();
  await rm(tmp, { recursive: true, force: true });
  expect(unhandledRejections).toEqual([]);
});

describe('npm run dev with SHARDS=auto: two shard processes', () => {
  test('each shard answers its own guild from the saved index; a /reload in one reaches both, with one report', async () => {
    const otherGuild = fake.addGuild(FakeDiscord.guildIdOnShard(0, 2));
    expect(FakeDiscord.shardOf(otherGuild.guildId, 2)).toBe(0);
    expect(FakeDiscord.shardOf(fake.guildId, 2)).toBe(1);
    const guilds = [
      { shard: 0, guildId: otherGuild.guildId, channelId: otherGuild.channelId },
      { shard: 1, guildId: fake.guildId, channelId: fake.channelId },
    ];

    const dataDir = join(tmp, 'archive');
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
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    launcher.stdout!.on('data', (d) => (output += String(d)));
    launcher.stderr!.on('data', (d) => (output += String(d)));
    const exited = once(launcher, 'close');

    // The launcher asked the fake (DISCORD_API_URL) how many shards, saved the index, started both.
    await waitForLog((l) => l.msg === 'every shard ready');
    expect(logLines().find((l) => l.msg === 'starting shards')).toMatchObject({ total: 2, here: [0, 1], auto: true });
    expect(fake.identifies.map((identify) => identify.shard as number[]).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    // Each shard process started from the index the launcher saved: nothing analysed again.
    const loads = logLines().filter((l) => l.msg === 'archive loaded');
    expect(loads.map((l) => [l.shard, l.cache, l.documentsAnalyzed]).sort()).toEqual([
      [0, 'snapshot', 0],
      [1, 'snapshot', 0],
    ]);

    const member = { user: fake.makeUser('1400000000000004001', 'asker') };
    const askEverywhere = async (question: string): Promise<string[]> => {
      const contents: string[] = [];
      for (const { shard, guildId, channelId } of guilds) {
        const interaction = fake.slashCommand(member, 'ask', { question }, channelId);
        expect(interaction.guild_id).toBe(guildId);
        contents.push(String((await answerOf(fake, interaction, { timeoutMs: 15_000 })).message.content));
        // The shard that owns the guild handled it, and only that one.
        const handled = await waitForLog((l) => l.msg === 'handled' && l.guildId === guildId && l.command === 'ask');
        expect(new Set(handled.map((l) => l.shard))).toEqual(new Set([shard]));
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

    // Both shard processes reloaded, each from the index the launcher saved for the reload.
    const reloads = await waitForLog((l) => l.msg === 'archive reloaded', 2);
    expect(reloads.map((l) => [l.shard, l.documents, l.added, l.cache, l.documentsAnalyzed]).sort()).toEqual([
      [0, 2, 1, 'snapshot', 0],
      [1, 2, 1, 'snapshot', 0],
    ]);
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
        .map((l) => l.shard)
        .sort(),
    ).toEqual([0, 1]);
    expect(output).not.toContain(fake.token);
    expect(output).not.toMatch(/"level":"error"/);
  }, 150_000);

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
    expect(stderr).toContain(`Archivist could not start: Cannot load archive: ${missing}`);
    expect(fake.identifies.length).toBe(identified);
  }, 60_000);
});
