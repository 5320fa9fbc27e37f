/** A successful reload's report, from the archive before to the one after, as the holder gives it. */
import { diffArchives, type Archive } from '../../src/archive/index.js';
import type { ReloadReport } from '../../src/bot/holder.js';

export function reloadedReport(before: Archive, after: Archive, durationMs: number): ReloadReport {
  return {
    ok: true,
    joined: false,
    archive: after,
    previousLoadedAt: before.loadedAt,
    diff: diffArchives(before.documents, after.documents),
    skipped: [],
    durationMs,
  };
}
