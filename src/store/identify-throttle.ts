/**
 * Logins across machines: Discord allows one IDENTIFY per 5 s in each bucket (`shard_id %
 * max_concurrency`) for the whole bot, wherever its shards run. discord.js spaces the logins of one
 * process only; with DATABASE_URL every process takes a PostgreSQL advisory lock for its shard's
 * bucket before it identifies and holds it for 5 s, so shards on several machines never identify in
 * the same bucket within 5 s of each other. The lock is a session's: a process that dies releases
 * it with its connection. The database down must not keep a shard offline: then the process falls
 * back to spacing its own logins (`fallback`, discord.js's own throttler).
 */
import type pg from 'pg';

/** How long a bucket stays taken after an IDENTIFY: Discord's window. */
export const IDENTIFY_WINDOW_MS = 5_000;
/** The advisory locks' first key: the buckets' own namespace (the second key is the bucket). */
export const IDENTIFY_LOCK_SPACE = 0x41524356; // "ARCV"

/** What discord.js asks of an identify throttler (`ws.buildIdentifyThrottler`). */
export interface IdentifyThrottler {
  /** Resolves once `shardId` may identify; rejects when `signal` aborts first. */
  waitForIdentify(shardId: number, signal: AbortSignal): Promise<void>;
}

export interface SharedThrottlerOptions {
  /** Discord's `max_concurrency` for the bot (GET /gateway/bot). */
  maxConcurrency: number;
  /** Used when the database cannot be reached: this process's own spacing. */
  fallback: IdentifyThrottler;
  /** @defaultValue {@link IDENTIFY_WINDOW_MS} */
  holdMs?: number;
  /** How often a taken bucket is tried again. @defaultValue 250 */
  pollMs?: number;
  /** Told why the database could not be used (the login then goes ahead under `fallback`). */
  onError?: (err: unknown) => void;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', aborted);
    };
    const aborted = (): void => {
      done();
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      done();
      resolve();
    }, ms);
    signal.addEventListener('abort', aborted, { once: true });
  });
}

/** The identify throttler every machine shares through PostgreSQL. */
export class SharedIdentifyThrottler implements IdentifyThrottler {
  readonly #pool: pg.Pool;
  readonly #options: Required<Omit<SharedThrottlerOptions, 'onError'>> & Pick<SharedThrottlerOptions, 'onError'>;
  /** Buckets this process holds, each released when its window ends (or at once by {@link close}). */
  readonly #held = new Set<{ release: () => Promise<void> }>();

  constructor(pool: pg.Pool, { holdMs = IDENTIFY_WINDOW_MS, pollMs = 250, ...options }: SharedThrottlerOptions) {
    this.#pool = pool;
    this.#options = { holdMs, pollMs, ...options };
  }

  async waitForIdentify(shardId: number, signal: AbortSignal): Promise<void> {
    const bucket = shardId % Math.max(1, this.#options.maxConcurrency);
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (err) {
      signal.throwIfAborted();
      this.#options.onError?.(err);
      return this.#options.fallback.waitForIdentify(shardId, signal);
    }
    // A checked-out connection that the server drops emits 'error': unheard, it would crash the process.
    const lost = (err: unknown): void => this.#options.onError?.(err);
    client.on('error', lost);
    const giveBack = (err?: Error): void => {
      client.removeListener('error', lost);
      client.release(err);
    };
    try {
      for (;;) {
        signal.throwIfAborted();
        const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [IDENTIFY_LOCK_SPACE, bucket]);
        if (rows[0]?.ok) break;
        await sleep(this.#options.pollMs, signal);
      }
    } catch (err) {
      giveBack(signal.aborted ? undefined : (err as Error));
      signal.throwIfAborted();
      this.#options.onError?.(err);
      return this.#options.fallback.waitForIdentify(shardId, signal);
    }
    this.#hold(client, bucket, giveBack);
  }

  /** Keeps `bucket` taken for the window, then unlocks it; a connection that fails meanwhile drops the lock with it. */
  #hold(client: pg.PoolClient, bucket: number, giveBack: (err?: Error) => void): void {
    const entry = {
      release: async (): Promise<void> => {
        clearTimeout(timer);
        if (!this.#held.delete(entry)) return;
        try {
          await client.query('SELECT pg_advisory_unlock($1, $2)', [IDENTIFY_LOCK_SPACE, bucket]);
          giveBack();
        } catch (err) {
          // The session is gone, and its lock with it: the connection is not returned to the pool.
          giveBack(err as Error);
        }
      },
    };
    const timer = setTimeout(() => void entry.release(), this.#options.holdMs);
    this.#held.add(entry);
  }

  /** Releases every bucket this process holds now (the bot is stopping). */
  async close(): Promise<void> {
    await Promise.all([...this.#held].map((entry) => entry.release()));
  }
}
