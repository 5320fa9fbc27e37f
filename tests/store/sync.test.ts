/**
 * The shared archive's sync against a real PostgreSQL (tests/helpers/postgres.ts): a machine's
 * replica follows the database's version, whatever happens to the notices — missed, out of order —
 * refuses a version that went backwards, and never lets the loader read half a file.
 */
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, test } from 'vitest';
import { loadArchive } from '../../src/archive/index.js';
import { ArchiveDb } from '../../src/store/archive-db.js';
import { MachineSync, type SyncLogger } from '../../src/store/machine-sync.js';
import { createPool } from '../../src/store/pool.js';
import { Replica, REPLICA_STATE_FILE, STAGING_FOLDER } from '../../src/store/replica.js';
import { withFsHook } from '../helpers/fs-spy.js';
import { postgresMissing, useDatabase } from '../helpers/postgres.js';

const database = useDatabase();
const pools: pg.Pool[] = [];
const syncs: MachineSync[] = [];

const quiet: SyncLogger = { info() {}, warn() {}, error() {} };
const doc = (title: string, text: string) => Buffer.from(`# ${title}\n\n${text}\n`);

/** An empty shared archive of its own and an empty replica folder. */
async function fresh(): Promise<{ db: ArchiveDb; url: string; replica: Replica; folder: string }> {
  const url = await database.another();
  const pool = createPool(url);
  pools.push(pool);
  const folder = await mkdtemp(join(tmpdir(), 'archivist-replica-'));
  return { db: new ArchiveDb(pool), url, replica: new Replica(folder), folder };
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

afterAll(async () => {
  await Promise.all(syncs.map((s) => s.stop()));
  await Promise.all(pools.map((p) => p.end()));
});

describe.skipIf(postgresMissing !== undefined)('Replica.pull', () => {
  test('writes added files, deletes removed ones, and records the version it reached', async () => {
    const { db, replica, folder } = await fresh();
    const { file, version } = await db.addUpload('canal.md', doc('Canal', 'The canal was finished in spring.'), 'admin');
    expect(file).toBe('uploads/canal.md');
    expect(await replica.pull(db)).toMatchObject({ ok: true, from: 0, version, written: 1, removed: 0 });
    expect(await readFile(join(folder, 'uploads', 'canal.md'), 'utf8')).toContain('finished in spring');
    // The same name again gets a suffix: nothing is overwritten.
    expect((await db.addUpload('canal.md', doc('Canal 2', 'Another canal.'), 'admin')).file).toBe('uploads/canal-2.md');
    await db.remove('uploads/canal.md', 'admin');
    expect(await replica.pull(db)).toMatchObject({ ok: true, written: 1, removed: 1 });
    expect(await readdir(join(folder, 'uploads'))).toEqual(['canal-2.md']);
    expect(await replica.version()).toBe(await db.version());
    expect(await db.remove('uploads/canal.md', 'admin')).toMatchObject({ ok: false });
  });

  test('a version going backwards is refused: the replica is left as it is', async () => {
    const first = await fresh();
    for (const n of [1, 2, 3]) await first.db.addUpload(`n${n}.md`, doc(`N${n}`, `Number ${n}.`), 'admin');
    expect(await first.replica.pull(first.db)).toMatchObject({ ok: true, version: 3 });
    // The same machine pointed at a database that is behind (restored from an older backup, say).
    const older = await fresh();
    await older.db.addUpload('other.md', doc('Other', 'Something else.'), 'admin');
    const result = await first.replica.pull(older.db);
    expect(result).toMatchObject({ ok: false, from: 3 });
    expect(result.ok ? '' : result.reason).toMatch(/version 1, behind this machine's copy \(version 3\)/);
    expect((await readdir(join(first.folder, 'uploads'))).sort()).toEqual(['n1.md', 'n2.md', 'n3.md']);
    expect(await first.replica.version()).toBe(3);
  });

  test('a file cut short while written is never read: the loader sees the old folder, and the next pull completes', async () => {
    const { db, replica, folder } = await fresh();
    await db.addUpload('first.md', doc('First', 'The first document is whole.'), 'admin');
    await replica.pull(db);
    const big = doc('Second', 'The second document. '.repeat(5000));
    await db.addUpload('second.md', big, 'admin');
    // The disk fills up halfway through the second file.
    let cut = false;
    const failed = await withFsHook(
      async ({ fn, path }) => {
        if (fn === 'promises.writeFile' && path.endsWith('.part') && !cut) {
          cut = true;
          await writeFile(path, big.subarray(0, big.length / 2));
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        }
      },
      () => replica.pull(db).catch((error: unknown) => error),
    );
    expect(String(failed)).toMatch(/ENOSPC/);
    expect(await replica.version()).toBe(1);
    // Nothing of the half file where the loader looks: only the whole first document.
    const loaded = await loadArchive(folder);
    expect(loaded.documents.map((d) => d.file)).toEqual(['uploads/first.md']);
    expect(loaded.skipped).toEqual([]);
    // A leftover staging file (a crash, not an error) is hidden from the loader too.
    await writeFile(join(folder, STAGING_FOLDER, 'left-over.part'), big.subarray(0, 100));
    expect((await loadArchive(folder)).documents).toHaveLength(1);
    expect(await replica.pull(db)).toMatchObject({ ok: true, from: 1, version: 2, written: 1 });
    expect(await readFile(join(folder, 'uploads', 'second.md'))).toEqual(big);
    expect(JSON.parse(await readFile(join(folder, REPLICA_STATE_FILE), 'utf8'))).toEqual({ version: 2 });
  });
});

describe.skipIf(postgresMissing !== undefined)('MachineSync', () => {
  /** A machine whose reload pulls into its replica and counts. */
  async function machine(db: ArchiveDb, url: string, replica: Replica, pollMs = 60_000) {
    const reloads: number[] = [];
    const sync = new MachineSync({
      db,
      url,
      machine: 'test',
      replica,
      logger: quiet,
      pollMs,
      reload: async () => {
        const pulled = await replica.pull(db);
        reloads.push(pulled.ok ? pulled.version : -1);
        return { ok: pulled.ok, documents: 0, durationMs: 0 };
      },
    });
    syncs.push(sync);
    await sync.start();
    return { sync, reloads };
  }

  test('a notice brings a change; a change made while the machine was away is caught up on start', async () => {
    const { db, url, replica } = await fresh();
    await db.addUpload('before.md', doc('Before', 'Added while the machine was down.'), 'admin');
    const { sync, reloads } = await machine(db, url, replica);
    expect(reloads).toEqual([1]);
    expect(sync.status).toMatchObject({ database: 'connected', version: 1, databaseVersion: 1 });
    await db.addUpload('after.md', doc('After', 'Added while it listens.'), 'admin');
    await until(async () => (await replica.version()) === 2, 'the notice to bring version 2');
    expect(reloads).toEqual([1, 2]);
  });

  test('a missed notice: the backstop poll finds the change by its version', async () => {
    const { db, url, replica } = await fresh();
    const { reloads } = await machine(db, url, replica, 200);
    // A change whose notice never came (written without NOTIFY).
    await db.pool.query('UPDATE archive_version SET version = version + 1');
    await until(() => reloads.length === 1, 'the poll to notice version 1');
    expect(await replica.version()).toBe(1);
  });

  test('notices out of order, or for versions already held, change nothing and never go backwards', async () => {
    const { db, url, replica } = await fresh();
    const { reloads } = await machine(db, url, replica);
    const versions: number[] = [];
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    // Three changes in one transaction each, their notices then repeated in reverse order.
    for (const n of [1, 2, 3]) versions.push((await db.addUpload(`n${n}.md`, doc(`N${n}`, `Number ${n}.`), 'admin')).version);
    await until(async () => (await replica.version()) === 3, 'version 3');
    for (const v of [...versions].reverse()) await client.query('SELECT pg_notify($1, $2)', ['archivist_archive', String(v)]);
    await client.end();
    await new Promise((r) => setTimeout(r, 300));
    expect(await replica.version()).toBe(3);
    expect(reloads.every((v, i) => i === 0 || v >= reloads[i - 1]!)).toBe(true);
    expect(reloads.at(-1)).toBe(3);
  });
});
