/** The PostgreSQL connection pool every shared part uses (DATABASE_URL). */
import pg from 'pg';

/** A pool that never crashes the process: a connection the server dropped is only reported to `onError`. */
export function createPool(url: string, onError: (err: Error) => void = () => {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000 });
  pool.on('error', onError);
  return pool;
}

/**
 * Runs `ddl` (CREATE … IF NOT EXISTS statements) under a transaction-wide advisory lock: two machines
 * starting at once would otherwise race on the catalog, and one of them fail.
 */
export async function createSchema(pool: pg.Pool, ddl: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query(`BEGIN; SELECT pg_advisory_xact_lock(hashtext('archivist schema')); ${ddl}; COMMIT;`);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
