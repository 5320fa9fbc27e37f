/**
 * Runs the real bot (the same `createBot` that `npm start` uses) against a {@link FakeDiscord}, with
 * its log captured, and reads back what the bot answered to an interaction.
 */
import { expect } from 'vitest';

/**
 * Unhandled rejections seen in this test process. Vitest already fails a run that has one; the bot
 * suites also assert this list is empty, so the failure names the suite.
 */
export const unhandledRejections: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandledRejections.push(reason));
import { commands } from '../../commands/index.js';
import { createBot, type Bot, type BotOptions } from '../../src/bot/client.js';
import { parseConfig } from '../../src/bot/config.js';
import { createLogger } from '../../src/discord/logger.js';
import type { FakeDiscord, RecordedRequest } from './server.js';

export interface LogLine {
  level: string;
  msg: string;
  [key: string]: unknown;
}

export interface RunningBot {
  bot: Bot;
  /** Parsed log lines. */
  logs: LogLine[];
  /** Raw log lines, as written. */
  rawLogs: string[];
  stop(): Promise<void>;
}

export async function startBot(
  fake: FakeDiscord,
  { env = {}, ...options }: { env?: Record<string, string> } & Partial<Omit<BotOptions, 'config' | 'logger'>> = {},
): Promise<RunningBot> {
  const config = parseConfig(
    { DISCORD_TOKEN: fake.token, DISCORD_CLIENT_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl, ...env },
    { required: ['token'] },
  );
  const rawLogs: string[] = [];
  const logs: LogLine[] = [];
  const logger = createLogger({
    level: 'debug',
    format: 'json',
    secrets: [config.token],
    write: (line) => {
      rawLogs.push(line);
      logs.push(JSON.parse(line) as LogLine);
    },
  });
  // The real command list unless a test brings its own: the harness is a composition root too.
  const bot = createBot({ config, logger, ...options, commands: options.commands ?? commands });
  await bot.start();
  return { bot, logs, rawLogs, stop: () => bot.stop() };
}

/** The bot's answer to an interaction: its initial callback and the message it finally showed. */
export interface Answer {
  /** The interaction callback body (type 4 message, 5 deferred, 7 update, 8 autocomplete). */
  callback: RecordedRequest;
  /** The message body the user ends up seeing (the callback's data, or the edit of a deferred reply). */
  message: any;
  /** All follow-up message bodies sent so far. */
  followUps: any[];
}

const callbackPath = (i: any) => `/interactions/${i.id}/${i.token}/callback`;

/** Waits for the bot's complete answer to `interaction`. */
export async function answerOf(fake: FakeDiscord, interaction: any, { timeoutMs = 10_000 } = {}): Promise<Answer> {
  const callback = await fake.waitForRequest((r) => r.method === 'POST' && r.path === callbackPath(interaction), { timeoutMs });
  let message = callback.body?.data;
  if (callback.body?.type === 5 || callback.body?.type === 6) {
    const edit = await fake.waitForRequest(
      (r) =>
        (r.method === 'PATCH' && r.path === `/webhooks/${fake.applicationId}/${interaction.token}/messages/@original`) ||
        (r.method === 'POST' && r.path === `/webhooks/${fake.applicationId}/${interaction.token}`),
      { timeoutMs },
    );
    message = edit.body;
  }
  return { callback, message, followUps: followUpsOf(fake, interaction) };
}

export function followUpsOf(fake: FakeDiscord, interaction: any): any[] {
  return fake.requests
    .filter((r) => r.status < 300 && r.method === 'POST' && r.path === `/webhooks/${fake.applicationId}/${interaction.token}`)
    .map((r) => r.body);
}

/** Every message body the bot sent must ping nobody. */
export function expectNoPings(message: any): void {
  expect(message.allowed_mentions).toEqual({ parse: [], replied_user: false });
}

export const EPHEMERAL = 1 << 6;

/** Asks `/ask` as `actor` (a new member by default) and waits for the whole answer. */
export async function ask(fake: FakeDiscord, options: Record<string, string | number>, actor = fake.member()) {
  const interaction = fake.slashCommand(actor, 'ask', options);
  return { interaction, ...(await answerOf(fake, interaction)) };
}

/** Polls `condition` until it holds; fails naming `what` after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
