/**
 * The bot as a real process (`npm run dev`: the sources under tsx, started as `npm start` starts the
 * build; tests/production.e2e.test.ts runs the build) against the fake Discord: an
 * unreadable archive file named in the /reload report (run as the user `nobody` when the tests run as
 * root, since root reads everything), SIGTERM in the middle of a reload (a clean exit that leaves no
 * file behind), and the token in none of its output nor in anything it sent.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFile, chmod, chown, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { definitions } from '../../commands/index.js';
import { Archive } from '../../src/archive/archive.js';
import { PROJECT_ROOT } from '../../src/bot/config.js';
import { registerCommands } from '../../src/discord/registration.js';
import { answerOf, unhandledRejections } from '../../testing/fake-discord/harness.js';
import { SUMMIT_MARKDOWN } from '../../testing/fake-discord/fixture.js';
import { FakeDiscord } from '../../testing/fake-discord/server.js';
import { writeGeneratedRecords } from '../fixtures/generated-archive.js';
import { UNSET_SETTINGS, captureOutput, waitForOutput, type Child } from '../helpers/bot-process.js';
import { NOBODY, runningAsRoot, unprivilegedSpawnOptions } from '../helpers/unprivileged.js';

const ADMIN_USER_ID = '1400000000000000888';
const unprivileged = unprivilegedSpawnOptions();

/** `npm run dev`, as an admin runs `npm start` (npm passes SIGTERM on to the bot). */
function startProcess(env: Record<string, string>, { asNobody = false } = {}): Child {
  const child = spawn('npm', ['run', 'dev', '--silent'], {
    cwd: PROJECT_ROOT,
    // npm keeps a cache and logs under HOME: a fresh one, writable by whoever runs the bot.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home,
      npm_config_cache: join(home, '.npm'),
      npm_config_update_notifier: 'false',
      ...UNSET_SETTINGS,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(asNobody && 'options' in unprivileged ? unprivileged.options : {}),
  });
  // 'close': npm has exited and so has everything that held its output (the bot).
  return captureOutput(child, 'close');
}

/** Every path under `root` with its size and modification time: what a run may have written. */
async function snapshot(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.name === 'node_modules' || entry.name === '.git' || entry.name === '.archivist-cache') continue;
      if (entry.isDirectory()) await walk(path);
      else {
        const s = await stat(path).catch(() => undefined);
        out.push(`${relative(root, path)} ${s?.size} ${s?.mtimeMs}`);
      }
    }
  };
  await walk(root);
  return out.sort();
}

/** A token shaped like a real one, so a leak of any of its parts can be found. */
const TOKEN = `${Buffer.from('1100000000000000001').toString('base64url')}.${randomBytes(4).toString('base64url')}.${randomBytes(27).toString('base64url')}`;

let fake: FakeDiscord;
let tmp: string;
let home: string;
const outputs: string[] = [];

beforeAll(async () => {
  fake = await FakeDiscord.start(TOKEN);
  await registerCommands({ token: fake.token, clientId: fake.applicationId, guildId: fake.guildId, apiUrl: fake.apiUrl }, definitions);
  tmp = await mkdtemp(join(tmpdir(), 'archivist-process-'));
  await chmod(tmp, 0o755);
  home = join(tmp, 'home');
  await mkdir(home);
  if (runningAsRoot) await chown(home, NOBODY, NOBODY);
});

afterAll(async () => {
  await fake?.close();
  await rm(tmp, { recursive: true, force: true });
  expect(unhandledRejections).toEqual([]);
});

const env = (dataDir: string) => ({
  DISCORD_TOKEN: TOKEN,
  DISCORD_CLIENT_ID: fake.applicationId,
  DISCORD_API_URL: fake.apiUrl,
  DATA_DIR: dataDir,
  ADMIN_USER_IDS: ADMIN_USER_ID,
  // Votes go beside the archive folder, not into it: this suite checks what the bot writes there.
  FEEDBACK_DB: `${dataDir}.feedback.sqlite`,
});
const admin = () => ({ user: fake.makeUser(ADMIN_USER_ID, 'admin') });
let users = 0;
const member = () => ({ user: fake.makeUser(String(1400000000000004000n + BigInt(++users)), `p${users}`) });

