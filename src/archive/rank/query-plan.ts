/**
 * From an analysed question to the terms that are ranked, read against the archive's vocabulary:
 *  - an identifier ("Hwasong-19", "F-22") is searched as one term, the joined form the index keeps
 *    for every such word, never as its parts: "Hwasong" alone must not answer "Hwasong-19";
 *  - a word the archive lacks that asks about the text ("described", "article", "end") is how the
 *    question is asked, not what it is about: it is left out;
 *  - a word the archive lacks that is not English is corrected to the archive's word when one is
 *    clearly meant ("Roskosmos" → "roscosmos");
 *  - any other word the archive lacks is kept: ranking leaves it out of the thin-match bar, but a
 *    passage must then hold a fair share of the whole question, so a topic the archive never
 *    mentions gets an honest "nothing found".
 */
import { termsOfWord, type QueryAnalysis } from '../analysis/analyze.js';
import type { InvertedIndex } from '../postings/inverted-index.js';
import type { Correction } from '../types.js';
import { correctWord, correctionEdits, MAX_WORDS_LOOKED_UP } from './spelling.js';

/**
 * Words that ask about the text rather than its topic ("How are the relations described at the end
 * of the article?"): when the archive does not hold them, they are left out of the question.
 */
export const META_TERMS = new Set(
  (
    'article articles story stories piece report reports reported text passage paragraph document archive news ' +
    'end ending beginning start middle describe described describes description mention mentioned mentions ' +
    'say says said tell told write wrote written according accordingly state stated call called'
  )
    .split(' ')
    .flatMap((word) => termsOfWord(word, false).terms),
);

interface QueryPlan {
  /** The question with its terms read against the archive. */
  query: QueryAnalysis;
  corrections: Correction[];
  /** Terms that only the excerpt highlights (an identifier's parts), with the term whose weight they share. */
  quotedParts: Map<string, string>;
}

interface QueryPlanOptions {
  /** Correct misspelt words. @defaultValue true */
  correct?: boolean;
}

export function planQuery(index: InvertedIndex, analyzed: QueryAnalysis, { correct = true }: QueryPlanOptions = {}): QueryPlan {
  const wordOf = new Map(analyzed.terms.map((term, i) => [term, analyzed.words[i]!]));
  const englishTerms = new Set(analyzed.terms.filter((_, i) => analyzed.inLexicon[i]));
  const quotedParts = new Map<string, string>();
  const replaced = new Map<string, string | undefined>();

  // Identifiers with a digit ("Hwasong-19", "B-1B", "U-17") are one thing: search the joined form.
  for (const identifier of analyzed.identifiers) {
    const { parts } = identifier;
    let { joined } = identifier;
    const word = wordOf.get(parts[0]!) ?? joined;
    // A letter and a digit make an identifier; "8-9" (a range) and "anti-U.S." do not.
    if (!/\d/.test(word) || !/\p{L}/u.test(word)) continue;
    // "F-22s" is the plural of the "F-22" the archive knows.
    if (!index.termIds.has(joined) && /\ds$/.test(joined) && index.termIds.has(joined.slice(0, -1))) joined = joined.slice(0, -1);
    replaced.set(parts[0]!, joined);
    wordOf.set(joined, word);
    for (const part of parts) {
      if (part !== parts[0]) replaced.set(part, undefined);
      quotedParts.set(part, joined);
    }
  }

  const corrections: Correction[] = [];
  let lookedUp = 0;
  const terms: string[] = [];
  const words: string[] = [];
  const inLexicon: boolean[] = [];
  const keep = (term: string, word: string) => {
    if (terms.includes(term)) return;
    terms.push(term);
    words.push(word);
    inLexicon.push(englishTerms.has(term));
  };
  for (const original of analyzed.terms) {
    const term = replaced.has(original) ? replaced.get(original) : original;
    if (term === undefined) continue;
    const word = wordOf.get(term) ?? term;
    if (index.termIds.has(term) || quotedParts.has(original)) {
      keep(term, word);
      continue;
    }
    if (META_TERMS.has(original)) continue; // how the question is asked, not what it asks about
    // An English word the archive lacks is kept as typed (it may be what the question is about).
    // Only names and misspellings are corrected.
    if (englishTerms.has(original)) {
      keep(term, word);
      continue;
    }
    const maxEdits = correct && lookedUp < MAX_WORDS_LOOKED_UP ? correctionEdits(word.length) : 0;
    if (maxEdits > 0) lookedUp++;
    const corrected = maxEdits > 0 ? correctWord(index, word, maxEdits) : undefined;
    if (corrected === undefined) {
      keep(term, word);
      continue;
    }
    const to = index.data.termWords[corrected]!;
    corrections.push({ from: word, to });
    keep(index.data.terms[corrected]!, to);
  }
  // A question made only of words the archive lacks still asks something: search it as typed
  // (it finds nothing, honestly) rather than as nothing.
  if (terms.length === 0) return { query: analyzed, corrections: [], quotedParts: new Map() };
  return { query: { ...analyzed, terms, words, inLexicon }, corrections, quotedParts };
}
