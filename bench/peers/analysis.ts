/**
 * The English analysis the benchmark supplies where a library leaves it to the
 * caller (MiniSearch's `processTerm`, the FTS5 query, the shared excerpt rule):
 * lower-case word tokens, a classic English stop list, Porter stemming.
 */
import { stemmer } from 'stemmer';

/** The classic English stop list (the same 119 words lunr ships). */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a able about across after all almost also am among an and any are as at be because been but by can cannot ' +
    'could dear did do does either else ever every for from get got had has have he her hers him his how however ' +
    'i if in into is it its just least let like likely may me might most must my neither no nor not of off often ' +
    'on only or other our own rather said say says she should since so some than that the their them then there ' +
    'these they this tis to too twas us wants was we were what when where which while who whom why will with ' +
    'would yet you your'
  ).split(' '),
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
