/**
 * Text analysis: the one module that talks to wink-nlp.
 *
 * Documents and questions go through the same pipeline, so a word is reduced to
 * the same index term wherever it appears:
 *   text → wink tokens (with exact character offsets) → index terms per token.
 *
 * A token yields zero terms (punctuation, stop words, emoji), one term (most words),
 * or several: "Soyuz-2" → soyuz, 2 (+ soyuz2), "ComradeKim" → comrad, kim (+ comradekim),
 * so that "Soyuz 2", "Soyuz2" and "Kim" all find them.
 */
import { createRequire } from 'node:module';
/* eslint-disable @typescript-eslint/unbound-method -- wink's `its.*` helpers are plain functions meant to be passed to `out()` */
import type { WinkMethods } from 'wink-nlp';
import { SizedCache, stringBytes } from './sized-cache.js';
import { sentenceNlp } from './wink-model.js';

/** A character range [start, end) in the analysed text. */
export interface Span {
  start: number;
  end: number;
}

/** A word-like token with the index terms it stands for. */
export interface AnalyzedToken extends Span {
  /**
   * Terms at consecutive positions (the parts of a compound); empty for a stop word,
   * which still occupies a position so phrases see the gap.
   */
  terms: readonly string[];
  /** Extra terms indexed for matching but holding no position (a compound's joined form). */
  extra?: string;
}

export interface TextAnalysis {
  /** Word-like tokens in text order; punctuation and symbols are left out. */
  tokens: AnalyzedToken[];
  /** Sentence spans, trimmed of surrounding whitespace. */
  sentences: Span[];
}

/**
 * wink and what is read off its model, made on first use (the model takes most of a start's CPU
 * time; `archivist --version` or an index loaded from the cache never needs it). Only sentence
 * boundary detection runs: stems come from the model's stemmer and stop words from its lexicon,
 * neither of which needs POS tagging or NER.
 */
interface Wink {
  nlp: WinkMethods;
  its: WinkMethods['its'];
  stem: (word: string) => string;
  /**
   * The first unknown word read gets the first id past the model's lexicon: every id from there on
   * is a word the model does not know (wink keeps no public "out of vocabulary" flag).
   */
  firstUnknownId: number;
  /**
   * Irregular forms from the model's WordNet exception lists ("met" → "meet", "children" →
   * "child"): the stemmer cannot see that "met" and "meet" are one word, and questions
   * ask "where did they meet?" of text that says "they met". Both sides map the same way.
   */
  irregularForms: Map<string, string>;
}
let loaded: Wink | undefined;

function wink(): Wink {
  if (loaded) return loaded;
  const { nlp, stem } = sentenceNlp();
  const require = createRequire(import.meta.url);
  const irregularForms = new Map<string, string>();
  for (const list of ['wn-noun-exceptions.js', 'wn-verb-exceptions.js']) {
    const exceptions = require(`wink-eng-lite-web-model/dist/${list}`) as Record<string, string>;
    for (const form in exceptions) if (exceptions[form] !== form) irregularForms.set(form, exceptions[form]!);
  }
  const firstUnknownId = nlp.readDoc('qqzxjvkwq').tokens().out(nlp.its.uniqueId)[0] as unknown as number;
  return (loaded = { nlp, its: nlp.its, stem, firstUnknownId, irregularForms });
}

/**
 * Words wink's stop list drops that carry content in an archive: numbers and ordinals
 * ("three times", "the first launch") and nouns like "fire", "side" or "show".
 */
const CONTENT_WORDS = new Set(
  (
    'one two three four five six seven eight nine ten eleven twelve fifteen twenty forty fifty sixty ' +
    'hundred thousand million billion first second third fourth fifth sixth seventh eighth ninth tenth ' +
    'last top back full empty side show move part amount fire bill system computer'
  ).split(' '),
);

/** Token types that carry searchable words. Others (punctuation, emoji, urls, …) are skipped. */
const WORD_TYPES = new Set(['word', 'number', 'unk', 'mention', 'hashtag', 'ordinal', 'time', 'abbreviation']);

