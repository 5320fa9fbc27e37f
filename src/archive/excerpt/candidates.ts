/**
 * Step 1, candidates: the passage's sentences, each with the question terms its words match.
 */
import type { AnalyzedToken, Span } from '../analysis/analyze.js';
import type { TermBits } from './terms.js';
import { ANSWER_DATE, ANSWER_NUMBER, nameKindsAt, TEXT_KINDS, termAnswerKinds } from '../analysis/answer-kind.js';

export interface Match extends Span {
  /** Question terms this word matches, as bits of the question's term mask. */
  mask: number;
}

export interface Candidate extends Span {
  matches: Match[];
  /** Union of its matches' masks. */
  mask: number;
  /** Holds a word of the kind of answer the question asks for (a number, a date, a name) that is not a question word. */
  answers?: boolean;
  /** Where those words start (offsets into the text), in order. */
  answerAt?: number[];
}

export function findMatches(tokens: AnalyzedToken[], bits: TermBits): Match[] {
  const found: Match[] = [];
  for (const token of tokens) {
    let mask = bits.maskOf(token.terms);
    if (token.extra) mask |= bits.maskOf([token.extra]);
    if (mask) found.push({ start: token.start, end: token.end, mask });
  }
  return found;
}

/** Sentences with the matches inside each (both lists are in text order). */
export function candidatesOf(sentences: Span[], matches: Match[]): Candidate[] {
  let next = 0;
  return sentences.map((sentence) => {
    while (next < matches.length && matches[next]!.start < sentence.start) next++;
    const inside: Match[] = [];
    let mask = 0;
    for (let m = next; m < matches.length && matches[m]!.end <= sentence.end; m++) {
      inside.push(matches[m]!);
      mask |= matches[m]!.mask;
    }
    return { start: sentence.start, end: sentence.end, matches: inside, mask };
  });
}

export function maskOfMatches(matches: Match[]): number {
  let mask = 0;
  for (const match of matches) mask |= match.mask;
  return mask;
}

/** A piece to quote; `clipped` marks ends cut inside a sentence (they get an ellipsis). */
export interface Piece extends Span {
  clippedStart?: boolean;
  clippedEnd?: boolean;
}

/**
 * Mark the candidates that hold a word of the asked-for kinds (ANSWER_* bits) other than the
 * question's own words: a number for "how many", a date for "when", a name for "who"/"where".
 */
export function markAnswers(candidates: Candidate[], tokens: AnalyzedToken[], text: string, kinds: number, bits: TermBits): void {
  if (!kinds) return;
  // A date is often written as a day number ("on May 16", with "may" a stop word).
  const wanted = kinds & ANSWER_DATE ? kinds | ANSWER_NUMBER : kinds;
  let next = 0;
  for (const candidate of candidates) {
    while (next < tokens.length && tokens[next]!.start < candidate.start) next++;
    for (let t = next; t < tokens.length && tokens[t]!.end <= candidate.end; t++) {
      const token = tokens[t]!;
      if (token.terms.length === 0 || bits.maskOf(token.terms) !== 0) continue;
      const kind = token.terms.reduce((k, term) => k | termAnswerKinds(term), 0);
      if (kind & wanted || (wanted & TEXT_KINDS && nameKindsAt(text, token.start, candidate.start) & wanted)) {
        candidate.answers = true;
        (candidate.answerAt ??= []).push(token.start);
      }
    }
  }
}
