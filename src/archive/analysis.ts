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
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

/** A character range [start, end) in the analysed text. */
export interface Span {
  start: number;
  end: number;
}

/** A word-like token with the index terms it stands for. */
export interface AnalyzedToken extends Span {
  /**
   * Terms at consecutive positions (the parts of a compound); empty for a stop word,
   * which still occupies a position so phrases and proximity see the gap.
   */
  terms: string[];
  /** Extra terms indexed for matching but holding no position (a compound's joined form). */
  extra?: string;
}

export interface TextAnalysis {
  /** Word-like tokens in text order; punctuation and symbols are left out. */
  tokens: AnalyzedToken[];
  /** Sentence spans, trimmed of surrounding whitespace. */
  sentences: Span[];
}

// Only sentence boundary detection is needed: stems come from the model's stemmer
// and stop words from its lexicon, neither of which needs POS tagging or NER.
const nlp = winkNLP(model, ['sbd']);
const its = nlp.its;
const stemWord: (word: string) => string = (model as unknown as { addons: { stem: (w: string) => string } }).addons
  .stem;

/**
 * Irregular forms from the model's WordNet exception lists ("met" → "meet", "children" →
 * "child"): the stemmer cannot see that "met" and "meet" are one word, and questions
 * ask "where did they meet?" of text that says "they met". Both sides map the same way.
 */
const require = createRequire(import.meta.url);
const irregularForms = new Map<string, string>();
for (const list of ['wn-noun-exceptions.js', 'wn-verb-exceptions.js']) {
  const exceptions = require(`wink-eng-lite-web-model/dist/${list}`) as Record<string, string>;
  for (const form in exceptions) if (exceptions[form] !== form) irregularForms.set(form, exceptions[form]!);
}

/** Token types that carry searchable words. Others (punctuation, emoji, urls, …) are skipped. */
const WORD_TYPES = new Set(['word', 'number', 'unk', 'mention', 'hashtag', 'ordinal', 'time', 'abbreviation']);

/** Stemming is the hot spot of indexing; every distinct form is stemmed once. */
const stemCache = new Map<string, string>();
const STEM_CACHE_LIMIT = 500_000;

function stem(word: string): string {
  let stemmed = stemCache.get(word);
  if (stemmed === undefined) {
    // Numbers and words with digits are kept as they are: the stemmer would mangle "1990s".
    const base = irregularForms.get(word) ?? word;
    stemmed = /\d/.test(base) || base.length < 3 ? base : stemWord(base);
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
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
  return form.replace(/^['.]+|['.]+$/g, '');
}

/**
 * Index terms for one token's surface form. Exported for tests and for the
 * query side, which must treat words exactly as documents do.
 */
export function termsOfWord(value: string, isStopWord: boolean): { terms: string[]; extra?: string } {
  if (isStopWord) return { terms: [] };
  const glued = value.split(GLUED_WORD_BOUNDARY);
  const pieces = glued.flatMap((piece) => piece.split(PART_SEPARATORS));
  const forms = pieces.map(normalizeForm).filter((form) => form.length > 0 && /[\p{L}\p{N}]/u.test(form));
  if (forms.length === 0) return { terms: [] };
  if (forms.length === 1) return { terms: [stem(forms[0]!)] };
  const joined = normalizeForm(pieces.join(''));
  return { terms: forms.map(stem), extra: joined ? stem(joined) : undefined };
}

/** Analyse a document or question: word tokens with offsets and terms, plus sentence spans. */
export function analyzeText(text: string): TextAnalysis {
  const doc = nlp.readDoc(text);
  const tokenList = doc.tokens();
  const values = tokenList.out(its.value) as string[];
  const types = tokenList.out(its.type) as string[];
  const spaces = tokenList.out(its.precedingSpaces) as string[];
  const stopFlags = tokenList.out(its.stopWordFlag) as unknown as boolean[];

  const starts = new Int32Array(values.length);
  const tokens: AnalyzedToken[] = [];
  let cursor = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    cursor += spaces[i]!.length;
    // wink reproduces the text exactly; the fallback guards against any character it normalises.
    if (!text.startsWith(value, cursor)) {
      const found = text.indexOf(value, cursor);
      if (found >= 0) cursor = found;
    }
    starts[i] = cursor;
    const start = cursor;
    cursor += value.length;
    if (!WORD_TYPES.has(types[i]!)) continue;
    const { terms, extra } = termsOfWord(value, stopFlags[i]! && types[i] === 'word');
    if (terms.length === 0 && !stopFlags[i]) continue;
    tokens.push(extra ? { start, end: cursor, terms, extra } : { start, end: cursor, terms });
  }

  const sentences: Span[] = [];
  for (const [first, last] of doc.sentences().out(its.span) as unknown as [number, number][]) {
    const start = starts[first] ?? 0;
    const end = (starts[last] ?? 0) + (values[last]?.length ?? 0);
    if (end > start) sentences.push({ start, end });
  }
  return { tokens, sentences };
}

/** A question, reduced to what retrieval needs. */
export interface QueryAnalysis {
  /** Distinct terms in order of first appearance. */
  terms: string[];
  /** Quoted phrases as term sequences (stop words as empty strings, to keep the gaps). */
  phrases: string[][];
}

const QUOTED_PHRASE = /["“”„«»]([^"“”„«»]+)["“”„«»]/g;

/** Analyse a question with the same pipeline as documents; "quoted phrases" become phrase constraints. */
export function analyzeQuery(question: string): QueryAnalysis {
  const termsSeen = new Set<string>();
  for (const token of analyzeText(question).tokens) {
    for (const term of token.terms) termsSeen.add(term);
  }
  const phrases: string[][] = [];
  for (const match of question.matchAll(QUOTED_PHRASE)) {
    const phrase = analyzeText(match[1]!).tokens.flatMap((token) => (token.terms.length ? token.terms : ['']));
    // Trim stop words at the edges: they constrain nothing.
    while (phrase[0] === '') phrase.shift();
    while (phrase.at(-1) === '') phrase.pop();
    if (phrase.filter(Boolean).length > 1) phrases.push(phrase);
  }
  return { terms: [...termsSeen], phrases };
}
