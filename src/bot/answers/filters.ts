/**
 * The time and origin filters of /ask and /search: `from` and `to` (a year, year-month or date) and
 * `source` (one of the archive's sources). Validated here so the user gets a precise message.
 */
import { type Archive, parseDateBound, parsePartialDate, type SearchFilters } from '../../archive/index.js';

interface FilterArgs {
  from?: string | undefined;
  to?: string | undefined;
  source?: string | undefined;
}

type FilterResult =
  | {
      ok: true;
      filters: SearchFilters;
      /** "from 2023 to 2024-03, source KCNA", or undefined without filters. */
      description?: string;
    }
  | { ok: false; message: string };

const DATE_HELP = 'a year, year-month or date such as 2023, 2023-09 or 2023-09-14';

/** Validates the filter options against the archive (the source must be one of its sources). */
export function readFilters(args: FilterArgs, archive: Archive): FilterResult {
  const filters: SearchFilters = {};
  const parts: string[] = [];
  for (const key of ['from', 'to'] as const) {
    const raw = args[key]?.trim();
    if (!raw) continue;
    // The engine's own parser, so the bot accepts exactly what a search accepts.
    const bound = parsePartialDate(raw);
    if (!bound) return { ok: false, message: `\`${key}\` should be ${DATE_HELP}.` };
    filters[key] = bound;
    parts.push(`${key} ${bound}`);
  }
  if (filters.from && filters.to && parseDateBound(filters.from, 'from') > parseDateBound(filters.to, 'to')) {
    return { ok: false, message: `\`from\` (${filters.from}) is after \`to\` (${filters.to}).` };
  }
  const wanted = args.source?.trim();
  if (wanted) {
    const sources = archive.sources();
    const match = sources.find((s) => s.toLowerCase() === wanted.toLowerCase());
    if (!match) {
      const list = sources.length
        ? `The archive's sources: ${sources.slice(0, 10).join(', ')}${sources.length > 10 ? ', …' : ''}.`
        : 'The archive names no sources.';
      return { ok: false, message: `No source called “${wanted.slice(0, 100)}” in the archive. ${list}` };
    }
    filters.source = match;
    parts.push(`source ${match}`);
  }
  return parts.length ? { ok: true, filters, description: parts.join(', ') } : { ok: true, filters };
}
