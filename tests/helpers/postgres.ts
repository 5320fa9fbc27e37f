/**
 * A fresh PostgreSQL database for a test file. Under `.ci/run` a throwaway server already runs
 * (TEST_DATABASE_URL); the file gets a database of its own on it. Without it (`npm test` on a
 * developer's machine) the file starts its own throwaway server (testing/postgres.ts) when the
 * binaries are installed. Only with neither, and CI unset, do the tests skip, saying so.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { POSTGRES_BIN, postgresInstalled, startPostgres, type ThrowawayPostgres } from '../../testing/postgres.js';

/** Why the PostgreSQL tests cannot run here; undefined when they can. */
export const postgresMissing: string | undefined =
  process.env.TEST_DATABASE_URL || postgresInstalled()
    ? undefined
    : `no PostgreSQL server in ${POSTGRES_BIN} and TEST_DATABASE_URL is unset (install the postgresql package)`;

if (postgresMissing && process.env.CI) throw new Error(`CI must run the PostgreSQL tests, but ${postgresMissing}.`);
if (postgresMissing) console.warn(`PostgreSQL tests skipped: ${postgresMissing}.`);

export interface TestDatabase {
  /** The URL of this file's own database. */
  url(): string;
  /** The server this file started itself (with `ownServer`), to stop and start it. */
  server(): ThrowawayPostgres | undefined;
  /** Another fresh database on the same server. */
  another(): Promise<string>;
}

async function createDatabase(serverUrl: string): Promise<string> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Registers beforeAll/afterAll for a database of this file's own. `ownServer`: always start a server
 * of its own (a test that stops PostgreSQL must not stop everyone's).
 */
export function useDatabase({ ownServer = false }: { ownServer?: boolean } = {}): TestDatabase {
  let server: ThrowawayPostgres | undefined;
  let serverUrl: string | undefined;
  let url: string | undefined;
  beforeAll(async () => {
    if (postgresMissing) return;
    const shared = ownServer ? undefined : process.env.TEST_DATABASE_URL;
    if (shared) serverUrl = shared;
    else {
      server = await startPostgres();
      serverUrl = server.url;
    }
    url = await createDatabase(serverUrl);
  }, 120_000);
  afterAll(() => server?.stop());
  return {
    url() {
      if (!url) throw new Error('no test database (PostgreSQL is not available)');
      return url;
    },
    server: () => server,
    another: () => createDatabase(serverUrl!),
  };
}
