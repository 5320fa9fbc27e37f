/**
 * The bot's side of ARCHIVE_STORE=postgres: the database connection, this machine's replica of the
 * archive (DATA_DIR) and its sync. The process that holds the index of this machine — the bot
 * itself, or the launcher when it runs shard processes — pulls the shared archive into the replica
 * before every load and keeps listening for changes; shard processes only write changes.
 */
import { hostname } from 'node:os';
import type pg from 'pg';
import { ArchiveLoadError } from '../../archive/index.js';
import type { Logger } from '../../discord/logger.js';
import { createPool } from '../../store/pool.js';
import { ArchiveDb, type MachineOutcome } from '../../store/archive-db.js';
import { MachineSync, type SyncTrigger } from '../../store/machine-sync.js';
import { Replica } from '../../store/replica.js';
import type { Config } from '../config.js';

/** This machine's name in reports and in the database: MACHINE_ID, else the host name. */
function machineName(config: Pick<Config, 'machineId'>): string {
  return config.machineId ?? hostname();
}

export interface SharedArchive {
  readonly pool: pg.Pool;
  readonly db: ArchiveDb;
  readonly replica: Replica;
  readonly machine: string;
  /** Brings the replica up to the database's version before a load. `firstLoad`: an unreachable database is only a warning (start from the copy there is). */
  pull(firstLoad?: boolean): Promise<void>;
  /** Starts listening for changes; `reload` reloads this machine (pulling first). */
  startSync(
    reload: () => Promise<Omit<MachineOutcome, 'machine' | 'version'>>,
    onSync?: (trigger: SyncTrigger, result: 'reloaded' | 'failed' | 'refused') => void,
  ): Promise<MachineSync>;
  close(): Promise<void>;
}

export function openSharedArchive(config: Config & { databaseUrl: string }, logger: Logger): SharedArchive {
  const pool = createPool(config.databaseUrl, (err) => logger.warn('a database connection failed', { err }));
  const db = new ArchiveDb(pool);
  const replica = new Replica(config.dataDir);
  const machine = machineName(config);
  let sync: MachineSync | undefined;
  return {
    pool,
    db,
    replica,
    machine,
    async pull(firstLoad = false) {
      const started = Date.now();
      let result: Awaited<ReturnType<Replica['pull']>>;
      try {
        result = await replica.pull(db);
      } catch (err) {
        if (firstLoad) {
          logger.warn('the shared archive cannot be reached; starting from this machine’s copy', { err });
          return;
        }
        logger.warn('could not sync from the shared archive', { err });
        throw new ArchiveLoadError('unreadable', 'the shared archive (PostgreSQL) cannot be reached right now; nothing changed');
      }
      if (!result.ok) {
        logger.error('not syncing from the shared archive', { reason: result.reason });
        if (firstLoad) return;
        throw new ArchiveLoadError('unreadable', result.reason);
      }
      if (result.refused.length) logger.warn('files with paths the archive cannot hold were not synced', { paths: result.refused });
      if (result.version !== result.from) {
        logger.info('synced from the shared archive', {
          from: result.from,
          version: result.version,
          written: result.written,
          removed: result.removed,
          durationMs: Date.now() - started,
        });
      }
    },
    async startSync(reload, onSync) {
      sync = new MachineSync({ db, url: config.databaseUrl, machine, replica, reload, logger, ...(onSync ? { onSync } : {}) });
      await sync.start();
      return sync;
    },
    async close() {
      await sync?.stop();
      await pool.end().catch(() => {});
    },
  };
}
