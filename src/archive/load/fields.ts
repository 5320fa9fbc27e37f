/**
 * Field names archives actually use, mapped onto the document's metadata. Shared by JSON records
 * and front matter so that `headline:` or `link:` mean the same thing in both.
 */
import { collapseWhitespace, normalizeText } from './text.js';

/** Keys tried in order (case-insensitively); the first usable value wins. */
export const FIELD_NAMES = {
  title: ['title', 'headline', 'name'],
  text: ['text', 'body', 'content', 'story_text', 'context'],
  url: ['url', 'link'],
  date: ['date'],
  source: ['source', 'publisher', 'site'],
  /** All of these are merged: a record may have both a topic and tags. */
  tags: ['topic', 'tags', 'category'],
  id: ['id'],
} as const;

/** Metadata read from a record or front matter; every field is optional. */
export interface DocumentFields {
  id?: string;
  title?: string;
  source?: string;
  date?: string;
  url?: string;
  tags?: string[];
}

type FieldRecord = Readonly<Record<string, unknown>>;

/** A case-insensitive view of a record's keys (`Title` and `title` are the same field). */
function lookup(record: FieldRecord): (names: readonly string[]) => unknown[] {
  const byLowerKey = new Map<string, unknown>();
  for (const [key, value] of Object.entries(record)) {
    const lower = key.toLowerCase();
    if (!byLowerKey.has(lower)) byLowerKey.set(lower, value);
  }
  return (names) => names.map((name) => byLowerKey.get(name)).filter((v) => v !== undefined && v !== null);
}

function singleLine(value: unknown): string | undefined {
  const text = typeof value === 'string' ? collapseWhitespace(normalizeText(value)) : undefined;
  return text ? text : undefined;
}

function firstString(values: unknown[]): string | undefined {
  for (const value of values) {
    const text = singleLine(value);
    if (text) return text;
  }
  return undefined;
}

/** A record's body text; a list of strings is read as a list of paragraphs. */
export function readText(record: FieldRecord): string | undefined {
  for (const value of lookup(record)(FIELD_NAMES.text)) {
    const parts: unknown[] = Array.isArray(value) ? value : [value];
    const text = parts
      .filter((p): p is string => typeof p === 'string')
      .map((p) => normalizeText(p).trim())
      .filter((p) => p !== '')
      .join('\n\n');
    if (text) return text;
  }
  return undefined;
}

/** Everything but the text. Unusable values (a date that is not a date, an object as a title) are left out. */
export function readFields(record: FieldRecord): DocumentFields {
  const get = lookup(record);
  const fields: DocumentFields = {};

  const id = get(FIELD_NAMES.id).map((v) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : v));
  const title = firstString(get(FIELD_NAMES.title));
  const url = firstString(get(FIELD_NAMES.url));
  // NewsAPI-style exports nest the publisher: `"source": { "name": "BBC News" }`.
  const source = firstString(get(FIELD_NAMES.source).map((v) => (isRecord(v) && typeof v['name'] === 'string' ? v['name'] : v)));
  const date = get(FIELD_NAMES.date)
    .map(normalizeDate)
    .find((d) => d !== undefined);
  const tags = readTags(get(FIELD_NAMES.tags));

  const idText = firstString(id);
  if (idText) fields.id = idText;
  if (title) fields.title = title;
  if (source) fields.source = source;
  if (date) fields.date = date;
  if (url) fields.url = url;
  if (tags.length > 0) fields.tags = tags;
  return fields;
}

/** Tags from strings (comma-separated) and lists, in order, without repeats. */
export function readTags(values: unknown[]): string[] {
  // A Set, not `includes` on the list: 100,000 tags took 14 s that way.
  const tags = new Set<string>();
  const add = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(add);
    } else if (typeof value === 'string') {
      for (const part of value.split(',')) {
        const tag = singleLine(part);
        if (tag) tags.add(tag);
      }
    } else if (typeof value === 'number' && Number.isFinite(value)) {
      add(String(value));
    }
  };
  values.forEach(add);
  return [...tags];
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Date and time, `T` or space between them; no zone means UTC, not the loading machine's zone.
const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * An ISO `YYYY-MM-DD`, or a full ISO timestamp (UTC) when the value has a time other than
 * midnight UTC; `YYYY` or `YYYY-MM` when that is all the value says. Accepts ISO text, a year,
 * epoch seconds or milliseconds (number or digits), and `Date` (YAML 1.1).
 * Anything else is `undefined`: a wrong date is worse than none for date filters.
 */
export function normalizeDate(value: unknown): string | undefined {
  if (value instanceof Date) return fromEpochMs(value.getTime());
  if (typeof value === 'number') return fromNumber(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^-?\d+$/.test(text)) return fromNumber(Number(text));
  // Reduced-precision ISO dates stay as precise as they were: "2024-05" is a month, not May 1st.
  if (/^\d{4}-(0[1-9]|1[0-2])$/.test(text)) return text;
  const dateOnly = ISO_DATE.exec(text);
  if (dateOnly) {
    // Round-trip through Date to refuse 2024-02-30 rather than roll it over to March.
    return fromEpochMs(Date.parse(`${text}T00:00:00Z`)) === text ? text : undefined;
  }
  const dateTime = ISO_DATE_TIME.exec(text);
  if (dateTime) {
    const [, day, time, zone] = dateTime;
    if (fromEpochMs(Date.parse(`${day}T00:00:00Z`)) !== day) return undefined;
    // JavaScript only parses `+hh:mm`; ISO also allows `+hhmm`.
    const offset = zone ? zone.toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, '$1:$2') : 'Z';
    return fromEpochMs(Date.parse(`${day}T${time}${offset}`));
  }
  return undefined;
}

/**
 * A bare number is a year (1000–9999), epoch seconds (below 1e11, i.e. before the year 5138),
 * or epoch milliseconds: the forms that archives actually write.
 */
function fromNumber(value: number): string | undefined {
  if (Number.isInteger(value) && value >= 1000 && value <= 9999) return String(value);
  return fromEpochMs(Math.abs(value) < 1e11 ? value * 1000 : value);
}

function fromEpochMs(ms: number): string | undefined {
  if (!Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return undefined;
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
