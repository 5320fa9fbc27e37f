/**
 * Holds the archive the bot answers from. A reload builds a complete new Archive beside the current
 * one and swaps it in only when the load succeeded, so a failed reload changes nothing and the old
 * index answers throughout. A reload that could read none of the archive's files counts as failed.
 * Concurrent reloads share one run (single flight).
 */
import {
  type Archive,
  diffArchives,
  emptyArchiveReason,
  type ArchiveDiff,
  ArchiveLoadError,
  type LoadProgress,
  type SkippedFile,
  loadArchiveInWorker,
} from '../archive/index.js';
import type { Logger } from '../discord/logger.js';

/**
 * How an archive is read; injectable so tests can make a load fail or stall. `signal` aborts when
 * the load's deadline passes: a loader should stop its work then (the holder moves on regardless).
 * `onProgress`, when given, is told how far a long load has got (a loader may never call it).
 */
export type LoadArchive = (path: string, signal?: AbortSignal, onProgress?: (progress: LoadProgress) => void) => Promise<Archive>;

/**
 * How often a load tells the bot how far it has got: the log gets a line, and /reload's reply an
 * edit, this often at most (Discord's rate limits want edits seconds apart).
 */
export const PROGRESS_INTERVAL_MS = 5000;

/**
 * Loads in a worker thread: a long re-analysis must not stall the gateway heartbeat or the
 * answers the current archive keeps giving while it runs; past the deadline the worker is terminated.
 */
const defaultLoad: LoadArchive = (path, signal, onProgress) =>
  loadArchiveInWorker(path, { signal, ...(onProgress ? { onProgress, progressIntervalMs: PROGRESS_INTERVAL_MS } : {}) });

/** How long a load may take by default (RELOAD_TIMEOUT_S): 10 minutes. */
export const DEFAULT_LOAD_TIMEOUT_MS = 600_000;

/**
 * {@link defaultLoad}, keeping the on-disk index under `cacheDir` when one is configured (CACHE_DIR);
 * cache warnings (a file that could not be used or written) go to `logger`, as log lines like any other.
 * Progress is reported every `progressIntervalMs` (tests lower it to see a small archive's).
 */
export function workerLoad(cacheDir: string | undefined, logger?: Logger, progressIntervalMs = PROGRESS_INTERVAL_MS): LoadArchive {
  const onCacheWarning = logger && ((message: string) => logger.warn('index cache warning', { detail: message }));
  return (path, signal, onProgress) =>
    loadArchiveInWorker(path, {
      cacheDir,
      signal,
      ...(onCacheWarning ? { onCacheWarning } : {}),
      ...(onProgress ? { onProgress, progressIntervalMs } : {}),
    });
}

export type ReloadReport =
  | {
      ok: true;
      /** This caller joined a reload that was already running. */
      joined: boolean;
      archive: Archive;
      previousLoadedAt: Date;
      diff: ArchiveDiff;
      skipped: readonly SkippedFile[];
      durationMs: number;
    }
  | {
      ok: false;
      joined: boolean;
      error: Error;
      /** The archive still in use. */
      archive: Archive;
      durationMs: number;
    };

export class ArchiveHolder {
  #current: Archive | undefined;
  #inflight: Promise<ReloadReport> | undefined;
  /** Told how far the running reload has got: the callers waiting for it (each /reload's reply). */
  readonly #watchers = new Set<(progress: LoadProgress) => void>();
  /** Told the outcome of every reload run (not of each caller that joined one): metrics and health. */
  onReloaded: ((report: ReloadReport) => void) | undefined;

  constructor(
    /** The folder or file to (re)load. */
    readonly path: string,
    private readonly logger: Logger,
    private readonly load: LoadArchive = defaultLoad,
    /** A load (first or reload) still running after this long is stopped and counts as failed. */
    private readonly timeoutMs: number = DEFAULT_LOAD_TIMEOUT_MS,
  ) {}

