/**
 * A throwaway PostgreSQL server for the tests: `initdb` into a temporary folder, `pg_ctl` on a free
 * loopback port, trust authentication for one user, no fsync; stopped and the folder removed at the
 * end. PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user (or
 * `nobody`), which is given the folder.
 *
 * `.ci/run` starts one for the whole run from the command line and exports its URL:
 *   tsx testing/postgres.ts start DIR   → prints postgres://… and leaves the server running
 *   tsx testing/postgres.ts stop DIR    → stops it (the caller removes DIR)
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where Debian's `postgresql` package puts the server (POSTGRES_BIN overrides). */
export const POSTGRES_BIN = process.env.POSTGRES_BIN || '/usr/lib/postgresql/15/bin';
const USER = 'archivist';

/** Whether the server binaries are here. */
export function postgresInstalled(): boolean {
  return existsSync(join(POSTGRES_BIN, 'initdb')) && existsSync(join(POSTGRES_BIN, 'pg_ctl'));
}

export interface ThrowawayPostgres {
  /** `postgres://archivist@127.0.0.1:PORT/postgres` */
  url: string;
  /** The server's folder (data, socket, log). */
  dir: string;
  /** Stops the server (fast shutdown); with `remove`, deletes its folder. */
  stop(options?: { remove?: boolean }): void;
  /** Starts a stopped server again, on the same port with the same data. */
  restart(): void;
}

/** The account the server runs as when we are root: one that exists, not root. */
function serverAccount(): { name: string; uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      return { name, uid, gid };
    } catch {
      // no such account; try the next
    }
  }
  throw new Error('PostgreSQL will not run as root, and neither a postgres nor a nobody account exists to run it as.');
}

function run(bin: string, args: string[], account: ReturnType<typeof serverAccount>): void {
  const path = join(POSTGRES_BIN, bin);
  const [command, argv] = account ? ['runuser', ['-u', account.name, '--', path, ...args]] : [path, args];
  execFileSync(command, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** Stops the server whose folder is `dir` (nothing when none runs there). */
export function stopPostgres(dir: string): void {
  if (!existsSync(join(dir, 'data', 'postmaster.pid'))) return;
  run('pg_ctl', ['-D', join(dir, 'data'), '-m', 'fast', '-w', 'stop'], serverAccount());
}

/** Starts a server in `dir` (a new temporary folder by default); resolves once it accepts connections. */
export async function startPostgres(dir = mkdtempSync(join(tmpdir(), 'archivist-pg-'))): Promise<ThrowawayPostgres> {
  if (!postgresInstalled()) throw new Error(`no PostgreSQL server in ${POSTGRES_BIN} (install the postgresql package)`);
  const account = serverAccount();
  if (account) chownSync(dir, account.uid, account.gid);
  const data = join(dir, 'data');
  const port = await freePort();
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const start = (): void => run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start'], account);
  try {
    run('initdb', ['-D', data, '-U', USER, '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'], account);
    start();
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`could not start PostgreSQL in ${dir}: ${(error as Error).message}\n${stderr}`, { cause: error });
  }
  return {
    url: `postgres://${USER}@127.0.0.1:${port}/postgres`,
    dir,
    stop({ remove = true } = {}) {
      stopPostgres(dir);
      if (remove) rmSync(dir, { recursive: true, force: true });
    },
    restart: start,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [action, dir] = process.argv.slice(2);
  if ((action !== 'start' && action !== 'stop') || !dir) {
    process.stderr.write('usage: tsx testing/postgres.ts start|stop DIR\n');
    process.exit(2);
  }
  if (action === 'stop') stopPostgres(dir);
  else process.stdout.write(`${(await startPostgres(dir)).url}\n`);
}
