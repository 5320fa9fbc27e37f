/**
 * Logins spaced across machines through PostgreSQL (a real server: tests/helpers/postgres.ts). Each
 * "machine" is a pool of its own, so each holds its advisory locks in sessions of its own, as two
 * processes on two machines do.
 */
import pg from 'pg';
import { afterEach, describe, expect, test } from 'vitest';
import { IDENTIFY_LOCK_SPACE, SharedIdentifyThrottler, type IdentifyThrottler } from '../../src/store/identify-throttle.js';
import { createPool } from '../../src/store/pool.js';
import { postgresMissing, useDatabase } from '../helpers/postgres.js';

const database = useDatabase();

/** Counts the waits it was asked for (the process's own spacing, used only without the database). */
class CountingFallback implements IdentifyThrottler {
  calls: number[] = [];
  waitForIdentify(shardId: number): Promise<void> {
    this.calls.push(shardId);
    return Promise.resolve();
  }
}

const pools: pg.Pool[] = [];
const throttlers: SharedIdentifyThrottler[] = [];
afterEach(async () => {
  await Promise.all(throttlers.splice(0).map((t) => t.close()));
  await Promise.all(pools.splice(0).map((p) => p.end()));
});

function machine(options: { maxConcurrency?: number; holdMs?: number; url?: string } = {}) {
  const pool = createPool(options.url ?? database.url());
  pools.push(pool);
  const fallback = new CountingFallback();
  const errors: unknown[] = [];
  const throttler = new SharedIdentifyThrottler(pool, {
    maxConcurrency: options.maxConcurrency ?? 1,
    holdMs: options.holdMs ?? 5_000,
    pollMs: 50,
    fallback,
    onError: (err) => errors.push(err),
  });
  throttlers.push(throttler);
  return { throttler, fallback, errors };
}

/** The identify buckets held now, by any session. */
async function heldBuckets(): Promise<number[]> {
  const client = new pg.Client({ connectionString: database.url() });
  await client.connect();
  try {
    const { rows } = await client.query<{ objid: number }>(
      "SELECT objid::int AS objid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid::bigint = $1 ORDER BY objid",
      [IDENTIFY_LOCK_SPACE],
    );
    return rows.map((r) => r.objid);
  } finally {
    await client.end();
  }
}

const never = () => new AbortController().signal;

describe.skipIf(postgresMissing !== undefined)('the identify throttler shared through PostgreSQL', () => {
  test('two machines, one bucket: the second identifies only once the first one’s window has passed', async () => {
    const holdMs = 1_500;
    const a = machine({ holdMs });
    const b = machine({ holdMs });
    await a.throttler.waitForIdentify(0, never());
    const firstAt = Date.now();
    expect(await heldBuckets()).toEqual([0]);

    let secondAt: number | undefined;
    const second = b.throttler.waitForIdentify(2, never()).then(() => (secondAt = Date.now()));
    await new Promise((resolve) => setTimeout(resolve, holdMs / 3));
    expect(secondAt, 'still waiting while the first holds the bucket').toBeUndefined();
    await second;
    expect(secondAt! - firstAt).toBeGreaterThanOrEqual(holdMs - 50);
    expect(a.fallback.calls).toEqual([]);
    expect(b.fallback.calls).toEqual([]);
  });

  test('different buckets (shard_id % max_concurrency) do not wait for each other', async () => {
    const a = machine({ maxConcurrency: 2, holdMs: 60_000 });
    const b = machine({ maxConcurrency: 2, holdMs: 60_000 });
    await a.throttler.waitForIdentify(4, never());
    await b.throttler.waitForIdentify(7, never());
    expect(await heldBuckets()).toEqual([0, 1]);
    await a.throttler.close();
    expect(await heldBuckets()).toEqual([1]);
  });

  test('a wait can be aborted; a machine that dies frees its bucket at once', async () => {
    const a = machine({ holdMs: 60_000 });
    const b = machine({ holdMs: 60_000 });
    await a.throttler.waitForIdentify(0, never());
    const abort = new AbortController();
    const waiting = b.throttler.waitForIdentify(0, abort.signal);
    abort.abort(new Error('shard destroyed'));
    await expect(waiting).rejects.toThrow('shard destroyed');

    // The first machine's session ends (its process died): its lock goes with it.
    const admin = new pg.Client({ connectionString: database.url() });
    await admin.connect();
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid::bigint = $1`, [
      IDENTIFY_LOCK_SPACE,
    ]);
    await admin.end();
    await b.throttler.waitForIdentify(0, never());
    expect(await heldBuckets()).toEqual([0]);
    expect(b.fallback.calls).toEqual([]);
  });

  test('the database unreachable: the login goes ahead under the process’s own spacing, and says why', async () => {
    const down = machine({ url: 'postgres://archivist@127.0.0.1:1/nothing' });
    await down.throttler.waitForIdentify(3, never());
    expect(down.fallback.calls).toEqual([3]);
    expect(down.errors).toHaveLength(1);
  });
});
