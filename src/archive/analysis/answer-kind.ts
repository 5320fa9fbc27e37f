/**
 * The kind of answer a question asks for, and the words that can be one.
 *
 * "How many …" is answered by a sentence holding a number, "when …" by one holding a date or a
 * time, "who …" by one naming someone, "where …" by one naming somewhere. Ranking and excerpts prefer
 * such sentences, by a bounded bonus: the question's own words still decide.
 *
 * Kinds are bits of one mask. Numbers and dates are read off index terms (no index memory);
 * names are capitalised words that do not start a sentence, and places such names after a
 * preposition of place ("in Pochon County", "at the Sariwon Indoor Stadium"), read off the text.
 */

import { termsOfWord } from './analyze.js';

export const ANSWER_NUMBER = 1;
export const ANSWER_DATE = 2;
export const ANSWER_NAME = 4;
export const ANSWER_PLACE = 8;

const KIND_PATTERNS: Array<[RegExp, number]> = [
  [
    /\bhow\s+(?:many|much|long|far|old|big|large|high|often|tall|deep|wide|heavy)\b|\bwhat\s+(?:number|percentage|share|amount)\b|\b(?:what|which)\s+(?:birthday|anniversary|edition|round|phase|session)\b/i,
    ANSWER_NUMBER,
  ],
  [
    /\bwhen\b|\b(?:what|which)\s+(?:year|date|day|month|time|hour|season|week|decade|century)\b|\bhow\s+long\s+ago\b|\bsince\s+when\b/i,
    ANSWER_DATE,
  ],
  [/\bwho(?:m|se)?\b|\b(?:what|which)\s+(?:person|people|man|woman|official|organi[sz]ation|party|company)\b/i, ANSWER_NAME],
  [/\bwhere\b|\b(?:what|which)\s+(?:country|countries|city|cities|province|place|venue|county)\b/i, ANSWER_PLACE],
];

/** The answer kinds a question asks for (a mask of ANSWER_* bits; 0 when it asks for none of them). */
export function answerKindsOf(question: string): number {
  let kinds = 0;
  for (const [pattern, kind] of KIND_PATTERNS) if (pattern.test(question)) kinds |= kind;
  return kinds;
}

const NUMBER_WORDS = new Set(
  (
    'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen ' +
    'nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion trillion dozen ' +
    'first second third fourth fifth sixth seventh eighth ninth tenth twice half'
  ).split(' '),
);

/** Month and weekday names and other date words, as index terms (stemmed, as documents are). */
const DATE_WORDS = new Set(
  (
    'january february march april june july august september october november december ' +
    'monday tuesday wednesday thursday friday saturday sunday yesterday today tomorrow ' +
    'juche noon midnight morning evening night spring summer autumn winter'
  )
    .split(' ')
    .flatMap((word) => [word, ...termsOfWord(word, false).terms]),
);

/**
 * Answer kinds an index term can be by itself: a number ("48", "four", "76th"), a date ("august",
 * "sept", "2021", "00:00"). Names are not terms' business (case is gone from terms).
 */
export function termAnswerKinds(term: string): number {
  if (/^\d{4}$/.test(term)) {
    const year = Number(term);
    return year >= 1000 && year <= 2199 ? ANSWER_DATE | ANSWER_NUMBER : ANSWER_NUMBER;
  }
  if (/^\d{1,2}:\d{2}/.test(term) || /^\d+(?:am|pm)$/.test(term)) return ANSWER_DATE;
  // A lone zero counts nothing: news wires close a story with "-0-".
  if (/^\d/.test(term)) return term === '0' ? 0 : ANSWER_NUMBER;
  if (DATE_WORDS.has(term)) return ANSWER_DATE;
  if (NUMBER_WORDS.has(term)) return ANSWER_NUMBER;
  return 0;
}

/** Is the word at `offset` of `text` a name: capitalised and not the first word of its sentence? */
export function looksLikeName(text: string, offset: number, sentenceStart: number): boolean {
  if (offset <= sentenceStart) return false;
  const code = text.charCodeAt(offset);
  return code >= 65 && code <= 90;
}

// A preposition of place, and "the" perhaps, just before a word: "in ", "on the ", "near ".
const PLACE_PREPOSITION =
  /(?:^|[^\p{L}])(?:in|at|on|near|into|inside|outside|across|around|along|beside|behind|within|throughout)\s+(?:the\s+)?$/iu;
const LOOKBEHIND_CHARS = 16;

/**
 * Which of the name kinds the word at `offset` is: a name (ANSWER_NAME), and a place too
 * (ANSWER_PLACE) when a preposition of place comes just before it ("in Pochon County", "on Mansu
 * Hill"), unless it is a month or weekday ("on August 28"). 0 when it is not a name.
 */
export function nameKindsAt(text: string, offset: number, sentenceStart: number): number {
  if (!looksLikeName(text, offset, sentenceStart)) return 0;
  const before = text.slice(Math.max(sentenceStart, offset - LOOKBEHIND_CHARS), offset);
  if (!PLACE_PREPOSITION.test(before)) return ANSWER_NAME;
  const word = /^\p{L}+/u.exec(text.slice(offset, offset + 12))?.[0].toLowerCase() ?? '';
  return DATE_WORDS.has(word) ? ANSWER_NAME : ANSWER_NAME | ANSWER_PLACE;
}

/** The kinds that are read off the text rather than off terms. */
export const TEXT_KINDS = ANSWER_NAME | ANSWER_PLACE;
