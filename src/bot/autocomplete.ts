/**
 * Ranked autocomplete: exact name, then prefix, then word-prefix matches, then names containing the
 * query; ties keep the caller's order (so an empty query lists the caller's useful default set).
 * Choices are fitted to Discord's limits (25 choices, 100-character names and values).
 */
import { createHash } from 'node:crypto';
import type { ApplicationCommandOptionChoiceData } from 'discord.js';
import type { Archive, ArchiveDocument } from '../archive/index.js';
import { shortDate, truncate } from '../discord/format.js';
import { AUTOCOMPLETE_CHOICES_MAX, AUTOCOMPLETE_NAME_MAX, AUTOCOMPLETE_VALUE_MAX } from '../discord/limits.js';

/** Lower case without diacritics, whitespace collapsed. */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** 0 exact, 1 prefix, 2 a word starts with the query, 3 every query word starts a word, 4 contains; undefined: no match. */
export function matchRank(name: string, query: string): number | undefined {
  return matchFolded(fold(name), fold(query));
}

function matchFolded(n: string, q: string): number | undefined {
  if (!q) return 4;
  if (n === q) return 0;
  if (n.startsWith(q)) return 1;
  const words = n.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (words.some((w) => w.startsWith(q))) return 2;
  const qWords = q.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (qWords.length > 1 && qWords.every((qw) => words.some((w) => w.startsWith(qw)))) return 3;
  if (n.includes(q)) return 4;
  return undefined;
}

/** The best `limit` items for `query`, by {@link matchRank} then input order. */
export function rank<T>(items: readonly T[], query: string, name: (item: T) => string, limit = AUTOCOMPLETE_CHOICES_MAX): T[] {
  return rankFolded(
    items.map((item) => ({ item, folded: fold(name(item)) })),
    query,
    limit,
  );
}

function rankFolded<T>(items: ReadonlyArray<{ item: T; folded: string }>, query: string, limit: number): T[] {
  const q = fold(query);
  const scored: Array<{ item: T; rank: number; index: number }> = [];
  items.forEach(({ item, folded }, index) => {
    const r = matchFolded(folded, q);
    if (r !== undefined) scored.push({ item, rank: r, index });
  });
  scored.sort((a, b) => a.rank - b.rank || a.index - b.index);
  return scored.slice(0, limit).map((s) => s.item);
}

/** Choices within Discord's limits: at most 25, names and string values at most 100 characters, no empty names. */
export function fitChoices(choices: readonly ApplicationCommandOptionChoiceData<string>[]): ApplicationCommandOptionChoiceData<string>[] {
  return choices
    .filter((c) => c.value.length >= 1 && c.value.length <= AUTOCOMPLETE_VALUE_MAX)
    .slice(0, AUTOCOMPLETE_CHOICES_MAX)
    .map((c) => ({ name: truncate(c.name.trim() || c.value, AUTOCOMPLETE_NAME_MAX), value: c.value }));
}

const HASHED = /^~[0-9a-f]{16}$/;

function hashId(id: string): string {
  return `~${createHash('sha256').update(id).digest('hex').slice(0, 16)}`;
}

/** The autocomplete value for a document: its id, or a short hash of an id too long for a choice value. */
export function documentValue(document: ArchiveDocument): string {
  return document.id.length <= AUTOCOMPLETE_VALUE_MAX ? document.id : hashId(document.id);
}

/** Finds the document a `/source document:` value names: an exact id, a hashed id, or a unique exact title. Never touches the filesystem. */
export function resolveDocument(archive: Archive, value: string): ArchiveDocument | undefined {
  const byId = archive.document(value);
  if (byId) return byId;
  if (HASHED.test(value)) return archive.documents.find((d) => d.id.length > AUTOCOMPLETE_VALUE_MAX && hashId(d.id) === value);
  const wanted = fold(value);
  const byTitle = archive.documents.filter((d) => fold(d.title) === wanted);
  return byTitle.length === 1 ? byTitle[0] : undefined;
}

const titleIndexes = new WeakMap<Archive, ReadonlyArray<{ item: ArchiveDocument; folded: string }>>();

/**
 * Documents ranked for `query` by title; an empty query lists the newest first (undated last).
 * The folded, sorted title list is built once per loaded archive.
 */
export function rankDocuments(archive: Archive, query: string, limit = AUTOCOMPLETE_CHOICES_MAX): ArchiveDocument[] {
  let index = titleIndexes.get(archive);
  if (!index) {
    index = [...archive.documents]
      .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || a.title.localeCompare(b.title))
      .map((item) => ({ item, folded: fold(item.title) }));
    titleIndexes.set(archive, index);
  }
  return rankFolded(index, query, limit);
}

/** "Title · 2023-09-14" cut so the date survives. */
export function documentChoiceName(document: ArchiveDocument): string {
  const date = shortDate(document.date);
  const suffix = date ? ` · ${date}` : '';
  return truncate(document.title.replace(/\s+/g, ' ').trim() || document.id, AUTOCOMPLETE_NAME_MAX - suffix.length) + suffix;
}
