/**
 * What a load did with the on-disk cache: shown by `cli index` and the bot's /reload, and
 * asserted by tests. Plain data.
 */
export interface LoadReport {
  /**
   * How the index was made: `snapshot` — the saved index was current and was used as it is
   * (nothing analysed); `rebuilt` — rebuilt from the files, reusing the saved analysis of every
   * file that had one; `off` — the cache was not used (`cache: false`).
   */
  cache: 'snapshot' | 'rebuilt' | 'off';
  /** The cache folder (absent when the cache is off). */
  cacheDir?: string;
  /** Supported files in the archive. */
  files: number;
  /** Files and folders left out by the archive's `.archivistignore`. */
  ignored: number;
  /** Files added, changed and removed since the saved index (with no saved index, every file is added). */
  added: number;
  changed: number;
  removed: number;
  /** Files whose bytes were read; the others were known unchanged by size and times. */
  read: number;
  /** Files in which at least one document was analysed now (wink-nlp). */
  analyzed: number;
  /** Files whose documents all came analysed from the cache. */
  reused: number;
  /** Documents analysed now. */
  documentsAnalyzed: number;
  /** Whether the cache on disk now matches this archive (false when it could not be written). */
  saved: boolean;
  /** Cache files that could not be used (and were rebuilt) or written; the load went on without them. */
  warnings: string[];
  /** Milliseconds per stage: listing, reading files and cache entries, analysis, index build or decode, saving, all. */
  timings: { list: number; read: number; analyze: number; index: number; save: number; total: number };
}
