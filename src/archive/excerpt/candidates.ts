/**
 * Step 1, candidates: the passage's sentences, each with the question terms its words match.
 */
import type { AnalyzedToken, Span } from '../analysis/analyze.js';
import type { TermBits } from './terms.js';

export interface Match extends Span {
  /** Question terms this word matches, as bits of the question's term mask. */
  mask: number;
}

export interface Candidate extends Span {
  matches: Match[];
  /** Union of its matches' masks. */
  mask: number;
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
