/**
 * Which files changed since the saved index: by size and times where they are conclusive, by the
 * bytes' hash where they are not. And the manifest a build records for the next load to compare.
 */
import type { ProgressReporter } from './progress.js';
import { readArchiveFile, type ArchiveFile, type ArchiveListing, type FileReading } from '../load/index.js';
import type { Manifest, ManifestEntry } from '../cache/cache-files.js';

/**
 * A file whose times are this close to (or after) the moment the saved index read the archive is
 * re-hashed rather than trusted by its times: a write in the same timestamp tick as that read
 * would not show in the times (2 s covers the coarsest common clock, FAT's).
 */
export const RACY_WINDOW_MS = 2000;

/** One listed file, compared with the saved index. */
export interface Slot {
  entry: ArchiveFile;
  status: 'unchanged' | 'changed' | 'added';
  /** The bytes' hash when known (from the manifest for a file trusted by its times). */
  sha256?: string;
  /** The file as read now, when it was read. */
  reading?: FileReading;
}

export interface Changes {
  slots: Slot[];
  /** When this load started reading files (the next manifest's `checkedAt`). */
  checkedAt: number;
  added: number;
  changed: number;
  removed: number;
  /** Files read to compare them. */
  read: number;
  /** True when the saved index is current: nothing added, changed or removed, the same listing warnings. */
  current: boolean;
}

/** A file is unchanged by its times when size, mtime and ctime match and none of them is racy. */
function unchangedByStat(entry: ArchiveFile, saved: ManifestEntry, checkedAt: number, racyWindowMs: number): boolean {
  return (
    saved.sha256 !== undefined &&
    entry.size === saved.size &&
    entry.mtimeMs === saved.mtimeMs &&
    entry.ctimeMs === saved.ctimeMs &&
    Math.max(entry.mtimeMs, entry.ctimeMs) < checkedAt - racyWindowMs
  );
}

/** The same outcome for a file that was not read (too large, unreadable): same size and same reason. */
function sameUnread(reading: FileReading, saved: ManifestEntry, entry: ArchiveFile): boolean {
  return (
    reading.sha256 === undefined &&
    saved.sha256 === undefined &&
    saved.size === entry.size &&
    JSON.stringify(reading.problems) === JSON.stringify(saved.problems)
  );
}

/**
 * Sorts the listed files into unchanged, changed and added (reading those whose times are not
 * conclusive) and counts the removed ones; `progress` is told of each file read.
 */
export async function findChanges(
  listing: ArchiveListing,
  previous: Manifest | undefined,
  racyWindowMs: number,
  progress?: ProgressReporter,
): Promise<Changes> {
  const checkedAt = Date.now();
  const saved = new Map(previous?.files.map((file) => [file.file, file]));
  const gone = new Set(saved.keys());
  const slots: Slot[] = [];
  let read = 0;
  const savedOf = (entry: ArchiveFile): ManifestEntry | undefined => {
    const before = saved.get(entry.file);
    return before && previous && unchangedByStat(entry, before, previous.checkedAt, racyWindowMs) ? before : undefined;
  };
  if (progress) {
    const toRead = listing.files.filter((entry) => !savedOf(entry));
    progress.startReading(
      toRead.length,
      toRead.reduce((sum, entry) => sum + entry.size, 0),
    );
  }
  for (const entry of listing.files) {
    const before = saved.get(entry.file);
    gone.delete(entry.file);
    const unchanged = savedOf(entry);
    if (unchanged) {
      slots.push({ entry, status: 'unchanged', sha256: unchanged.sha256 });
      continue;
    }
    const reading = await readArchiveFile(entry, listing);
    progress?.fileRead(entry.size);
    read++;
    const same = before && (reading.sha256 !== undefined ? reading.sha256 === before.sha256 : sameUnread(reading, before, entry));
    slots.push({ entry, status: !before ? 'added' : same ? 'unchanged' : 'changed', sha256: reading.sha256, reading });
  }
  const added = slots.filter((slot) => slot.status === 'added').length;
  const changed = slots.filter((slot) => slot.status === 'changed').length;
  const current =
    previous !== undefined &&
    added === 0 &&
    changed === 0 &&
    gone.size === 0 &&
    JSON.stringify(listing.skipped) === JSON.stringify(previous.listingSkipped);
  return { slots, checkedAt, added, changed, removed: gone.size, read, current };
}

/**
 * True when some file was read only because its times were too recent to trust, and they are now
 * old enough: recording them spares reading it again at every start.
 */
export function timesNowTrusted(changes: Changes, racyWindowMs: number): boolean {
  return changes.slots.some(({ reading, entry }) => reading && Math.max(entry.mtimeMs, entry.ctimeMs) < changes.checkedAt - racyWindowMs);
}

/** The manifest of a build: each file's times as listed, and the hash (or problems) of what was read. */
export function manifestOf(
  changes: Pick<Changes, 'checkedAt' | 'slots'>,
  listingSkipped: Manifest['listingSkipped'],
  readings: readonly Pick<ManifestEntry, 'sha256' | 'problems'>[],
): Manifest {
  const files = changes.slots.map(({ entry }, i): ManifestEntry => {
    const { sha256, problems } = readings[i]!;
    const record: ManifestEntry = { file: entry.file, size: entry.size, mtimeMs: entry.mtimeMs, ctimeMs: entry.ctimeMs };
    if (sha256 !== undefined) record.sha256 = sha256;
    else record.problems = problems ?? [];
    return record;
  });
  return { checkedAt: changes.checkedAt, files, listingSkipped };
}
