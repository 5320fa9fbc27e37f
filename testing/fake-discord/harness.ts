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
import { answerOf } from './answers.js';
import type { FakeDiscord } from './server.js';

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

export { answerOf, followUpsOf, type Answer } from './answers.js';

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
