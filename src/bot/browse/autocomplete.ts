/**
 * Ranked autocomplete for short lists (sources): exact name, then prefix, then word-prefix matches, then names containing the
 * query (documents use the title index in ./title-index.ts); ties keep the caller's order (so an empty query lists the caller's useful default set).
 * Choices are fitted to Discord's limits (25 choices, 100-character names and values).
 */
import type { ApplicationCommandOptionChoiceData } from 'discord.js';
import { MAX_LIMIT, type Archive, type ArchiveDocument } from '../../archive/index.js';
import { shortDate, truncate } from '../../discord/format.js';
import { AUTOCOMPLETE_CHOICES_MAX, AUTOCOMPLETE_NAME_MAX, AUTOCOMPLETE_VALUE_MAX } from '../../discord/limits.js';
import { documentRef, fold, titleIndexOf, type WorkCounter } from './title-index.js';

export { fold };

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

/** The autocomplete value for a document: its {@link documentRef}. */
export const documentValue = documentRef;

/** Finds the document a `/source document:` value (or a button) names: a reference, else a unique exact title. Never touches the filesystem; constant work per lookup. */
export function resolveDocument(archive: Archive, value: string): ArchiveDocument | undefined {
  return archive.document(value) ?? titleIndexOf(archive).resolve(value);
}

/**
 * Documents for an autocomplete: title matches first ({@link TitleIndex.search}: bounded work), then,
 * while there is room and the query has a few letters, the documents whose text matches it, in the
 * engine's ranking order. An empty query lists the newest documents.
 */
export function rankDocuments(archive: Archive, query: string, limit = AUTOCOMPLETE_CHOICES_MAX, work?: WorkCounter): ArchiveDocument[] {
  const documents = titleIndexOf(archive).search(query, limit, work);
  if (documents.length >= limit || fold(query).length < TEXT_MATCH_MIN_CHARS) return documents;
  const seen = new Set(documents.map((d) => d.id));
  for (const hit of archive.search(query, { limit: MAX_LIMIT }).hits) {
    if (documents.length >= limit) break;
    if (seen.has(hit.document.id)) continue;
    seen.add(hit.document.id);
    documents.push(hit.document);
  }
  return documents;
}

/** Queries shorter than this match titles only: a letter or two says too little to search the text for. */
const TEXT_MATCH_MIN_CHARS = 3;

/** "Title · 2023-09-14" cut so the date survives. */
export function documentChoiceName(document: ArchiveDocument): string {
  const date = shortDate(document.date);
  const suffix = date ? ` · ${date}` : '';
  return truncate(document.title.replace(/\s+/g, ' ').trim() || document.id, AUTOCOMPLETE_NAME_MAX - suffix.length) + suffix;
}
