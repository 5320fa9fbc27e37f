/**
 * Search filters by time and origin, applied to documents before ranking.
 */
import type { ArchiveDocument, SearchFilters } from './types.js';

// A year, year-month or date; month and day may have one digit and `/` or `.` may separate them.
const PARTIAL_DATE = /^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$/;

/** An error in what the user asked for (as opposed to a fault of the archive). */
export class FilterError extends Error {
  override name = 'FilterError';
}

/**
 * The one date parser for filters (the bot and the CLI use it too): `2023`, `2023-09` or
 * `2023-09-14` (also `2023-9`, `2023/09/14`, `2023.09.14`), normalised to `YYYY`, `YYYY-MM` or
 * `YYYY-MM-DD`. Undefined when it is not a real year, month or day: `2023-13` and `2023-02-30` are
 * refused rather than rolled over.
 */
export function parsePartialDate(value: string): string | undefined {
  const match = PARTIAL_DATE.exec(value.trim());
  if (!match) return undefined;
  const [, year, monthText, dayText] = match as unknown as [string, string, string | undefined, string | undefined];
  if (monthText === undefined) return year;
  const month = Number(monthText);
  if (month < 1 || month > 12) return undefined;
  const mm = String(month).padStart(2, '0');
  if (dayText === undefined) return `${year}-${mm}`;
  const day = Number(dayText);
  if (day < 1 || day > daysInMonth(Number(year), month)) return undefined;
  return `${year}-${mm}-${String(day).padStart(2, '0')}`;
}

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one (UTC, so no time zone can shift it;
  // setUTCFullYear, because Date.UTC reads years 0-99 as 1900-1999).
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0);
  return date.getUTCDate();
}

/**
 * The first (`from`) or last (`to`) day a partial date covers, as `YYYY-MM-DD`, which compares
 * correctly as a string.
 * @throws FilterError when `value` is not a year, year-month or real date.
 */
export function parseDateBound(value: string, bound: 'from' | 'to'): string {
  const date = parsePartialDate(value);
  if (date === undefined) throw new FilterError(`Invalid ${bound} date "${value}": use YYYY, YYYY-MM or YYYY-MM-DD.`);
  return bound === 'from' ? firstDay(date) : lastDay(date);
}

function firstDay(date: string): string {
  return date.length === 4 ? `${date}-01-01` : date.length === 7 ? `${date}-01` : date;
}

function lastDay(date: string): string {
  if (date.length === 4) return `${date}-12-31`;
  if (date.length === 7) return `${date}-${daysInMonth(Number(date.slice(0, 4)), Number(date.slice(5, 7)))}`;
  return date;
}

/** The first and last day a document's date covers (a whole year or month for partial dates). */
function documentDateSpan(date: string | undefined): { first: string; last: string } | undefined {
  const day = date === undefined ? undefined : parsePartialDate(date.slice(0, 10));
  if (!day) return undefined;
  return { first: firstDay(day), last: lastDay(day) };
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
