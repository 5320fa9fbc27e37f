/** The PostgreSQL connection pool every shared part uses (DATABASE_URL). */
import pg from 'pg';

/** A pool that never crashes the process: a connection the server dropped is only reported to `onError`. */
export function createPool(url: string, onError: (err: Error) => void = () => {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000 });
  pool.on('error', onError);
  return pool;
}
