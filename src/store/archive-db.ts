/**
 * The archive every machine shares, in PostgreSQL (ARCHIVE_STORE=postgres): files as rows (path,
 * bytes, hash, added and removed by whom and when) and one archive version that every change bumps.
 * A change is one transaction — the row, the version bump, the NOTIFY — so a notice arrives only for a
 * committed change, and a machine that missed it (it was down, or between connections) still finds
 * the change by comparing versions: the version is the truth, the notice only the doorbell.
 *
 * Machines also write here what they did: each one's last synced version (a heartbeat) and the
 * outcome of its reload for a version, so an admin's reply can name every machine's result.
 */
import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import type pg from 'pg';
import { createSchema } from './pool.js';

/** The channel every change is announced on; the payload is the new version. */
export const ARCHIVE_CHANNEL = 'archivist_archive';

/** Where /upload puts files, as in a folder archive. */
const UPLOADS = 'uploads';
/** Suffixes tried for a taken name (`-2` … `-999`), as in a folder archive. */
const MAX_SUFFIX = 999;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS archive_files (
    path TEXT PRIMARY KEY,
    bytes BYTEA NOT NULL,
    hash TEXT NOT NULL,
    size BIGINT NOT NULL,
    added_by TEXT NOT NULL,
    added_at TIMESTAMPTZ NOT NULL,
    removed_by TEXT,
    removed_at TIMESTAMPTZ,
    version BIGINT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS archive_files_by_version ON archive_files (version);
  CREATE TABLE IF NOT EXISTS archive_version (
    one BOOLEAN PRIMARY KEY DEFAULT true CHECK (one),
    version BIGINT NOT NULL
  );
  INSERT INTO archive_version (one, version) VALUES (true, 0) ON CONFLICT (one) DO NOTHING;
  CREATE TABLE IF NOT EXISTS archive_changes (
    version BIGINT PRIMARY KEY,
    kind TEXT NOT NULL,
    path TEXT,
    by_whom TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL DEFAULT now()
  );
  CREATE TABLE IF NOT EXISTS archive_machines (
    machine TEXT PRIMARY KEY,
    version BIGINT NOT NULL,
    seen_at TIMESTAMPTZ NOT NULL DEFAULT now()
  );
  CREATE TABLE IF NOT EXISTS archive_outcomes (
    machine TEXT NOT NULL,
    version BIGINT NOT NULL,
    ok BOOLEAN NOT NULL,
    documents INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    error TEXT,
    at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (machine, version)
  );
`;

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A file of the shared archive as a machine syncs it: present (with its bytes) or removed. */
interface FileRow {
  path: string;
  /** Absent when the file was removed. */
  bytes?: Buffer;
  hash: string;
  version: number;
}

/** One machine's reload for an archive version. */
export interface MachineOutcome {
  machine: string;
  version: number;
  ok: boolean;
  documents: number;
  durationMs: number;
  error?: string;
}

type RemoveResult = { ok: true; version: number } | { ok: false; reason: string };

/** A path as the archive names files: relative, `/`-separated, no empty, `.`, `..` or hidden parts (but `.archivistignore`). */
export function isArchivePath(path: string): boolean {
  if (path.length === 0 || path.length > 1024 || path.includes('\\') || path.includes('\0') || path.startsWith('/')) return false;
  const parts = path.split('/');
  return parts.every(
    (p, i) => p !== '' && p !== '.' && p !== '..' && (!p.startsWith('.') || (i === parts.length - 1 && p === '.archivistignore')),
  );
}

/** `name`, then `stem-2.ext`, `stem-3.ext`, … */
function candidates(name: string): string[] {
  const extension = extname(name);
  const stem = name.slice(0, name.length - extension.length);
  return [name, ...Array.from({ length: MAX_SUFFIX - 1 }, (_, i) => `${stem}-${i + 2}${extension}`)];
}

export class ArchiveDb {
  #schema: Promise<void> | undefined;

  constructor(readonly pool: pg.Pool) {}

  /** Makes the tables (once per process; again after a failure). */
  init(): Promise<void> {
    this.#schema ??= createSchema(this.pool, SCHEMA).catch((error: unknown) => {
      this.#schema = undefined;
      throw error;
    });
    return this.#schema;
  }

  async version(): Promise<number> {
    await this.init();
    const { rows } = await this.pool.query<{ version: string }>('SELECT version FROM archive_version');
    return Number(rows[0]!.version);
  }

  /** Runs `work` in one transaction that bumps the version and announces it; returns the new version. */
  async #change<T>(
    kind: string,
    path: string | null,
    by: string,
    work: (client: pg.PoolClient, version: number) => Promise<T>,
  ): Promise<T> {
    await this.init();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // The row lock on the version serialises writers: versions are handed out in commit order.
      const { rows } = await client.query<{ version: string }>('UPDATE archive_version SET version = version + 1 RETURNING version');
      const version = Number(rows[0]!.version);
      const result = await work(client, version);
      await client.query('INSERT INTO archive_changes (version, kind, path, by_whom) VALUES ($1, $2, $3, $4)', [version, kind, path, by]);
      await client.query('SELECT pg_notify($1, $2)', [ARCHIVE_CHANNEL, String(version)]);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Adds an uploaded file as `uploads/<name>`, or the first free suffixed name (a name any row holds,
   * removed or not, is taken: nothing is overwritten). Returns the path used and the new version.
   */
  async addUpload(name: string, bytes: Uint8Array, by: string): Promise<{ file: string; version: number }> {
    await this.init();
    const names = candidates(name).map((n) => `${UPLOADS}/${n}`);
    for (let attempt = 0; ; attempt++) {
      const { rows } = await this.pool.query<{ path: string }>('SELECT path FROM archive_files WHERE path = ANY($1)', [names]);
      const taken = new Set(rows.map((r) => r.path));
      const file = names.find((n) => !taken.has(n));
      if (!file) throw new Error(`every name from ${name} to its -${MAX_SUFFIX} suffix is taken`);
      try {
        return await this.#change('add', file, by, async (client, version) => {
          await client.query(
            `INSERT INTO archive_files (path, bytes, hash, size, added_by, added_at, version) VALUES ($1, $2, $3, $4, $5, now(), $6)`,
            [file, Buffer.from(bytes), sha256(bytes), bytes.length, by, version],
          );
          return { file, version };
        });
      } catch (error) {
        // Another machine took the name between the look and the insert: look again.
        if ((error as { code?: string }).code !== '23505' || attempt >= 3) throw error;
      }
    }
  }

  /** Marks `path` removed (its bytes stay in the database); refuses a path that is not a present file. */
  async remove(path: string, by: string): Promise<RemoveResult> {
    await this.init();
    try {
      return await this.#change('remove', path, by, async (client, version) => {
        const { rowCount } = await client.query(
          'UPDATE archive_files SET removed_by = $2, removed_at = now(), version = $3 WHERE path = $1 AND removed_at IS NULL',
          [path, by, version],
        );
        if (!rowCount) throw new NotPresent();
        return { ok: true as const, version };
      });
    } catch (error) {
      if (error instanceof NotPresent)
        return { ok: false, reason: `${path} is not in the shared archive (removed already, or never added)` };
      throw error;
    }
  }

  /** A version bump with no file changed: every machine reloads (a /reload on any machine). */
  requestReload(by: string): Promise<number> {
    return this.#change('reload', null, by, (_client, version) => Promise.resolve(version));
  }

  /**
   * Loads files into the shared archive (`archivist import-archive`): new paths are added, changed
   * bytes replace the old, a removed file comes back; an identical file changes nothing. One
   * transaction and one version bump for all, none when nothing changed.
   */
  async importFiles(
    files: ReadonlyArray<{ path: string; bytes: Uint8Array }>,
    by: string,
  ): Promise<{ added: number; changed: number; unchanged: number; version: number }> {
    await this.init();
    const { rows } = await this.pool.query<{ path: string; hash: string; removed: boolean }>(
      'SELECT path, hash, removed_at IS NOT NULL AS removed FROM archive_files',
    );
    const existing = new Map(rows.map((r) => [r.path, r]));
    const work = files
      .map((f) => ({ ...f, hash: sha256(f.bytes) }))
      .filter((f) => {
        const row = existing.get(f.path);
        return !row || row.removed || row.hash !== f.hash;
      });
    const added = work.filter((f) => !existing.has(f.path)).length;
    if (!work.length) return { added: 0, changed: 0, unchanged: files.length, version: await this.version() };
    const version = await this.#change('import', null, by, async (client, v) => {
      for (const f of work) {
        await client.query(
          `INSERT INTO archive_files (path, bytes, hash, size, added_by, added_at, version) VALUES ($1, $2, $3, $4, $5, now(), $6)
           ON CONFLICT (path) DO UPDATE SET bytes = excluded.bytes, hash = excluded.hash, size = excluded.size,
             added_by = excluded.added_by, added_at = excluded.added_at, removed_by = NULL, removed_at = NULL, version = excluded.version`,
          [f.path, Buffer.from(f.bytes), f.hash, f.bytes.length, by, v],
        );
      }
      return v;
    });
    return { added, changed: work.length - added, unchanged: files.length - work.length, version };
  }

  /** Every present file with its bytes, in path order (`archivist export-archive`). */
  async presentFiles(): Promise<Array<{ path: string; bytes: Buffer }>> {
    await this.init();
    const { rows } = await this.pool.query<{ path: string; bytes: Buffer }>(
      'SELECT path, bytes FROM archive_files WHERE removed_at IS NULL ORDER BY path COLLATE "C"',
    );
    return rows;
  }

  /**
   * What changed after `since`, read as one snapshot: the current version and every file row whose
   * last change is newer (removed ones without bytes). A file unchanged since `since` is not sent.
   */
  async changesSince(since: number): Promise<{ version: number; files: FileRow[] }> {
    await this.init();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { rows: v } = await client.query<{ version: string }>('SELECT version FROM archive_version');
      const version = Number(v[0]!.version);
      const { rows } = await client.query<{ path: string; bytes: Buffer | null; hash: string; version: string }>(
        `SELECT path, CASE WHEN removed_at IS NULL THEN bytes END AS bytes, hash, version
         FROM archive_files WHERE version > $1 AND version <= $2 ORDER BY version, path`,
        [since, version],
      );
      await client.query('COMMIT');
      return {
        version,
        files: rows.map((r) => ({ path: r.path, hash: r.hash, version: Number(r.version), ...(r.bytes ? { bytes: r.bytes } : {}) })),
      };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /** This machine is alive and holds `version`. */
  async heartbeat(machine: string, version: number): Promise<void> {
    await this.init();
    await this.pool.query(
      `INSERT INTO archive_machines (machine, version, seen_at) VALUES ($1, $2, now())
       ON CONFLICT (machine) DO UPDATE SET version = excluded.version, seen_at = excluded.seen_at`,
      [machine, version],
    );
  }

  async recordOutcome(outcome: MachineOutcome): Promise<void> {
    await this.init();
    await this.pool.query(
      `INSERT INTO archive_outcomes (machine, version, ok, documents, duration_ms, error) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (machine, version) DO UPDATE SET ok = excluded.ok, documents = excluded.documents,
         duration_ms = excluded.duration_ms, error = excluded.error, at = now()`,
      [outcome.machine, outcome.version, outcome.ok, outcome.documents, Math.round(outcome.durationMs), outcome.error ?? null],
    );
  }

  /** Machines seen within `withinMs`, each with its latest outcome at or above `version` (absent: none yet). */
  async outcomesSince(version: number, withinMs: number): Promise<Array<{ machine: string; outcome?: MachineOutcome }>> {
    await this.init();
    const { rows } = await this.pool.query<{
      machine: string;
      version: string | null;
      ok: boolean | null;
      documents: number | null;
      duration_ms: number | null;
      error: string | null;
    }>(
      `SELECT m.machine, o.version, o.ok, o.documents, o.duration_ms, o.error
       FROM archive_machines m
       LEFT JOIN LATERAL (
         SELECT * FROM archive_outcomes o WHERE o.machine = m.machine AND o.version >= $1 ORDER BY o.version DESC LIMIT 1
       ) o ON true
       WHERE m.seen_at > now() - make_interval(secs => $2) OR o.version IS NOT NULL
       ORDER BY m.machine COLLATE "C"`,
      [version, withinMs / 1000],
    );
    return rows.map((r) => ({
      machine: r.machine,
      ...(r.version === null
        ? {}
        : {
            outcome: {
              machine: r.machine,
              version: Number(r.version),
              ok: r.ok!,
              documents: r.documents!,
              durationMs: r.duration_ms!,
              ...(r.error === null ? {} : { error: r.error }),
            },
          }),
    }));
  }
}

class NotPresent extends Error {}
