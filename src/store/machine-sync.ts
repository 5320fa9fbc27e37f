/**
 * Keeps one machine in step with the shared archive. Three things ring the bell — a NOTIFY on the
 * archive channel, a (re)connection of the listening connection, and a backstop poll — and each only
 * makes the machine compare the database's version with its replica's: notices can be missed (a
 * listener that was not connected never gets them) or arrive in any order, the version cannot. When
 * the database is ahead, the machine reloads (its reload pulls the changed files into the replica
 * first) and writes its outcome, which the admin's reply on whichever machine reads.
 */
import pg from 'pg';
import { ARCHIVE_CHANNEL, type ArchiveDb, type MachineOutcome } from './archive-db.js';
import type { Replica } from './replica.js';

/** The backstop: how often the version is compared even with no notice. */
const DEFAULT_POLL_MS = 30_000;
/** Longest wait between two attempts to reconnect the listening connection. */
const MAX_RECONNECT_MS = 30_000;

/** The database as a machine sees it, for /healthz. */
export interface SyncStatus {
  machine: string;
  /** Whether the listening connection is up. */
  database: 'connected' | 'disconnected';
  /** The version this machine's replica holds. */
  version: number;
  /** The database's version when last read (undefined before the first read). */
  databaseVersion?: number;
  /** Set while a pull is refused (the database went backwards). */
  refused?: string;
}

interface MachineSyncOptions {
  db: ArchiveDb;
  /** Where the LISTEN connection goes (DATABASE_URL). */
  url: string;
  machine: string;
  replica: Replica;
  /** Reloads this machine from the database (pulling into the replica first); resolves with the outcome. */
  reload: () => Promise<Omit<MachineOutcome, 'machine' | 'version'>>;
  logger: SyncLogger;
  /** @defaultValue {@link DEFAULT_POLL_MS} */
  pollMs?: number;
  /** Counted: syncs by what rang (notice, reconnect, poll, start) and their results. */
  onSync?: (trigger: SyncTrigger, result: 'reloaded' | 'failed' | 'refused') => void;
}

/** What the sync logs through (the bot's logger). */
export interface SyncLogger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export type SyncTrigger = 'notice' | 'reconnect' | 'poll' | 'start';

export class MachineSync {
  readonly #o: Required<Omit<MachineSyncOptions, 'onSync'>> & Pick<MachineSyncOptions, 'onSync'>;
  #listener: pg.Client | undefined;
  #connected = false;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #reconnectMs = 500;
  #checking: Promise<void> | undefined;
  #again: SyncTrigger | undefined;
  #status: SyncStatus;

  constructor(options: MachineSyncOptions) {
    this.#o = { pollMs: DEFAULT_POLL_MS, ...options };
    this.#status = { machine: options.machine, database: 'disconnected', version: 0 };
  }

  get status(): SyncStatus {
    return { ...this.#status, database: this.#connected ? 'connected' : 'disconnected' };
  }

  /** Listens, polls, and compares once now. */
  async start(): Promise<void> {
    this.#status.version = await this.#o.replica.version();
    this.#timer = setInterval(() => void this.check('poll'), this.#o.pollMs);
    this.#timer.unref();
    await this.#connect();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    clearTimeout(this.#reconnectTimer);
    await this.#listener?.end().catch(() => {});
    await this.#checking;
  }

  /**
   * Writes what this machine did for the version its replica now holds (called after every reload of
   * this machine, whoever asked for it), and that it is alive.
   */
  async recordOutcome(outcome: Omit<MachineOutcome, 'machine' | 'version'>): Promise<void> {
    const version = await this.#o.replica.version();
    this.#status.version = version;
    try {
      await this.#o.db.recordOutcome({ ...outcome, machine: this.#o.machine, version });
      await this.#o.db.heartbeat(this.#o.machine, version);
    } catch (err) {
      this.#o.logger.warn('could not write this machine’s reload outcome to the database', { err, version });
    }
  }

  /** Compares versions and reloads when the database is ahead; one check at a time (a bell meanwhile runs one more after it). */
  check(trigger: SyncTrigger): Promise<void> {
    if (this.#checking) {
      this.#again = trigger;
      return this.#checking;
    }
    this.#checking = this.#check(trigger).finally(() => {
      this.#checking = undefined;
      const again = this.#again;
      this.#again = undefined;
      if (again && !this.#stopped) void this.check(again);
    });
    return this.#checking;
  }

  async #check(trigger: SyncTrigger): Promise<void> {
    const { db, replica, logger, machine } = this.#o;
    let version: number;
    let local: number;
    try {
      [version, local] = await Promise.all([db.version(), replica.version()]);
    } catch (err) {
      if (trigger !== 'poll' || this.#connected) logger.warn('cannot read the shared archive’s version', { trigger, err });
      return;
    }
    this.#status.databaseVersion = version;
    this.#status.version = local;
    if (version < local) {
      this.#status.refused = `the database is at version ${version}, behind this machine’s ${local}`;
      logger.error('the shared archive’s version went backwards; not syncing', { databaseVersion: version, version: local });
      this.#o.onSync?.(trigger, 'refused');
      return;
    }
    delete this.#status.refused;
    if (version === local) {
      if (trigger === 'poll') await db.heartbeat(machine, local).catch(() => {});
      return;
    }
    logger.info('the shared archive changed; reloading', { trigger, from: local, to: version });
    const outcome = await this.#o.reload().catch((err: unknown) => ({
      ok: false,
      documents: 0,
      durationMs: 0,
      error: err instanceof Error ? err.message : String(err),
    }));
    this.#status.version = await replica.version().catch(() => this.#status.version);
    this.#o.onSync?.(trigger, outcome.ok ? 'reloaded' : 'failed');
  }

  async #connect(): Promise<void> {
    if (this.#stopped) return;
    const client = new pg.Client({ connectionString: this.#o.url, connectionTimeoutMillis: 5_000 });
    const lost = (err?: unknown): void => {
      if (this.#listener !== client) return;
      this.#listener = undefined;
      if (this.#connected) this.#o.logger.warn('lost the connection to the shared archive; reconnecting', { err });
      this.#connected = false;
      client.end().catch(() => {});
      this.#scheduleReconnect();
    };
    this.#listener = client;
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (notice) => {
      if (notice.channel === ARCHIVE_CHANNEL) void this.check('notice');
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${ARCHIVE_CHANNEL}`);
    } catch (err) {
      lost(err);
      return;
    }
    const wasStart = this.#status.databaseVersion === undefined;
    this.#connected = true;
    this.#reconnectMs = 500;
    this.#o.logger.info('listening to the shared archive', { machine: this.#o.machine });
    // Notices sent while no listener was connected are lost: the version says what was missed.
    await this.check(wasStart ? 'start' : 'reconnect');
  }

  #scheduleReconnect(): void {
    if (this.#stopped) return;
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = setTimeout(() => void this.#connect(), this.#reconnectMs);
    this.#reconnectTimer.unref();
    this.#reconnectMs = Math.min(this.#reconnectMs * 2, MAX_RECONNECT_MS);
  }
}
