/**
 * Step 2, score: a run of whole sentences is worth the weight (idf) of the distinct question terms
 * it covers, so the rarest words of the question decide what is quoted; more matches and fewer
 * sentences break ties. A sentence longer than the whole budget is scored as its best window.
 */
import type { Candidate, Piece } from './candidates.js';
import { maskOfMatches } from './candidates.js';
import { endWithin, shownLength, startWithin } from './displayed.js';
import { SEPARATOR } from './format.js';
import type { TermBits } from './terms.js';

/** Is the word at `at` next to a matched word ("79th birthday", "four ladders", "birthday, 79th")? */
function beside(text: string, at: number, matches: readonly { start: number; end: number }[]): boolean {
  const end = at + (/^\S+/.exec(text.slice(at))?.[0].length ?? 0);
  return matches.some((m) => /^[\s,]{1,3}$/.test(text.slice(end, m.start)) || /^[\s,]{1,3}$/.test(text.slice(m.end, at)));
}
/** What a clipped sentence shows before its first match, at most. */
const CLIP_LEAD_IN = 40;

export interface Run {
  first: number;
  last: number;
  score: number;
  weight: number;
}

type SentenceLengths = ReturnType<typeof sentenceLengths>;

/** The best run of whole sentences that fits `maxChars`: covered weight first, then more matches, then earlier. */
export function bestRun(
  candidates: Candidate[],
  lengths: SentenceLengths,
  bits: TermBits,
  maxChars: number,
  answerBoost = 0,
): Run | undefined {
  let best: Run | undefined;
  for (let first = 0; first < candidates.length; first++) {
    let mask = 0;
    let matchCount = 0;
    let length = 0;
    let answers = false;
    for (let last = first; last < candidates.length; last++) {
      length += (last === first ? 0 : lengths.joining(last)) + lengths.sentence[last]!;
      if (length > maxChars) break;
      mask |= candidates[last]!.mask;
      matchCount += candidates[last]!.matches.length;
      // A sentence with the asked-for kind of answer (a number for "how many") counts for more.
      answers ||= candidates[last]!.answers === true && candidates[last]!.mask !== 0;
      const weight = bits.weightOf(mask);
      const score = weight * (answers ? 1 + answerBoost : 1) * 1000 + matchCount - (last - first) * 0.01;
      if (!best || score > best.score) best = { first, last, score, weight };
    }
  }
  return best;
}

/** The over-long sentence whose best window covers the most question weight, if any sentence is over-long. */
export function bestClip(
  text: string,
  candidates: Candidate[],
  lengths: SentenceLengths,
  bits: TermBits,
  maxChars: number,
  collapsed: Uint32Array,
  answerBoost = 0,
): { piece: Piece; weight: number } | undefined {
  let bestClip: { piece: Piece; weight: number } | undefined;
  candidates.forEach((candidate, i) => {
    if (lengths.sentence[i]! <= maxChars) return;
    const piece = clipSentence(text, candidate, bits, maxChars, collapsed, answerBoost);
    const weight = bits.weightOf(maskOfMatches(candidate.matches.filter((m) => m.start >= piece.start && m.end <= piece.end)));
    if (!bestClip || weight > bestClip.weight) bestClip = { piece, weight };
  });
  return bestClip;
}

/**
 * Displayed lengths of sentences and of the gaps between them, measured once, so the
 * selection can price any set of sentences without re-reading the text.
 */
export function sentenceLengths(text: string, collapsed: Uint32Array, candidates: Candidate[]) {
  const sentence = candidates.map((c) => shownLength(collapsed, c));
  // gap[i]: what joins sentence i-1 to sentence i when both are quoted (-1: they do not touch).
  const gap = candidates.map((c, i) => {
    if (i === 0) return -1;
    const between = text.slice(candidates[i - 1]!.end, c.start);
    return /^\s*$/.test(between) ? (between.length ? 1 : 0) : -1;
  });
  /** What joining sentence `index` to the one before it adds: the gap, or a separator if they do not touch. */
  const joining = (index: number) => (gap[index]! >= 0 ? gap[index]! : SEPARATOR.length);
  return {
    sentence,
    joining,
    /** Length of the quote made of these sentences (ascending indexes). */
    of(indexes: number[]): number {
      let length = 0;
      indexes.forEach((index, k) => {
        length += sentence[index]!;
        if (k > 0) length += indexes[k - 1] === index - 1 ? joining(index) : SEPARATOR.length;
      });
      return length;
    },
  };
}

/**
 * Cut an over-long sentence to the window of words that covers the most question weight, within
 * `maxChars` as `collapsed` prices the text (an ellipsis at each end counts one).
 */
export function clipSentence(
  text: string,
  sentence: Candidate,
  bits: TermBits,
  maxChars: number,
  collapsed: Uint32Array,
  answerBoost = 0,
): Piece {
  const budget = Math.max(1, maxChars - 2); // room for an ellipsis at each end
  // The latest start whose window still reaches the end of the sentence.
  const latest = startWithin(collapsed, sentence.end, sentence.start, budget);
  let bestStart = sentence.start;
  let bestScore = -1;
  const anchors = sentence.matches.length ? sentence.matches.map((m) => m.start) : [sentence.start];
  // Windows that end just after a word of the asked-for kind, so one that trails the matches is tried.
  if (answerBoost > 0)
    for (const at of sentence.answerAt ?? []) anchors.push(startWithin(collapsed, Math.min(sentence.end, at + 20), sentence.start, budget));
  for (const anchor of anchors) {
    // Try windows that start a little before each match, so it has some lead-in (a third of the room at most).
    const leadIn = startWithin(collapsed, anchor, sentence.start, Math.min(CLIP_LEAD_IN, Math.floor(budget / 3)));
    const start = Math.max(sentence.start, Math.min(leadIn, latest));
    const windowEnd = endWithin(collapsed, start, sentence.end, budget);
    const inWindow = sentence.matches.filter((m) => m.start >= start && m.end <= windowEnd);
    // A window that shows a word of the asked-for kind beside a question word (the "79th" of "which
    // birthday", not a dateline's "November 10") counts for more, as a run holding one does.
    const answers =
      answerBoost > 0 &&
      inWindow.length > 0 &&
      sentence.answerAt?.some((at) => at >= start && at < windowEnd && beside(text, at, inWindow)) === true;
    const score = bits.weightOf(maskOfMatches(inWindow)) * (answers ? 1 + answerBoost : 1) * 1000 + inWindow.length;
    if (score > bestScore) {
      bestScore = score;
      bestStart = start;
    }
  }
  let start = bestStart;
  let end = endWithin(collapsed, start, sentence.end, budget);
  // Move inward to word boundaries; one word longer than the budget is cut where it must be.
  if (start > sentence.start && /\S/.test(text[start - 1]!)) {
    const nextSpace = text.slice(start, end).search(/\s/);
    if (nextSpace >= 0) start += nextSpace + 1;
  }
  if (end < sentence.end && /\S/.test(text[end]!)) {
    const lastSpace = text.slice(start, end).search(/\s\S*$/);
    if (lastSpace > 0) end = start + lastSpace;
  }
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  // Nothing fits (a room smaller than one character): quote the first character rather than nothing.
  if (end <= start) end = Math.min(sentence.end, start + 1);
  return { start, end, clippedStart: start > sentence.start, clippedEnd: end < sentence.end };
}