const MB = 1024 * 1024;
const termsBytes = (terms: readonly string[]): number => terms.reduce((sum, term) => sum + 16 + stringBytes(term), 16);

/**
 * The memo tables below are fed by every question as well as by the archive, so each is capped by
 * its size (66 MB in all), not by its number of entries.
 */
export function analysisCacheBytes(): number {
  return stemCache.bytes + wordCache.bytes + tokenFactsBytes + unglueCache.bytes + lemmaCache.bytes + lexiconCache.bytes;
}
/** The most {@link analysisCacheBytes} can reach. */
export const ANALYSIS_CACHE_BUDGET_BYTES = 66 * MB;

/** Stemming is the hot spot of indexing; every distinct form is stemmed once. */
const stemCache = new SizedCache<string>(10 * MB, stringBytes);

function stem(word: string): string {
  let stemmed = stemCache.get(word);
  if (stemmed === undefined) {
    // Numbers and words with digits are kept as they are: the stemmer would mangle "1990s".
    const { irregularForms, stem: stemWord } = wink();
    const base = irregularForms.get(word) ?? word;
    stemmed = /\d/.test(base) || base.length < 3 ? base : stemWord(base);
    stemCache.set(word, stemmed);
  }
  return stemmed;
}

const COMBINING_MARKS = /[\u0300-\u036f]/g;
// Lower→upper inside a word marks where a scraper glued two words: "ComradeKim", "SungSquare".
const GLUED_WORD_BOUNDARY = /(?<=\p{Ll})(?=\p{Lu})/u;
const PART_SEPARATORS = /[-‐‑‒–—/_]+/;

/** Lower-case, strip diacritics and decoration that does not change the word. */
function normalizeForm(value: string): string {
  let form = value.toLowerCase();
  if (/[^\x00-\x7f]/.test(form)) {
    form = form.normalize('NFKD').replace(COMBINING_MARKS, '').replace(/[’‘ʼ]/g, "'");
  }
  // Possessive and leading sigils: "putin's" → "putin", "@everyone" → "everyone".
  form = form.replace(/'s$/, '').replace(/^[@#]+/, '');
  // Dotted abbreviations ("u.s.", "a.m.") and thousands separators ("1,000").
  if (/^(\p{L}\.)+\p{L}?\.?$/u.test(form)) form = form.replace(/\./g, '');
  else if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(form)) form = form.replace(/,/g, '');
  form = form.replace(/^['.]+|['.]+$/g, '');
  // "Aug." and "Sept." are the months news datelines write; "August" finds them.
  return MONTH_ABBREVIATIONS.get(form) ?? form;
}

const MONTH_ABBREVIATIONS = new Map(
  Object.entries({
    jan: 'january',
    feb: 'february',
    apr: 'april',
    jun: 'june',
    jul: 'july',
    aug: 'august',
    sep: 'september',
    sept: 'september',
    oct: 'october',
    nov: 'november',
    dec: 'december',
  }),
);

/**
 * Verbs whose every form is a stop word, and verbs whose every form is a content word: wink's
 * stop list holds some forms of a verb and not others ("take" but not "took", "used" but not
 * "use"), so a question and a text that use different forms of one verb would match unevenly.
 */
const LIGHT_VERBS = new Set('be have do make take give get go come see say put let seem become keep'.split(' '));
const CONTENT_VERBS = new Set(['use']);
const lemmaCache = new SizedCache<string>(6 * MB, stringBytes);

function lemmaOf(lower: string): string {
  let lemma = lemmaCache.get(lower);
  if (lemma === undefined) {
    const { irregularForms } = wink();
    // stem() gives stemWord(lower) for such a word (it has no digit and no irregular form), and
    // keeps it: a document's words are stemmed once for their terms and once for this, not twice.
    lemma = irregularForms.get(lower) ?? (/^[a-z]+$/.test(lower) && lower.length >= 3 ? stem(lower) : lower);
    lemmaCache.set(lower, lemma);
  }
  return lemma;
}

