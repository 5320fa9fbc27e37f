/**
 * With DATABASE_URL, every bot process spaces its logins through the database (src/store/identify-throttle.ts),
 * so shards on several machines keep to Discord's one IDENTIFY per 5 s per bucket between them.
 */
import { SimpleIdentifyThrottler, type WebSocketOptions } from 'discord.js';
import type { Logger } from '../../discord/logger.js';
import { SharedIdentifyThrottler } from '../../store/identify-throttle.js';
import { createPool } from '../../store/pool.js';

type BuildIdentifyThrottler = NonNullable<WebSocketOptions['buildIdentifyThrottler']>;

export interface SharedIdentify {
  /** For the client's `ws.buildIdentifyThrottler`. */
  readonly build: BuildIdentifyThrottler;
  /** Releases the buckets held and closes the connection. */
  close(): Promise<void>;
}

export function sharedIdentify(databaseUrl: string, logger: Logger): SharedIdentify {
  const warn = (err: unknown): void =>
    logger.warn('logins cannot be spaced through the shared database; spacing this process’s own only', { err });
  const pool = createPool(databaseUrl, warn);
  let throttler: SharedIdentifyThrottler | undefined;
  let closing: Promise<void> | undefined;
  return {
    async build(manager) {
      const { session_start_limit: limit } = await manager.fetchGatewayInformation();
      throttler = new SharedIdentifyThrottler(pool, {
        maxConcurrency: limit.max_concurrency,
        fallback: new SimpleIdentifyThrottler(limit.max_concurrency),
        onError: warn,
      });
      return throttler;
    },
    close() {
      closing ??= (async () => {
        await throttler?.close();
        await pool.end();
      })();
      return closing;
    },
  };
}
