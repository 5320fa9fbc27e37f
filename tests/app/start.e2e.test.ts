/**
 * The bot started the way a new user starts it: `npm start` (tsx src/app/main.ts) as a child process
 * with only DISCORD_TOKEN, DISCORD_CLIENT_ID and DISCORD_API_URL set, serving the bundled data/;
 * and `npm run register` the same way.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../src/bot/config.js';
import { answerOf, unhandledRejections } from '../../testing/fake-discord/harness.js';
import { FakeDiscord } from '../../testing/fake-discord/server.js';
import { UNSET_SETTINGS, captureOutput, waitForOutput, type Child } from '../helpers/bot-process.js';

const TSX = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');

/** The bot reads the bundled data/ in these runs; its index goes here, never into data/. */
const CACHE_DIR = mkdtempSync(join(tmpdir(), 'archivist-start-cache-'));

/** Runs a script with exactly `env` (plus PATH and HOME, which any shell has, and a CACHE_DIR outside data/). */
function run(script: string, env: Record<string, string>): Child {
  const child = spawn(TSX, [script], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...UNSET_SETTINGS, CACHE_DIR, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return captureOutput(child);
}

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await FakeDiscord.start();
});
afterAll(async () => {
  await fake?.close();
  expect(unhandledRejections).toEqual([]);
});

test('npm start with only the token, client id and API URL: logs in, answers /ask from the bundled archive, stops cleanly on SIGTERM', async () => {
  const bot = run('src/app/main.ts', {
    DISCORD_TOKEN: fake.token,
    DISCORD_CLIENT_ID: fake.applicationId,
    DISCORD_API_URL: fake.apiUrl,
    // No test writes into data/: the votes database goes to a temporary folder.
    FEEDBACK_DB: join(tmpdir(), `archivist-start-${process.pid}`, 'feedback.sqlite'),
  });
  try {
    await waitForOutput(bot, /"msg":"logged in"/);
    expect(bot.output()).toContain(`"dataDir":"${join(PROJECT_ROOT, 'data')}"`);

    const interaction = fake.slashCommand({ user: fake.makeUser('1400000000000000001', 'newcomer') }, 'ask', {
      question: 'Where did Kim Jong Un meet Putin?',
    });
    const { message } = await answerOf(fake, interaction, { timeoutMs: 15_000 });
    expect(message.content).toContain(
      "Kim Jong Un**, president of the State Affairs of the Democratic People's Republic of Korea, **met** Vladimir **Putin**, president of the Russian Federation, at the Vostochny Spaceport in Amur Province of the Russian Far East.",
    );
    expect(message.content).toContain('— **A New Landmark, Summit at a Spaceport** · passage 1');
    expect(message.allowed_mentions).toEqual({ parse: [], replied_user: false });

    bot.process.kill('SIGTERM');
    expect(await bot.exit).toBe(0);
    expect(bot.output()).toContain('"msg":"disconnected"');
  } finally {
    if (bot.process.exitCode === null) bot.process.kill('SIGKILL');
  }
  expect(bot.output()).not.toContain(fake.token);
  expect(bot.output()).not.toContain('unhandled');
}, 40_000);

test('npm start without a token exits non-zero, says how to get one and that npm run ask works without it', async () => {
  const bot = run('src/app/main.ts', {});
  expect(await bot.exit).toBe(1);
  expect(bot.output()).toContain('DISCORD_TOKEN is not set');
  expect(bot.output()).toContain('https://discord.com/developers/applications');
  expect(bot.output()).toContain('npm run ask');
}, 20_000);

test('npm start with a bad setting names it and exits non-zero', async () => {
  const bot = run('src/app/main.ts', { DISCORD_TOKEN: fake.token, ANSWER_CHANNEL_IDS: 'general', DISCORD_API_URL: 'discord.com' });
  expect(await bot.exit).toBe(1);
  expect(bot.output()).toContain('ANSWER_CHANNEL_IDS must be Discord ids (17 to 20 digits) separated by commas; not ids: "general".');
  expect(bot.output()).toContain('DISCORD_API_URL must be an http(s) URL such as https://discord.com/api, got "discord.com".');
  expect(bot.output()).not.toContain(fake.token);
}, 20_000);

test('npm start with a DATA_DIR that does not exist stops, names it, and creates nothing', async () => {
  const missing = join(CACHE_DIR, 'no-such-archive');
  const bot = run('src/app/main.ts', {
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.apiUrl,
    DATA_DIR: missing,
  });
  expect(await bot.exit).toBe(1);
  expect(bot.output()).toContain(`Archivist could not start: DATA_DIR ${missing} does not exist: set DATA_DIR to the archive folder`);
  expect(existsSync(missing)).toBe(false);
  expect(bot.output()).not.toContain('logged in');
}, 20_000);

test('npm start with an unknown LOG_LEVEL stops and names the allowed levels', async () => {
  const bot = run('src/app/main.ts', { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, LOG_LEVEL: 'verbose' });
  expect(await bot.exit).toBe(1);
  expect(bot.output()).toContain('LOG_LEVEL must be one of debug, info, warn, error (default info), got "verbose".');
}, 20_000);

test('npm start with a token Discord rejects exits non-zero without printing the token', async () => {
  const wrong = 'wrong-token.not-valid.0123456789abcdefghij';
  const bot = run('src/app/main.ts', { DISCORD_TOKEN: wrong, DISCORD_API_URL: fake.apiUrl });
  expect(await bot.exit).toBe(1);
  expect(bot.output()).toMatch(/Archivist could not start: .*token/i);
  expect(bot.output()).not.toContain(wrong);
  // It loads the bundled archive before it logs in: on a busy machine that takes a while.
}, 60_000);

test('npm run register registers to DISCORD_GUILD_ID and prints what changed', async () => {
  const env = {
    DISCORD_TOKEN: fake.token,
    DISCORD_CLIENT_ID: fake.applicationId,
    DISCORD_GUILD_ID: fake.guildId,
    DISCORD_API_URL: fake.apiUrl,
  };
  const first = run('src/app/register.ts', env);
  expect(await first.exit).toBe(0);
  expect(first.output()).toBe(
    `Registered 9 commands to server ${fake.guildId}.\n  added     /ask, /search, /source, /archive, /reload, /upload, /remove, /help, “Ask the archive” (menu)\n`,
  );
  expect(fake.commands.get(fake.guildId)!.map((c) => [c.name, c.type])).toEqual([
    ['ask', 1],
    ['search', 1],
    ['source', 1],
    ['archive', 1],
    ['reload', 1],
    ['upload', 1],
    ['remove', 1],
    ['help', 1],
    ['Ask the archive', 3],
  ]);
  expect(fake.commands.has('global')).toBe(false);
}, 20_000);