/**
 * Is this word token a stop word when wink flags it as one, and when wink does not? Forms of one
 * verb are all one or all the other.
 */
function stopToken(value: string): { ifFlagged: boolean; ifUnflagged: boolean } {
  const lower = value.toLowerCase();
  if (CONTENT_WORDS.has(lower)) return { ifFlagged: false, ifUnflagged: false };
  const lemma = lemmaOf(lower);
  if (LIGHT_VERBS.has(lemma)) return { ifFlagged: true, ifUnflagged: true };
  return { ifFlagged: !CONTENT_VERBS.has(lemma), ifUnflagged: false };
}

/**
 * Index terms for one token's surface form. Exported for tests and for the
 * query side, which must treat words exactly as documents do.
 */
export function termsOfWord(value: string, isStopWord: boolean): WordTerms {
  if (isStopWord) return NO_TERMS;
  let cached = wordCache.get(value);
  if (cached === undefined) {
    cached = computeTermsOfWord(value);
    wordCache.set(value, cached);
  }
  return cached;
}

interface WordTerms {
  readonly terms: readonly string[];
  readonly extra?: string;
}

const NO_TERMS: WordTerms = Object.freeze({ terms: Object.freeze([]) });
/** Surface forms repeat endlessly in an archive: each distinct one is analysed once. */
const wordCache = new SizedCache<WordTerms>(16 * MB, (word) => termsBytes(word.terms) + stringBytes(word.extra ?? ''));

function computeTermsOfWord(value: string): WordTerms {
  const glued = value.split(GLUED_WORD_BOUNDARY);
  const pieces = glued.flatMap((piece) => piece.split(PART_SEPARATORS));
  const forms = pieces.map(normalizeForm).filter((form) => form.length > 0 && /[\p{L}\p{N}]/u.test(form));
  if (forms.length === 0) return NO_TERMS;
  if (forms.length === 1) return { terms: [stem(forms[0]!)] };
  const joined = normalizeForm(pieces.join(''));
  return { terms: forms.map(stem), extra: joined ? stem(joined) : undefined };
}

/**
 * Everything analyzeText asks of a token, worked out once per distinct token: a document's words
 * are mostly repeats, and asking each question per token (lower-casing it, memo lookups keyed by
 * fresh strings, regular expressions) was the largest share of analysis after wink's own
 * tokenizer. Kept by wink's unique id for the token: wink's lexeme table only grows (an id is never
 * reused for another value) and a token's value and type are read off its id, so the facts of an
 * id hold for every document, and a table indexed by id answers without hashing any string.
 */
interface TokenFacts {
  /** The token as the text writes it (wink's value for the id). */
  readonly value: string;
  /** A word-like type (WORD_TYPES): it may carry terms. */
  readonly wordLike: boolean;
  /** wink's type is `word`: only words can be stop words. */
  readonly word: boolean;
  /** Starts with a capital letter (the start of a name, for the glued-name check on the next token). */
  readonly capital: boolean;
  /** Is it a stop word when wink flags it as one? */
  readonly stopIfFlagged: boolean;
  /** Is it a stop word when wink does not (a light verb's form wink's list lacks)? */
  readonly stopIfUnflagged: boolean;
  /** All capitals, 2-5 letters: a name ("US", "WHO") in mixed-case text. */
  readonly acronym: boolean;
  /** Its terms when it is not a stop word (NO_TERMS for a token that is not word-like). */
  readonly terms: WordTerms;
  /** unglueNameEnd's answer, once asked (null: not a glued name). */
  unglued?: string[] | null;
}

/**
 * The facts of each wink id seen, capped by estimated bytes like the memo tables (questions bring
 * new words too): past TOKEN_FACTS_BUDGET_BYTES the table is emptied and refilled as ids recur.
 * An archive of 100,000 passages has ~80,000 distinct forms per 4,000 documents: room for ~110,000.
 */
let tokenFacts: (TokenFacts | undefined)[] = [];
let tokenFactsBytes = 0;
const TOKEN_FACTS_BUDGET_BYTES = 24 * MB;

