/**
 * Two machines sharing one PostgreSQL (ARCHIVE_STORE=postgres), as an operator runs them: two
 * launchers, each with its own DATA_DIR (its replica) and CACHE_DIR, SHARD_COUNT=2 and one shard
 * each, against the fake Discord, which routes each guild to shard (guild_id >> 22) % 2 — so guild
 * 0 is machine a's and guild 1 machine b's. The server is this test's own (tests/helpers/postgres.ts)
 * because the last step stops it. Every process is stopped at the end, whatever happens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, onTestFailed, test } from 'vitest';
import { definitions } from '../../commands/index.js';
import { PROJECT_ROOT } from '../../src/bot/config.js';
import { registerCommands } from '../../src/discord/registration.js';
import { ArchiveDb } from '../../src/store/archive-db.js';
import { IDENTIFY_WINDOW_MS } from '../../src/store/identify-throttle.js';
import { answerOf } from '../../testing/fake-discord/harness.js';
import { SPACEPORT_TEXT } from '../../testing/fake-discord/fixture.js';
import { FakeDiscord } from '../../testing/fake-discord/server.js';
import { UNSET_SETTINGS } from '../helpers/bot-process.js';
import { postgresMissing, useDatabase } from '../helpers/postgres.js';

const ADMIN_USER_ID = '1400000000000000888';
const database = useDatabase({ ownServer: true });

interface LogLine {
  msg: string;
  [key: string]: unknown;
}

/** One machine: a launcher in its own process group, its folders and its output. */
class Machine {
  child: ChildProcess | undefined;
  output = '';
  constructor(
    readonly name: 'a' | 'b',
    readonly shard: number,
    readonly dir: string,
  ) {}

  lines(): LogLine[] {
    return this.output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
  }

  start(): void {
    this.output = '';
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/app/main.ts'], {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: this.dir,
        ...UNSET_SETTINGS,
        DISCORD_TOKEN: fake.token,
        DISCORD_API_URL: fake.apiUrl,
        DATA_DIR: join(this.dir, 'data'),
        CACHE_DIR: join(this.dir, 'cache'),
        FEEDBACK_DB: join(this.dir, 'votes.sqlite'),
        ADMIN_USER_IDS: ADMIN_USER_ID,
        LOG_LEVEL: 'debug',
        SHARD_COUNT: '2',
        SHARD_IDS: String(this.shard),
        DATABASE_URL: database.url(),
        ARCHIVE_STORE: 'postgres',
        MACHINE_ID: this.name,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child.stdout!.on('data', (d) => (this.output += String(d)));
    this.child.stderr!.on('data', (d) => (this.output += String(d)));
  }

