/**
 * The bot under load, in its own process so that its memory is its own: the same createBot as
 * `npm start`, configured from the environment, logging warnings and errors to stdout. The load
 * driver (bench/load.ts) talks to it over IPC:
 *
 *   { type: 'measure' }  → { type: 'measure', heapUsed, rss, external, arrayBuffers, maxRss, loopDelayMaxMs, loopDelayP99Ms }
 *                          after two full garbage collections (run with --expose-gc), so heap and RSS
 *                          are what the bot keeps, not what it has yet to collect;
 *   { type: 'stop' }     → disconnects and exits.
 *
 * It sends { type: 'ready' } once logged in.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { commands } from '../commands/index.js';
import { createBot } from '../src/bot/client.js';
import { parseConfig } from '../src/bot/config.js';
import { createLogger } from '../src/discord/logger.js';

const config = parseConfig(process.env, { required: ['token'] });
const logger = createLogger({ level: 'warn', format: 'json', secrets: [config.token] });
const bot = createBot({ config, logger, commands });
process.on('unhandledRejection', (reason) => logger.error('unhandled promise rejection', { err: reason }));

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

const send = (message: object): void => void process.send?.(message);
const gc = (globalThis as { gc?: () => void }).gc;

process.on('message', (message: { type?: string }) => void onMessage(message));

async function onMessage(message: { type?: string }): Promise<void> {
  if (message.type === 'measure') {
    gc?.();
    await new Promise((r) => setImmediate(r));
    gc?.();
    const memory = process.memoryUsage();
    send({
      type: 'measure',
      heapUsed: memory.heapUsed,
      rss: memory.rss,
      external: memory.external,
      arrayBuffers: memory.arrayBuffers,
      // Peak resident set size of the process so far (kilobytes on Linux).
      maxRss: process.resourceUsage().maxRSS * 1024,
      loopDelayMaxMs: loopDelay.max / 1e6,
      loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    });
    loopDelay.reset();
  } else if (message.type === 'stop') {
    await bot.stop();
    process.exit(0);
  }
}

await bot.start();
send({ type: 'ready' });