/** Estimated bytes of an entry: the object, its value and its terms (shared with wordCache's entry while that lives). */
const tokenFactsEntryBytes = (facts: TokenFacts): number =>
  96 + stringBytes(facts.value) + termsBytes(facts.terms.terms) + stringBytes(facts.terms.extra ?? '');

function rememberTokenFacts(id: number, facts: TokenFacts): void {
  const bytes = tokenFactsEntryBytes(facts);
  if (tokenFactsBytes + bytes > TOKEN_FACTS_BUDGET_BYTES) {
    tokenFacts = [];
    tokenFactsBytes = 0;
  }
  tokenFacts[id] = facts;
  tokenFactsBytes += bytes;
}

function factsOfToken(value: string, type: string): TokenFacts {
  const wordLike = WORD_TYPES.has(type);
  const stop = wordLike ? stopToken(value) : undefined;
  return {
    value,
    wordLike,
    word: type === 'word',
    capital: /^\p{Lu}/u.test(value),
    stopIfFlagged: stop?.ifFlagged ?? false,
    stopIfUnflagged: stop?.ifUnflagged ?? false,
    acronym: wordLike && isAcronym(value),
    terms: wordLike ? termsOfWord(value, false) : NO_TERMS,
  };
}

/**
 * Scraped news glues a name to the next word when markup is dropped: "Kim Jong Unvisited",
 * "Kim Jong Unwho". Inside a run of capitalised words, an unknown capitalised word that is a
 * short capitalised head plus a word the model knows is split there, so "Kim Jong Un" finds it.
 * Returns the terms of the parts, or undefined when the word is not such a compound.
 */
function unglueNameEnd(value: string): string[] | undefined {
  let cached = unglueCache.get(value);
  if (cached === undefined) {
    cached = null;
    const { nlp, its, firstUnknownId } = wink();
    // Capitalised forms are often missing from the lexicon ("Center"); the word itself must be unknown.
    const known = (nlp.readDoc(value.toLowerCase()).tokens().out(its.uniqueId)[0] as unknown as number) < firstUnknownId;
    // A split counts if the rest is a known word. A stop-word rest wins; otherwise the longest.
    let best: { head: string; rest: string; stop: boolean } | undefined;
    for (let head = 1; !known && head <= 4 && head <= value.length - 2; head++) {
      const rest = value.slice(head);
      if (!/^\p{Lu}\p{Ll}*$/u.test(value.slice(0, head)) || !/^\p{Ll}+$/u.test(rest)) continue;
      const restDoc = nlp.readDoc(rest).tokens();
      if ((restDoc.out(its.uniqueId)[0] as unknown as number) >= firstUnknownId) continue;
      const stop = (restDoc.out(its.stopWordFlag) as unknown as boolean[])[0]!;
      // Glued rests are a few function words and verbs or adverbs ("Un|who", "Un|visited",
      // "Un|warmly"); requiring that keeps names whose tail happens to be a word ("Da|vid",
      // "Eu|rope", "Lew|is", "Clint|on") whole.
      if (!GLUED_FUNCTION_WORDS.has(rest) && !(rest.length >= 4 && /(?:ed|ly)$/.test(rest))) continue;
      if (!best || (stop && !best.stop)) best = { head: value.slice(0, head), rest, stop };
    }
    if (best) cached = [...termsOfWord(best.head, false).terms, ...termsOfWord(best.rest, best.stop).terms];
    unglueCache.set(value, cached);
  }
  return cached ?? undefined;
}
const unglueCache = new SizedCache<string[] | null>(8 * MB, (terms) => termsBytes(terms ?? []));
const GLUED_FUNCTION_WORDS = new Set(['who', 'whose', 'was', 'were', 'has', 'had', 'for', 'also', 'with']);

function isAcronym(value: string): boolean {
  return value.length >= 2 && value.length <= 5 && /^\p{Lu}+$/u.test(value);
}

