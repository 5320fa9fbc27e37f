/**
 * The English analysis the benchmark supplies where a library leaves it to the
 * caller (MiniSearch's `processTerm`, the FTS5 query, the shared excerpt rule):
 * lower-case word tokens, a classic English stop list, Porter stemming.
 */
import { readFileSync } from 'node:fs';
import { stemmer } from 'stemmer';

/** The classic English stop list (the same 119 words lunr ships), shared with bench/cli/fts5-cli.js. */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(
  JSON.parse(readFileSync(new URL('stop-words.json', import.meta.url), 'utf8')) as string[],
);

const WORD = /[\p{L}\p{N}]+/gu;

/** Lower-cased word tokens (letters and digits), stop words removed, not stemmed. */
export function contentWords(text: string): string[] {
  return (text.toLowerCase().match(WORD) ?? []).filter((w) => !ENGLISH_STOP_WORDS.has(w));
}

/** One term through stop-word removal and the Porter stemmer; undefined drops it. */
export function stemTerm(term: string): string | undefined {
  const lower = term.toLowerCase();
  return ENGLISH_STOP_WORDS.has(lower) ? undefined : stemmer(lower);
}

/** Distinct stems of a text's content words. */
export function stemSet(text: string): Set<string> {
  return new Set(contentWords(text).map((w) => stemmer(w)));
}