describe('npm start as a process', () => {
  if ('skip' in unprivileged) console.warn(`bot-process: unreadable-file test skipped: ${unprivileged.skip}`);
  test.skipIf('skip' in unprivileged)(
    `an unreadable file is named in the /reload report and the rest loads (${runningAsRoot ? 'the bot runs as nobody' : 'as this user'}); errors are logged without the token`,
    async () => {
      const dir = join(tmp, 'unreadable');
      await mkdir(dir);
      await writeFile(join(dir, 'summit.md'), SUMMIT_MARKDOWN);
      await writeFile(join(dir, 'locked.md'), '# Locked\n\nUnreadable text about the sluice gates.\n');
      await chmod(dir, 0o755);
      await chmod(join(dir, 'summit.md'), 0o644);
      await chmod(join(dir, 'locked.md'), 0o000);
      const bot = startProcess(env(dir), { asNobody: true });
      try {
        await waitForOutput(bot, /"msg":"logged in"/);
        const answer = await answerOf(fake, fake.slashCommand(member(), 'ask', { question: 'Where did Kim Jong Un meet Putin?' }), {
          timeoutMs: 15_000,
        });
        expect(answer.message.content).toContain('Vostochny Spaceport');

        await writeFile(join(dir, 'tidal.md'), '# Tidal power\n\nA tidal power station began operating on the west coast.\n');
        await chmod(join(dir, 'tidal.md'), 0o644);
        const reload = await answerOf(fake, fake.slashCommand(admin(), 'reload'), { timeoutMs: 15_000 });
        expect(reload.message.content).toMatch(
          /^\*\*Reloaded\*\* in \d+\.\d s: 2 documents; 1 added, 0 changed, 0 removed, 1 unchanged, 1 skipped\./,
        );
        expect(reload.message.content).toContain('**Skipped:**\n- locked.md: cannot read file: EACCES');
        expect((await answerOf(fake, fake.slashCommand(member(), 'ask', { question: 'tidal power station' }))).message.content).toContain(
          '**tidal power station**',
        );

        // An error on the way out is logged in full (stack, REST details) — still without the token.
        fake.failNext({ method: 'POST', path: /\/callback$/, status: 500, times: 4 });
        const failing = fake.slashCommand(member(), 'ask', { question: 'rice harvest' });
        const told = await answerOf(fake, failing, { timeoutMs: 15_000 });
        expect(told.message.content).toMatch(/^Sorry, something went wrong/);
        await waitForOutput(bot, /"msg":"command failed"/);

        bot.process.kill('SIGTERM');
        expect(await bot.exit).toBe(0);
      } finally {
        if (bot.process.exitCode === null) bot.process.kill('SIGKILL');
        await chmod(join(dir, 'locked.md'), 0o644);
        outputs.push(bot.output());
      }
    },
    60_000,
  );

  test('SIGTERM in the middle of a reload: a clean exit, nothing written but the index cache, and no cache file half-written', async () => {
    const dir = join(tmp, 'big');
    await mkdir(dir);
    // One large file (about 4 MB, like a scraper's export) makes the reload long enough (seconds) to be interrupted.
    await writeGeneratedRecords(join(dir, 'kcna.json'), { records: 1200 });
    await writeFile(join(dir, 'summit.md'), SUMMIT_MARKDOWN);
    const bot = startProcess(env(dir));
    try {
      await waitForOutput(bot, /"msg":"logged in"/, 60_000);
      // What the bot could write to: its archive folder, the bundled data/, the project folder. (npm's own logs under HOME are npm's.)

      // A changed file, so that the reload has to analyse it again (an unchanged archive reloads from
      // the index cache in milliseconds, too fast to interrupt).
      await appendFile(join(dir, 'kcna.json'), '\n');
      const before = [...(await snapshot(dir)), ...(await snapshot(join(PROJECT_ROOT, 'data')))];
      const projectBefore = (await readdir(PROJECT_ROOT)).sort();
      const reload = fake.slashCommand(admin(), 'reload');
      // The deferral is sent just before the reload starts reading.
      await fake.waitForRequest((r) => r.path === `/interactions/${reload.id}/${reload.token}/callback`, { timeoutMs: 15_000 });
      await waitForOutput(bot, /"msg":"reload requested"/);
      bot.process.kill('SIGTERM');
      const started = Date.now();
      expect(await bot.exit).toBe(0);
      expect(Date.now() - started).toBeLessThan(15_000);

      const output = bot.output();
      expect(output).toContain('"msg":"shutting down","signal":"SIGTERM"');
      expect(output).toContain('"msg":"disconnected"');
      // The signal came while the reload ran: it had not finished when shutdown began.
      const reloaded = output.indexOf('"msg":"archive reloaded"');
      expect(reloaded === -1 || reloaded > output.indexOf('"msg":"shutting down"')).toBe(true);
      expect(output).not.toMatch(/unhandled|"level":"error"/);

      expect([...(await snapshot(dir)), ...(await snapshot(join(PROJECT_ROOT, 'data')))]).toEqual(before);
      expect((await readdir(PROJECT_ROOT)).sort()).toEqual(projectBefore);
      // The one thing a reload writes is the on-disk index cache: whatever the signal interrupted, no
      // file there is half-written (each is written under a temporary name, then renamed) ...
      const cacheFiles = await readdir(join(dir, '.archivist-cache'), { recursive: true }).catch(() => [] as string[]);
      expect(cacheFiles.filter((f) => f.endsWith('.tmp'))).toEqual([]);
      // ... and the next load can use all of it: no cache file is reported unusable.
      const next = await Archive.load(dir);
      expect(next.loadReport?.warnings).toEqual([]);
      expect(next.documents.map((d) => d.id)).toEqual((await Archive.load(dir, { cache: false })).documents.map((d) => d.id));
    } finally {
      if (bot.process.exitCode === null) bot.process.kill('SIGKILL');
      outputs.push(bot.output());
    }
  }, 90_000);

  test('the token appears in none of the output of either run, nor in any request body, path or query', () => {
    const secretPart = TOKEN.split('.').at(-1)!;
    const sent = fake.requests.map((r) => `${r.method} ${r.rawPath} ${r.query.toString()} ${JSON.stringify(r.body ?? null)}`);
    const everything = [...outputs, ...sent].join('\n');
    expect(outputs.join('').length).toBeGreaterThan(1000);
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(secretPart);
  });
});
