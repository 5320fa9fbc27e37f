/**
 * Step 3, select: the best run that fits, then sentences that add question terms the run lacks
 * (rarest first), then neighbouring sentences while room is left (the answer is often next door),
 * then the start of the next sentence cut at a word.
 */
import type { Span } from '../analysis/analyze.js';
import { EXCERPT_MIN_TAIL_CHARS } from '../defaults.js';
import type { Candidate, Piece } from './candidates.js';
import { cutAtWord } from './displayed.js';
import { ELLIPSIS } from './format.js';
import { bestClip, bestRun, clipSentence, sentenceLengths } from './score.js';
import type { TermBits } from './terms.js';

export function selectPieces(
  text: string,
  collapsed: Uint32Array,
  candidates: Candidate[],
  bits: TermBits,
  maxChars: number,
  answerBoost = 0,
): Piece[] {
  const lengths = sentenceLengths(text, collapsed, candidates);

  const best = bestRun(candidates, lengths, bits, maxChars, answerBoost);
  // A sentence longer than the budget may still hold more of the question than any run that
  // fits: then quote the part of it around its matches instead.
  const clipped = bestClip(text, candidates, lengths, bits, maxChars, collapsed, answerBoost);
  if (clipped && (!best || clipped.weight > best.weight)) return [clipped.piece];
  if (!best) return [clipSentence(text, candidates[0]!, bits, maxChars, collapsed, answerBoost)];

  const chosen = range(best.first, best.last);
  const fitsWith = (index: number) => lengths.of([...chosen, index].sort((a, b) => a - b)) <= maxChars;

  // Add sentences that bring question terms the run lacks, rarest first.
  for (;;) {
    let covered = 0;
    for (const i of chosen) covered |= candidates[i]!.mask;
    let pick: { index: number; gain: number } | undefined;
    candidates.forEach((candidate, index) => {
      const gain = bits.weightOf(candidate.mask & ~covered);
      if (gain > 0 && (!pick || gain > pick.gain) && !chosen.includes(index) && fitsWith(index)) pick = { index, gain };
    });
    if (!pick) break;
    chosen.push(pick.index);
    chosen.sort((a, b) => a - b);
  }

  // Fill what room is left with the sentences around the run: the answer is often next door.
  for (let grown = true; grown;) {
    grown = false;
    for (const neighbour of [chosen.at(-1)! + 1, chosen[0]! - 1]) {
      if (neighbour < 0 || neighbour >= candidates.length || chosen.includes(neighbour) || !fitsWith(neighbour)) continue;
      chosen.push(neighbour);
      chosen.sort((a, b) => a - b);
      grown = true;
      break;
    }
  }
  const pieces = mergeTouching(
    chosen.map((i) => spanOf(candidates[i]!)),
    text,
  );
  // Room left but no whole sentence fits: quote the start of the next one, cut at a word.
  const next = chosen.at(-1)! + 1;
  const room = maxChars - lengths.of(chosen) - lengths.joining(next) - ELLIPSIS.length;
  if (next < candidates.length && room >= EXCERPT_MIN_TAIL_CHARS && lengths.joining(next) <= 1) {
    const tail = cutAtWord(text, candidates[next]!.start, room, collapsed);
    if (tail > candidates[next]!.start) {
      const last = pieces.at(-1)!;
      last.end = tail;
      last.clippedEnd = true;
    }
  }
  return pieces;
}

function range(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

function spanOf(span: Span): Span {
  return { start: span.start, end: span.end };
}

/** Join pieces separated only by whitespace: no ellipsis between text that touches. */
function mergeTouching(pieces: Piece[], text: string): Piece[] {
  const merged: Piece[] = [];
  for (const piece of pieces) {
    const previous = merged.at(-1);
    if (previous && /^\s*$/.test(text.slice(previous.end, piece.start))) previous.end = piece.end;
    else merged.push({ ...piece });
  }
  return merged;
}
