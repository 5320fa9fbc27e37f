/**
 * What changed between two loads of an archive: documents added, changed and removed, matched by id.
 * Pure and engine-side (no Discord): the bot's /reload report and the CLI can both render it.
 */
import type { ArchiveDocument } from './types.js';

/** A document named in a diff. */
export interface DocumentRef {
  id: string;
  title: string;
}

export interface ArchiveDiff {
  /** Ids present only in the new archive, in its order. */
  added: DocumentRef[];
  /** Ids in both whose text or metadata (title, file, source, date, url, tags) differ, in the new order. */
  changed: DocumentRef[];
  /** Ids present only in the old archive, in its order. */
  removed: DocumentRef[];
  /** Documents identical in both. */
  unchanged: number;
}

const ref = (d: ArchiveDocument): DocumentRef => ({ id: d.id, title: d.title });

function sameDocument(a: ArchiveDocument, b: ArchiveDocument): boolean {
  return (
    a.text === b.text &&
    a.title === b.title &&
    a.file === b.file &&
    a.source === b.source &&
    a.date === b.date &&
    a.url === b.url &&
    (a.tags ?? []).join('\u0000') === (b.tags ?? []).join('\u0000')
  );
}

/** Compares two document lists by id. A repeated id counts once (the first occurrence). */
export function diffArchives(before: readonly ArchiveDocument[], after: readonly ArchiveDocument[]): ArchiveDiff {
  const old = new Map<string, ArchiveDocument>();
  for (const d of before) if (!old.has(d.id)) old.set(d.id, d);
  const seen = new Set<string>();
  const diff: ArchiveDiff = { added: [], changed: [], removed: [], unchanged: 0 };
  for (const d of after) {
    if (seen.has(d.id)) continue;
    seen.add(d.id);
    const previous = old.get(d.id);
    if (!previous) diff.added.push(ref(d));
    else if (sameDocument(previous, d)) diff.unchanged++;
    else diff.changed.push(ref(d));
  }
  for (const [id, d] of old) if (!seen.has(id)) diff.removed.push(ref(d));
  return diff;
}