  async waitFor(predicate: (line: LogLine) => boolean, timeoutMs = 240_000): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines().find(predicate);
      if (found) return found;
      if (this.child?.exitCode !== null) throw new Error(`machine ${this.name} exited early:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`machine ${this.name}: timed out waiting for a log line:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  alive(): boolean {
    if (!this.child?.pid) return false;
    try {
      process.kill(-this.child.pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  /** SIGTERM to the launcher, which stops its shard process; then nothing of it is left. */
  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    const exited = once(this.child, 'close');
    this.child.kill('SIGTERM');
    await exited;
    const deadline = Date.now() + 15_000;
    while (this.alive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    if (this.alive()) process.kill(-this.child.pid!, 'SIGKILL');
  }
}

let fake: FakeDiscord;
let tmp: string;
let a: Machine;
let b: Machine;
let guilds: Record<'a' | 'b', { guildId: string; channelId: string }>;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  await registerCommands({ token: fake.token, clientId: fake.applicationId, guildId: fake.guildId, apiUrl: fake.apiUrl }, definitions);
  tmp = await mkdtemp(join(tmpdir(), 'archivist-machines-'));
  a = new Machine('a', 0, join(tmp, 'a'));
  b = new Machine('b', 1, join(tmp, 'b'));
  for (const m of [a, b]) await mkdir(join(m.dir, 'data'), { recursive: true });
  const onShard0 = fake.addGuild(FakeDiscord.guildIdOnShard(0, 2));
  expect(FakeDiscord.shardOf(fake.guildId, 2)).toBe(1);
  guilds = { a: onShard0, b: { guildId: fake.guildId, channelId: fake.channelId } };
});

afterAll(async () => {
  for (const m of [a, b]) if (m?.child?.pid && m.alive()) process.kill(-m.child.pid, 'SIGKILL');
  await fake?.close();
  await rm(tmp, { recursive: true, force: true });
});

const admin = () => ({ user: fake.makeUser(ADMIN_USER_ID, 'admin') });
const member = () => ({ user: fake.makeUser('1400000000000004001', 'asker') });

async function command(on: 'a' | 'b', name: string, options: Record<string, any>, actor = member(), timeoutMs = 120_000) {
  const interaction = fake.slashCommand(actor, name, options, guilds[on].channelId);
  return answerOf(fake, interaction, { timeoutMs });
}
const ask = async (on: 'a' | 'b', question: string): Promise<string> => String((await command(on, 'ask', { question })).message.content);

describe.skipIf(postgresMissing !== undefined)('two machines, one PostgreSQL', () => {
  test('uploads, removals and votes reach both; a machine that was down catches up; without the database questions are still answered', async () => {
    onTestFailed(() => {
      for (const m of [a, b]) {
        const problems = m.lines().filter((l) => l.level === 'warn' || l.level === 'error' || /feedback|handled/.test(l.msg));
        console.error(`machine ${m.name}, warnings and errors:\n${problems.map((l) => JSON.stringify(l)).join('\n')}`);
      }
    });
    // The operator loads the first archive into the database, then starts both machines with empty folders.
    const pool = new pg.Pool({ connectionString: database.url() });
    await new ArchiveDb(pool).importFiles(
      [{ path: 'summit.md', bytes: Buffer.from(`# A New Landmark, Summit at a Spaceport\n\n${SPACEPORT_TEXT}\n`) }],
      'test',
    );
    await pool.end();
    a.start();
    b.start();
    await Promise.all([a.waitFor((l) => l.msg === 'every shard ready'), b.waitFor((l) => l.msg === 'every shard ready')]);
    // Started together, the two machines' logins (one bucket: max_concurrency 1) are spaced by Discord's
    // 5 s window through the database's advisory lock, as one machine spaces its own.
    expect(fake.identifies.map((identify) => (identify.shard as number[])[0]).sort()).toEqual([0, 1]);
    expect(Math.abs(fake.identifiedAt[1]! - fake.identifiedAt[0]!)).toBeGreaterThanOrEqual(IDENTIFY_WINDOW_MS - 100);

    // 1. Each answers /ask in its own guild, from the archive it synced.
    for (const on of ['a', 'b'] as const) {
      expect(await ask(on, 'Where did Kim Jong Un meet Putin?')).toContain('Vostochny Spaceport');
    }
    // The machine that owns the guild handled it (its log says so once the reply is out).
    await a.waitFor((l) => l.msg === 'handled' && l.guildId === guilds.a.guildId, 30_000);
    await b.waitFor((l) => l.msg === 'handled' && l.guildId === guilds.b.guildId, 30_000);

    // 2-3. /upload through a: b quotes the new document, and the admin's one report names both machines.
    const file = fake.addAttachment('tidal.md', '# Tidal power\n\nA tidal power station began operating on the west coast.\n');
    const upload = await command('a', 'upload', { file }, admin());
    const uploaded = String(upload.message.content);
    expect(uploaded).toMatch(/^\*\*Added\*\* `uploads\/tidal\.md`: \*\*Tidal power\*\*/);
    expect(uploaded).toContain('**Machines:** 2 of 2 machines reloaded.');
    expect(uploaded).toMatch(/^- \*\*a\*\*: 2 documents, in \d+\.\d s\.$/m);
    expect(uploaded).toMatch(/^- \*\*b\*\*: 2 documents, in \d+\.\d s\.$/m);
    expect(await ask('b', 'tidal power station')).toContain('**tidal power station**');

    // 4. /remove through b: gone on both, with one report naming both.
    const removal = await command('b', 'remove', { document: 'uploads/tidal.md' }, admin());
    const removed = String(removal.message.content);
    expect(removed).toMatch(/^\*\*Removed\*\* `uploads\/tidal\.md` \(\*\*Tidal power\*\*\) from the shared archive/);
    expect(removed).toContain('**Machines:** 2 of 2 machines reloaded.');
    expect(await ask('a', 'tidal power station')).not.toContain('tidal power station**');

    // 5. A vote through b on an answer a recorded is stored once, and `archivist feedback` shows it.
    const asked = await command('a', 'ask', { question: 'Who did Kim Jong Un meet at the spaceport?' });
    const buttons = asked.message.components.flatMap((row: any) => row.components);
    const down = buttons.find((button: any) => button.emoji?.name === '👎');
    const onB = { ...asked.callback.created, id: fake.nextId(), channel_id: guilds.b.channelId, guild_id: guilds.b.guildId };
    fake.messages.set(onB.id, onB);
    const voter = fake.member();
    const vote = await answerOf(fake, fake.pressButton(voter, onB.id, down.custom_id), { timeoutMs: 60_000 });
    expect(vote.message.content).toBe('Thanks: noted as not helpful 👎. It helps improve the archive’s answers.');
    await b.waitFor((l) => l.msg === 'handled' && l.guildId === guilds.b.guildId && l.kind === 'button', 30_000);
    const again = await answerOf(fake, fake.pressButton(voter, asked.callback.created.id, down.custom_id), { timeoutMs: 60_000 });
    expect(again.message.content).toBe('Changed your vote to not helpful 👎.');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'feedback'], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', ...UNSET_SETTINGS, DATABASE_URL: database.url() },
    });
    expect(stdout).toContain('Feedback:  PostgreSQL (DATABASE_URL)');
    expect(stdout).toContain('Answers:   1 rated, 1 vote: 0% helpful (0 up, 1 down)');

    // 6. b is stopped during an upload: a's report says b did not answer; b catches up when it is back.
    await b.stop();
    const canal = fake.addAttachment('canal.md', '# Canal\n\nThe irrigation canal at Kaesong was finished in spring.\n');
    const lonely = String((await command('a', 'upload', { file: canal }, admin(), 180_000)).message.content);
    expect(lonely).toContain('**Machines:** 1 of 2 machines reloaded.');
    expect(lonely).toMatch(/^- \*\*b\*\*: no answer within 30 s; it catches up from the database when it is back\.$/m);
    b.start();
    await b.waitFor((l) => l.msg === 'every shard ready');
    expect(b.lines().find((l) => l.msg === 'synced from the shared archive')).toMatchObject({ written: 1, removed: 0 });
    expect(await ask('b', 'irrigation canal Kaesong')).toContain('**irrigation canal**');

    // 7. PostgreSQL stopped: questions are still answered; /upload says why not, and works again once it is back.
    database.server()!.stop({ remove: false });
    expect(await ask('a', 'Where did Kim Jong Un meet Putin?')).toContain('Vostochny Spaceport');
    const refused = fake.addAttachment('later.md', '# Later\n\nThe lighthouse at Sinpo was repainted.\n');
    const down7 = String((await command('a', 'upload', { file: refused }, admin())).message.content);
    expect(down7).toBe(
      'Could not add “later.md”: the shared archive (PostgreSQL) cannot be reached right now; try again in a few minutes, so nothing was saved.',
    );
    database.server()!.restart();
    const retried = fake.addAttachment('later.md', '# Later\n\nThe lighthouse at Sinpo was repainted.\n');
    const back = String((await command('a', 'upload', { file: retried }, admin(), 180_000)).message.content);
    expect(back).toContain('**Machines:** 2 of 2 machines reloaded.');
    expect(await ask('b', 'lighthouse Sinpo repainted')).toContain('Sinpo');

    await Promise.all([a.stop(), b.stop()]);
    for (const m of [a, b]) {
      expect(m.alive()).toBe(false);
      expect(m.output).not.toContain(fake.token);
    }
  }, 900_000);
});