/**
 * Longest run of non-space characters handed to wink (100). wink's tokenizer and the stemmer take
 * time quadratic in a token's length (a 40,000-character "word" took 30 s), and no word is this long:
 * a longer run (a base64 blob, a line of `=`, text in a script written without spaces) is not indexed.
 */
export const MAX_WORD_CHARS = 100;
// Only a run's first character can start a match, so the scan is linear however long the runs.
const LONG_RUN = new RegExp(`(?<!\\S)\\S{${MAX_WORD_CHARS + 1},}`, 'g');

/** The text with every over-long run blanked out: same length, so every offset still holds. */
function maskLongRuns(text: string): string {
  return text.replace(LONG_RUN, (run) => ' '.repeat(run.length));
}

/** Analyse a document or question: word tokens with offsets and terms, plus sentence spans. */
export function analyzeText(text: string, known?: boolean[]): TextAnalysis {
  const { nlp, its, firstUnknownId } = wink();
  const doc = nlp.readDoc(maskLongRuns(text));
  const tokenList = doc.tokens();
  const ids = tokenList.out(its.uniqueId) as unknown as number[];
  // Read everything out of this document before analysing any other text (unglueNameEnd does).
  const sentenceTokenSpans = doc.sentences().out(its.span) as unknown as [number, number][];
  const spaces = tokenList.out<string>(its.precedingSpaces);
  const stopFlags = tokenList.out(its.stopWordFlag) as unknown as boolean[];
  // A token's value and type depend on its id alone: read off wink only for an id not seen before.
  const facts = new Array<TokenFacts>(ids.length);
  for (let i = 0; i < ids.length; i++) {
    let found = tokenFacts[ids[i]!];
    if (found === undefined) {
      const token = tokenList.itemAt(i);
      found = factsOfToken(token.out(its.value), token.out(its.type));
      rememberTokenFacts(ids[i]!, found);
    }
    facts[i] = found;
  }

  // In ordinary text an all-capitals "US" or "WHO" is a name, not the stop word "us" or "who";
  // in text typed all in capitals it is just a word.
  const mixedCase = /\p{Ll}/u.test(text);
  const starts = new Int32Array(ids.length);
  const tokens: AnalyzedToken[] = [];
  let cursor = 0;
  for (let i = 0; i < ids.length; i++) {
    const fact = facts[i]!;
    const value = fact.value;
    cursor += spaces[i]!.length;
    // wink reproduces the text exactly; the fallback guards against any character it normalises.
    if (!text.startsWith(value, cursor)) {
      const found = text.indexOf(value, cursor);
      if (found >= 0) cursor = found;
    }
    starts[i] = cursor;
    const start = cursor;
    cursor += value.length;
    if (!fact.wordLike) continue;
    const isStopWord = fact.word && (stopFlags[i] ? fact.stopIfFlagged : fact.stopIfUnflagged) && !(mixedCase && fact.acronym);
    // A word the model does not know, right after a capitalised one: perhaps a name glued to the next word.
    const afterName = ids[i]! >= firstUnknownId && i > 0 && spaces[i] === ' ' && facts[i - 1]!.capital;
    const unglued = afterName ? (fact.unglued === undefined ? (fact.unglued = unglueNameEnd(value) ?? null) : fact.unglued) : null;
    const { terms, extra } = unglued ? { terms: unglued, extra: undefined } : isStopWord ? NO_TERMS : fact.terms;
    if (terms.length === 0 && !isStopWord) continue;
    tokens.push(extra ? { start, end: cursor, terms, extra } : { start, end: cursor, terms });
    // Questions only: does the model know the word (in any case)? Read off this same pass.
    known?.push(ids[i]! < firstUnknownId || (/\p{Lu}/u.test(value) && isLexiconWord(value)));
  }

  const sentences: Span[] = [];
  for (const [first, last] of sentenceTokenSpans) {
    const start = starts[first] ?? 0;
    const end = (starts[last] ?? 0) + (facts[last]?.value.length ?? 0);
    if (end > start) sentences.push({ start, end });
  }
  return { tokens, sentences };
}

