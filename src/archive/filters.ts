/**
 * Search filters by time and origin, applied to documents before ranking.
 */
import type { ArchiveDocument, SearchFilters } from './types.js';

const PARTIAL_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/** An error in what the user asked for (as opposed to a fault of the archive). */
export class FilterError extends Error {
  override name = 'FilterError';
}

/**
 * Turn `YYYY`, `YYYY-MM` or `YYYY-MM-DD` into the first (`from`) or last (`to`) day it
 * covers, as `YYYY-MM-DD`, which compares correctly as a string.
 */
export function parseDateBound(value: string, bound: 'from' | 'to'): string {
  const match = PARTIAL_DATE.exec(value.trim());
  const month = match?.[2] ? Number(match[2]) : undefined;
  const day = match?.[3] ? Number(match[3]) : undefined;
  if (!match || (month !== undefined && (month < 1 || month > 12)) || (day !== undefined && (day < 1 || day > 31))) {
    throw new FilterError(`Invalid ${bound} date "${value}": use YYYY, YYYY-MM or YYYY-MM-DD.`);
  }
  const year = match[1]!;
  if (bound === 'from') return `${year}-${match[2] ?? '01'}-${match[3] ?? '01'}`;
  // "31" is past the end of short months, which is harmless for string comparison.
  return `${year}-${match[2] ?? '12'}-${match[3] ?? '31'}`;
}

/** The first and last day a document's date covers (a whole year or month for partial dates). */
function documentDateSpan(date: string | undefined): { first: string; last: string } | undefined {
  const day = date?.slice(0, 10);
  if (!day || !PARTIAL_DATE.test(day)) return undefined;
  return { first: parseDateBound(day, 'from'), last: parseDateBound(day, 'to') };
}

/** A predicate over documents for the given filters, or undefined when nothing is filtered. */
export function documentFilter(filters: SearchFilters): ((document: ArchiveDocument) => boolean) | undefined {
  const from = filters.from?.trim() ? parseDateBound(filters.from, 'from') : undefined;
  const to = filters.to?.trim() ? parseDateBound(filters.to, 'to') : undefined;
  const source = filters.source?.trim().toLocaleLowerCase();
  if (!from && !to && !source) return undefined;
  return (document) => {
    if (source && document.source?.toLocaleLowerCase() !== source) return false;
    if (from || to) {
      // A document without a date cannot be placed in a range, so a date filter excludes it.
      const span = documentDateSpan(document.date);
      if (!span) return false;
      // A document dated only by year or month is in range if any of that period is.
      if (from && span.last < from) return false;
      if (to && span.first > to) return false;
    }
    return true;
  };
}
