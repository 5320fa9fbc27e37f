/**
 * "Not in the archive", said honestly: the question's weighty words that a result's document lacks.
 *
 * A result is a closest match, not an answer, when the question's words found anywhere in its
 * document (the title, any passage — the passage's whole context) carry under `minShare` of the
 * question's weight: "Who won the 2022 World Cup in Qatar?" quoting a women's youth cup of 2024
 * holds "world cup" but not "qatar" or "2022". Then its `missing` lists the absent words, heaviest
 * first, as the question typed them (the way web search shows "Missing: qatar 2022"); otherwise
 * `missing` is empty. Words that ask about the text ("report", "cover", "mention") are how a
 * question is asked, not what it is about: they count for neither side.
 *
 * Each term's presence in a document is a few binary searches in its postings, so the work is
 * O(terms × log postings) per result.
 */
import { termsOfWord } from '../analysis/analyze.js';
import type { InvertedIndex } from '../postings/inverted-index.js';
import { META_TERMS } from './query-plan.js';
import { MISSING_LEXICON_WEIGHT, MISSING_MAX_WORDS, MISSING_MIN_SHARE, MISSING_UNKNOWN_NAMES } from '../defaults.js';

/** Question terms with the weight ranking gave each, and the word each was typed as. */
export interface WeightedQuestion {
  terms: readonly string[];
  words: readonly string[];
  /** Whether each term's word is English (the language model knows it) rather than a name or coinage. */
  inLexicon: readonly boolean[];
  weights: ReadonlyMap<string, number>;
}

export interface MissingOptions {
  /** Share of the question's weight the document must hold for the result to count as an answer. */
  minShare: number;
  /** Most words listed. */
  maxWords: number;
  /** An English word's weight relative to a name's (paraphrase is made of English words). */
  lexiconWeight: number;
  /** A name or coinage the whole archive lacks (not an all-capitals acronym) makes every result a closest match. */
  unknownNames: boolean;
  /** When the first hit is a closest match, the first answer among this many hits goes before it (0: never). */
  promoteWithin: number;
}

export const DEFAULT_MISSING: MissingOptions = {
  minShare: MISSING_MIN_SHARE,
  maxWords: MISSING_MAX_WORDS,
  lexiconWeight: MISSING_LEXICON_WEIGHT,
  unknownNames: MISSING_UNKNOWN_NAMES,
  promoteWithin: 0,
};

/**
 * Words that ask how the archive treated a topic ("did the media cover it?", "how did they react?")
 * or in what form to answer ("an example", "code for it") rather than name it: left out of the
 * weighing, like the query plan's meta words.
 */
const ASKING_TERMS = new Set(
  [
    ...'cover covered coverage comment commented comments react reacted reaction respond responded response media'.split(' '),
    ...'example examples snippet snippets sample code syntax'.split(' '),
  ].flatMap((word) => termsOfWord(word, false).terms),
);

/** "SIPRI", "KJU": an abbreviation the archive may spell out, so its absence proves nothing. */
const ACRONYM = /^[A-Z]{2,6}s?$/;

/** Whether the question's terms are weighed at all: a meta word is how a question is asked. */
function weighed(term: string): boolean {
  return !META_TERMS.has(term) && !ASKING_TERMS.has(term);
}

/**
 * The question's words, as typed and heaviest first, that `document` lacks, when what it holds
 * carries under `minShare` of the question's weight; [] when it holds enough.
 */
export function missingWords(index: InvertedIndex, document: number, question: WeightedQuestion, options: MissingOptions): string[] {
  let total = 0;
  let found = 0;
  let unknownName = false;
  const absent: Array<{ word: string; weight: number }> = [];
  question.terms.forEach((term, i) => {
    if (!weighed(term)) return;
    const english = question.inLexicon[i] === true;
    const weight = (question.weights.get(term) ?? 0) * (english ? options.lexiconWeight : 1);
    if (weight <= 0) return;
    total += weight;
    const id = index.termIds.get(term);
    const word = question.words[i] ?? term;
    if (id !== undefined && documentHasTerm(index, document, id)) found += weight;
    else {
      absent.push({ word, weight });
      if (id === undefined && !english && !ACRONYM.test(word)) unknownName = true;
    }
  });
  if (total === 0 || (!(options.unknownNames && unknownName) && found >= options.minShare * total)) return [];
  absent.sort((x, y) => y.weight - x.weight);
  const words: string[] = [];
  for (const { word } of absent) {
    if (words.length === options.maxWords) break;
    if (!words.includes(word)) words.push(word);
  }
  return words;
}

/** Does the term occur in the document's title or in any of its passages? */
export function documentHasTerm(index: InvertedIndex, document: number, termId: number): boolean {
  const first = index.data.documentFirstPassage[document]!;
  const end = first + index.data.documentPassageCount[document]!;
  return index.titleHasTerm(termId, document) || index.passagesWithTerm(termId, first, end) > 0;
}