/** A question, reduced to what retrieval needs. */
export interface QueryAnalysis {
  /** Distinct terms in order of first appearance. */
  terms: string[];
  /** For each term (same order), the question's word it came from, as typed. */
  words: string[];
  /** For each term (same order), whether the language model knows its word as English (see isLexiconWord). */
  inLexicon: boolean[];
  /** Quoted phrases as term sequences (stop words as empty strings, to keep the gaps). */
  phrases: string[][];
  /**
   * Identifiers written as one word of several parts ("Hwasong-19", "F-22", "B-1B"): the terms
   * of the parts (also in `terms`) and the term of the joined form, which the index holds for
   * every such word it has seen.
   */
  identifiers: Array<{ parts: string[]; joined: string }>;
}

const HOW_MEASURES = new Set([
  'long',
  'much',
  'far',
  'old',
  'often',
  'big',
  'large',
  'high',
  'tall',
  'deep',
  'wide',
  'heavy',
  'soon',
  'early',
  'late',
]);

/** Controls, format characters (zero-width space, bidi marks) and line or paragraph separators. */
const INVISIBLE = /[\p{C}\p{Z}\s]/gu;

/**
 * A word as the question typed it, for showing back ("Missing: qatar"): a token's span may hold
 * invisible characters the tokenizer kept, which would break or hide the line they are shown in.
 */
function visibleWord(span: string, term: string): string {
  return span.replace(INVISIBLE, '') || term;
}

const QUOTED_PHRASE = /["“”„«»]([^"“”„«»]+)["“”„«»]/g;

/** Analyse a question with the same pipeline as documents; "quoted phrases" become phrase constraints. */
export function analyzeQuery(question: string): QueryAnalysis {
  const words = new Map<string, string>();
  const identifiers: QueryAnalysis['identifiers'] = [];
  let previous = '';
  const knownTokens: boolean[] = [];
  const known = new Map<string, boolean>();
  analyzeText(question, knownTokens).tokens.forEach((token, i) => {
    const word = visibleWord(question.slice(token.start, token.end), token.terms[0] ?? '');
    known.set(word, knownTokens[i]!);
    const after = previous;
    previous = word.toLowerCase();
    // "How long", "how far", "how old": the word asks for a measure; it is not what is asked about.
    if (after === 'how' && HOW_MEASURES.has(previous)) return;
    for (const term of token.terms) if (!words.has(term)) words.set(term, word);
    // Glued words ("ComradeKim") also get a joined term; only parts split at a hyphen or digit make an identifier.
    if (token.extra && token.terms.length > 1 && /[-‐‑‒–—/_]|\d/.test(word))
      identifiers.push({ parts: [...token.terms], joined: token.extra });
  });
  const phrases: string[][] = [];
  for (const match of question.matchAll(QUOTED_PHRASE)) {
    const phrase = analyzeText(match[1]!).tokens.flatMap((token) => (token.terms.length ? token.terms : ['']));
    // Trim stop words at the edges: they constrain nothing.
    while (phrase[0] === '') phrase.shift();
    while (phrase.at(-1) === '') phrase.pop();
    if (phrase.filter(Boolean).length > 1) phrases.push(phrase);
  }
  const typed = [...words.values()];
  return { terms: [...words.keys()], words: typed, inLexicon: typed.map((word) => known.get(word) ?? false), phrases, identifiers };
}

const lexiconCache = new SizedCache<boolean>(2 * MB, () => 0);

/**
 * Whether the language model knows the word as English: a word of the language rather than a
 * name, a coinage or a misspelling. Questions ask with such words about the text ("described",
 * "article"); a word the archive lacks that is not one of them is the question's topic, or a typo.
 */
function isLexiconWord(word: string): boolean {
  const lower = word.toLowerCase();
  let known = lexiconCache.get(lower);
  if (known === undefined) {
    const { nlp, its, firstUnknownId } = wink();
    const ids = nlp.readDoc(lower).tokens().out(its.uniqueId) as unknown as number[];
    known = ids.length > 0 && ids.every((id) => id < firstUnknownId);
    lexiconCache.set(lower, known);
  }
  return known;
}
