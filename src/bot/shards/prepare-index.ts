/**
 * Run by the launcher (index-preparation.ts) as a child process: brings the archive's on-disk index
 * up to date, answers with the counts over IPC, and exits. A process of its own because its exit
 * returns the memory the analysis took: after a worker thread, the launcher kept 489 MB resident
 * for the 100,000-passage archive (docs/scaling.md); the shards, not the launcher, hold the index.
 */
import { isArchiveLoadError, warmArchiveCache, type LoadProgress } from '../../archive/index.js';
import { readSetting } from '../../settings/index.js';
import { PREPARATION_PROGRESS_INTERVAL_MS, type PreparationAnswer, type PreparationProgress } from './index-preparation.js';

// The launcher stopped (or was killed): nobody waits for the index any more. Cache files are written
// under temporary names and renamed, so stopping mid-write leaves no half-written one.
process.once('disconnect', () => process.exit(0));
const answer = async (): Promise<PreparationAnswer> => {
  try {
    if (!process.send) throw new Error('prepare-index runs only as the launcher’s child, with the archive path');
    // The launcher's settings (its environment, .env included), read from the same table.
    const cacheDir = readSetting(process.env, 'cacheDir');
    const send = process.send.bind(process);
    const onProgress = (progress: LoadProgress): void => void send({ progress } satisfies PreparationProgress);
    const options = { onProgress, progressIntervalMs: PREPARATION_PROGRESS_INTERVAL_MS, ...(cacheDir === undefined ? {} : { cacheDir }) };
    return { ok: true, summary: await warmArchiveCache(readSetting(process.env, 'dataDir'), options) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, message, ...(isArchiveLoadError(error) ? { kind: error.kind } : {}) };
  }
};
const result = await answer();
if (process.send) process.send(result, () => process.disconnect());
else process.stderr.write(`${JSON.stringify(result)}\n`);
