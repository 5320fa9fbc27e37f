/**
 * `npm start`: reads the settings (environment, then `.env`), loads the archive and runs the bot
 * until Ctrl-C or SIGTERM. With SHARDS, SHARD_COUNT or SHARD_IDS set it is the launcher instead
 * (src/bot/shards/), which runs this same file as its shard process(es).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { config as loadDotenv } from 'dotenv';
import {
  ConfigError,
  MISSING_TOKEN_HELP,
  PROJECT_ROOT,
  SHARD_PROCESS_MARKER,
  dataDirProblem,
  missingTokenHelp,
  parseConfig,
  type Config,
} from '../bot/config.js';
import { createLogger, redact } from '../discord/logger.js';
import type { LauncherChannel } from '../bot/shards/index.js';

loadDotenv({ path: join(PROJECT_ROOT, '.env'), quiet: true });

let config: Config;
try {
  config = parseConfig(process.env, { required: ['token'] });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  const missingTokenOnly = error.problems.length === 1 && error.problems[0] === MISSING_TOKEN_HELP;
  // Compiled (dist/, maybe without tsx after npm prune): the help names the built CLI, not npm run ask.
  const help = missingTokenHelp(import.meta.url.endsWith('.js'));
  process.stderr.write(`${missingTokenOnly ? help : error.message.replace(MISSING_TOKEN_HELP, help)}\n`);
  process.exit(1);
}
// A mistyped DATA_DIR stops the start: served, it would answer every question "the archive is empty".
const archiveProblem = dataDirProblem(config.dataDir);
if (archiveProblem) {
  process.stderr.write(`Archivist could not start: ${archiveProblem}\n`);
  process.exit(1);
}

const baseLogger = createLogger({ secrets: [config.token], level: config.logLevel });
/**
 * Started by the launcher's ShardingManager: SHARDS holds this process's shard ids as JSON (`[0,1]`,
 * or one id), which discord.js's Client reads too and opens a gateway connection for each.
 */
const shardIds =
  process.env[SHARD_PROCESS_MARKER] && process.send ? [JSON.parse(process.env.SHARDS ?? 'null') as number | number[]].flat() : undefined;
if (!shardIds && !config.sharding) {
  // One process, no manager: discord.js's Client would read these names from the environment with
  // its own meaning (and choke on the empty values a copied .env.example leaves).
  delete process.env.SHARDS;
  delete process.env.SHARD_COUNT;
}
const logger = shardIds ? baseLogger.child({ shard: shardIds.length === 1 ? shardIds[0] : shardIds }) : baseLogger;
process.on('unhandledRejection', (reason) => logger.error('unhandled promise rejection', { err: reason }));
// Node's own warnings (deprecations, listener leaks) as log lines too, not plain text among them.
process.removeAllListeners('warning');
process.on('warning', (warning) => logger.warn('node warning', { err: warning }));

/** What SIGTERM and Ctrl-C stop: the bot, or the launcher and its shard processes. */
let running: { stop(): Promise<void> } | undefined;
let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info('shutting down', { signal });
  try {
    await running?.stop();
  } catch (err) {
    logger.error('error while shutting down', { err });
  }
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
// A shard process outlives no launcher: when the IPC channel closes (launcher killed), it stops too.
if (shardIds) process.once('disconnect', () => void shutdown('launcher gone'));

function couldNotStart(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  logger.error('could not start', { err });
  const hint = /token/i.test(message) ? ' Check DISCORD_TOKEN: reset it in the Developer Portal (Bot → Reset Token) if unsure.' : '';
  process.stderr.write(`Archivist could not start: ${redact(message, [config.token])}.${hint}\n`);
}

if (config.sharding) {
  logger.info('starting the shard launcher', { dataDir: config.dataDir, apiUrl: config.apiUrl, sharding: config.sharding });
  const { launchShards } = await import('../bot/shards/index.js');
  try {
    running = await launchShards({ config: { ...config, sharding: config.sharding }, logger, entry: fileURLToPath(import.meta.url) });
  } catch (err) {
    couldNotStart(err);
    process.exit(1);
  }
} else {
  // Imported only now, so a missing or bad setting is reported without loading discord.js and the engine.
  const { createBot } = await import('../bot/client.js');
  const { commands } = await import('../../commands/index.js');
  const launcher = shardIds ? { channel: process as LauncherChannel, shardIds } : undefined;
  const bot = createBot({ config, logger, commands, ...(launcher ? { launcher } : {}) });
  running = bot;
  logger.info('starting', { dataDir: config.dataDir, apiUrl: config.apiUrl });
  try {
    await bot.start();
  } catch (err) {
    couldNotStart(err);
    await bot.stop().catch(() => {});
    process.exit(1);
  }
}
