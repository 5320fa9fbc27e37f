/**
 * Skipped files grouped by reason, so a report says "249 records: no text" once instead of
 * repeating one reason 249 times. Plain data and plain text: the bot escapes it for Discord, the
 * CLI prints it as it is.
 */
import type { SkippedFile } from './types.js';

export interface SkipGroup {
  reason: string;
  /** Skipped entries with this reason. */
  count: number;
  /** The first few, in load order, to name as examples. */
  examples: SkippedFile[];
  /** Whether every entry is a record inside a file (has a line) rather than a whole file. */
  records: boolean;
}

/** Groups by exact reason, the largest group first (ties in order of first appearance). */
export function groupSkipped(skipped: readonly SkippedFile[], examplesPerGroup = 3): SkipGroup[] {
  const groups = new Map<string, SkipGroup>();
  for (const entry of skipped) {
    let group = groups.get(entry.reason);
    if (!group) {
      group = { reason: entry.reason, count: 0, examples: [], records: true };
      groups.set(entry.reason, group);
    }
    group.count++;
    if (entry.line === undefined) group.records = false;
    if (group.examples.length < examplesPerGroup) group.examples.push(entry);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

/** "notes/a.md (line 3)" */
export function skippedPlace(entry: SkippedFile): string {
  return entry.line === undefined ? entry.file : `${entry.file} (line ${entry.line})`;
}

/**
 * One line per group: "249 records: no text (e.g. kcna.jsonl (line 3), kcna.jsonl (line 9), …)";
 * a group of one names its file: "notes/a.md (line 2): invalid YAML front matter".
 */
export function describeSkipGroup(group: SkipGroup): string {
  if (group.count === 1) return `${skippedPlace(group.examples[0]!)}: ${group.reason}`;
  const noun = group.records ? 'records' : 'files';
  const more = group.count > group.examples.length ? ', …' : '';
  return `${group.count} ${noun}: ${group.reason} (e.g. ${group.examples.map(skippedPlace).join(', ')}${more})`;
}
