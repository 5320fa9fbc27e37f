/**
 * `npm start`: reads the settings (environment, then `.env`), loads the archive and runs the bot
 * until Ctrl-C or SIGTERM.
 */
import { join } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { ConfigError, MISSING_TOKEN_HELP, PROJECT_ROOT, parseConfig, type Config } from './config.js';
import { createLogger, redact } from '../discord/logger.js';

loadDotenv({ path: join(PROJECT_ROOT, '.env'), quiet: true });

let config: Config;
try {
  config = parseConfig(process.env, { required: ['token'] });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  const missingTokenOnly = error.problems.length === 1 && error.problems[0] === MISSING_TOKEN_HELP;
  process.stderr.write(`${missingTokenOnly ? MISSING_TOKEN_HELP : error.message}\n`);
  process.exit(1);
}

const logger = createLogger({ secrets: [config.token], level: process.env.LOG_LEVEL === 'debug' ? 'debug' : 'info' });
// Imported only now, so a missing or bad setting is reported without loading discord.js and the engine.
const { createBot } = await import('./client.js');
const { commands } = await import('../../commands/index.js');
const bot = createBot({ config, logger, commands });

process.on('unhandledRejection', (reason) => logger.error('unhandled promise rejection', { err: reason }));

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info('shutting down', { signal });
  try {
    await bot.stop();
  } catch (err) {
    logger.error('error while shutting down', { err });
  }
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));

logger.info('starting', { dataDir: config.dataDir, apiUrl: config.apiUrl });
try {
  await bot.start();
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  logger.error('could not start', { err });
  const hint = /token/i.test(message) ? ' Check DISCORD_TOKEN: reset it in the Developer Portal (Bot → Reset Token) if unsure.' : '';
  process.stderr.write(`Archivist could not start: ${redact(message, [config.token])}.${hint}\n`);
  await bot.stop().catch(() => {});
  process.exit(1);
}