  /** The archive in use. Throws before {@link init} has succeeded. */
  get current(): Archive {
    if (!this.#current) throw new Error('The archive has not been loaded yet.');
    return this.#current;
  }

  get reloading(): boolean {
    return this.#inflight !== undefined;
  }

  /** First load; throws the loader's error (the bot cannot start without an archive). */
  async init(): Promise<Archive> {
    const started = Date.now();
    const archive = await this.#loadWithin('loading the archive');
    this.#current = archive;
    this.logger.info('archive loaded', {
      path: this.path,
      ...archive.stats(),
      sources: undefined,
      skipped: archive.skipped.length,
      // How the index was made: `snapshot` = read from the saved index, nothing analysed.
      cache: archive.loadReport?.cache,
      documentsAnalyzed: archive.loadReport?.documentsAnalyzed,
      durationMs: Date.now() - started,
    });
    const empty = emptyArchiveReason(archive);
    if (empty) this.logger.warn('the archive holds no document: every answer will say it is empty', { path: this.path, reason: empty });
    return archive;
  }

  /**
   * Re-reads the archive; a second call while one runs gets the same outcome (with `joined: true`).
   * `onProgress` is told how far the load has got until it ends (a long one: see {@link PROGRESS_INTERVAL_MS}).
   */
  reload(onProgress?: (progress: LoadProgress) => void): Promise<ReloadReport> {
    if (onProgress) this.#watchers.add(onProgress);
    const stopWatching = <T>(report: T): T => {
      if (onProgress) this.#watchers.delete(onProgress);
      return report;
    };
    if (this.#inflight) return this.#inflight.then((report) => stopWatching({ ...report, joined: true }));
    const run = this.#run()
      .then((report) => {
        this.onReloaded?.(report);
        return report;
      })
      .finally(() => {
        this.#inflight = undefined;
      });
    this.#inflight = run;
    return run.then(stopWatching);
  }

  /**
   * The load, bounded by the deadline: past it the load is aborted (the worker terminated) and this
   * rejects at once, even if the loader ignores the signal, so a hung load cannot hold the holder
   * (a later /reload would join it forever, /archive would say "a reload is running" forever).
   */
  async #loadWithin(what: 'loading the archive' | 'reloading the archive'): Promise<Archive> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const seconds = Math.round(this.timeoutMs / 1000);
        const error = new ArchiveLoadError('timeout', `loading took longer than the ${seconds} s limit (RELOAD_TIMEOUT_S) and was stopped`);
        controller.abort(error);
        reject(error);
      }, this.timeoutMs);
    });
    try {
      const onProgress = (progress: LoadProgress): void => {
        // A long load says how far it has got, every few seconds (the loader's interval), so a start or
        // /reload of a large archive is not minutes of silence.
        this.logger.info(what, { path: this.path, ...progress });
        for (const watcher of this.#watchers) {
          try {
            watcher(progress);
          } catch (err) {
            this.logger.warn('a reload progress watcher failed', { err });
          }
        }
      };
      return await Promise.race([this.load(this.path, controller.signal, onProgress), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #run(): Promise<ReloadReport> {
    const before = this.current;
    const started = Date.now();
    let next: Archive;
    try {
      next = await this.#loadWithin('reloading the archive');
    } catch (cause) {
      const error = cause instanceof Error ? cause : new Error(String(cause));
      const durationMs = Date.now() - started;
      this.logger.warn('reload failed; keeping the archive in use', { path: this.path, err: error, durationMs });
      return { ok: false, joined: false, error, archive: before, durationMs };
    }
    if (next.documents.length === 0 && before.documents.length > 0 && next.skipped.length > 0) {
      // Every file failed (a folder being replaced while it was read, say): swapping would leave the
      // bot with nothing to quote. An archive emptied on purpose has no files to skip and is swapped in.
      const example = next.skipped[0]!;
      const error = new ArchiveLoadError(
        'no-documents',
        `no document could be read this time (${next.skipped.length} skipped, e.g. ${example.file}: ${example.reason}); fix the files and reload again.`,
      );
      const durationMs = Date.now() - started;
      this.logger.warn('reload found no documents; keeping the archive in use', { path: this.path, skipped: next.skipped, durationMs });
      return { ok: false, joined: false, error, archive: before, durationMs };
    }
    const diff = diffArchives(before.documents, next.documents);
    this.#current = next;
    const durationMs = Date.now() - started;
    this.logger.info('archive reloaded', {
      path: this.path,
      documents: next.documents.length,
      added: diff.added.length,
      changed: diff.changed.length,
      removed: diff.removed.length,
      skipped: next.skipped.length,
      cache: next.loadReport?.cache,
      documentsAnalyzed: next.loadReport?.documentsAnalyzed,
      durationMs,
    });
    const empty = emptyArchiveReason(next);
    if (empty) this.logger.warn('the archive holds no document: every answer will say it is empty', { path: this.path, reason: empty });
    return {
      ok: true,
      joined: false,
      archive: next,
      previousLoadedAt: before.loadedAt,
      diff,
      skipped: next.skipped,
      durationMs,
    };
  }
}
