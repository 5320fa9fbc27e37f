/**
 * Excerpts: the verbatim span the bot quotes for a passage, in four pure steps
 * (after Lucene's UnifiedHighlighter):
 *   candidates — the passage's sentences, with the question terms each contains;
 *   score      — a run of whole sentences is worth the idf of the distinct terms it covers,
 *                so the rarest words of the question decide what is quoted;
 *   select     — the best run that fits, then sentences that add uncovered terms, then
 *                neighbouring sentences while room is left (context helps the reader);
 *   format     — cut the original text by offsets, join pieces that do not touch with " … ",
 *                collapse whitespace, and report matched words as highlight ranges.
 * A sentence longer than the whole budget is cut at word boundaries around its matches.
 */
import { analyzeText, type Span } from './analysis.js';
import type { Excerpt, Highlight } from './types.js';

export interface ExcerptOptions {
  /** Longest excerpt in characters, separators included. @defaultValue 350 */
  maxChars?: number;
}

export const DEFAULT_EXCERPT_OPTIONS: Required<ExcerptOptions> = { maxChars: 350 };

export const ELLIPSIS = '…';
const SEPARATOR = ` ${ELLIPSIS} `;

interface Match extends Span {
  terms: string[];
}

interface Candidate extends Span {
  matches: Match[];
}

/** Quote `text` (a passage) for a question whose terms carry the given weights. */
export function buildExcerpt(text: string, termWeights: Map<string, number>, options: ExcerptOptions = {}): Excerpt {
  const { maxChars } = { ...DEFAULT_EXCERPT_OPTIONS, ...options };
  const analysis = analyzeText(text);
  const matches = findMatches(analysis.tokens, termWeights);
  const whole: Span = { start: 0, end: text.length };
  const sentences = analysis.sentences.length ? analysis.sentences : [whole];
  const candidates = sentences.map((span) => ({ ...span, matches: matches.filter((m) => m.start >= span.start && m.end <= span.end) }));

  const pieces = collapsedLength(text, whole) <= maxChars ? [whole] : selectPieces(text, candidates, termWeights, maxChars);
  return formatPieces(text, pieces, matches);
}

function findMatches(tokens: ReturnType<typeof analyzeText>['tokens'], termWeights: Map<string, number>): Match[] {
  const found: Match[] = [];
  for (const token of tokens) {
    const terms = [...token.terms, ...(token.extra ? [token.extra] : [])].filter((term) => termWeights.has(term));
    if (terms.length) found.push({ start: token.start, end: token.end, terms });
  }
  return found;
}

function coveredWeight(matches: Iterable<Match>, termWeights: Map<string, number>): number {
  const covered = new Set<string>();
  for (const match of matches) for (const term of match.terms) covered.add(term);
  let weight = 0;
  for (const term of covered) weight += termWeights.get(term) ?? 0;
  return weight;
}

/** Length once whitespace runs are collapsed: what the reader will see. */
function collapsedLength(text: string, span: Span): number {
  return text.slice(span.start, span.end).replace(/\s+/g, ' ').length;
}

/** A piece to quote; `clipped` marks ends cut inside a sentence (they get an ellipsis). */
interface Piece extends Span {
  clippedStart?: boolean;
  clippedEnd?: boolean;
}

function piecesLength(text: string, pieces: Piece[]): number {
  let length = 0;
  for (const piece of pieces) {
    length += collapsedLength(text, piece) + (piece.clippedStart ? 1 : 0) + (piece.clippedEnd ? 1 : 0);
  }
  return length + SEPARATOR.length * Math.max(0, pieces.length - 1);
}

function selectPieces(text: string, candidates: Candidate[], termWeights: Map<string, number>, maxChars: number): Piece[] {
  // Best run of whole sentences that fits: covered weight first, then more matches, then earlier.
  let best: { first: number; last: number; score: number; weight: number } | undefined;
  for (let first = 0; first < candidates.length; first++) {
    for (let last = first; last < candidates.length; last++) {
      const span = { start: candidates[first]!.start, end: candidates[last]!.end };
      if (collapsedLength(text, span) > maxChars) break;
      const runMatches = candidates.slice(first, last + 1).flatMap((c) => c.matches);
      const weight = coveredWeight(runMatches, termWeights);
      const score = weight * 1000 + runMatches.length - (last - first) * 0.01;
      if (!best || score > best.score) best = { first, last, score, weight };
    }
  }
  // A sentence longer than the budget may still hold more of the question than any run that
  // fits: then quote the part of it around its matches instead.
  let bestClip: { piece: Piece; weight: number } | undefined;
  for (const candidate of candidates) {
    if (collapsedLength(text, candidate) <= maxChars) continue;
    const piece = clipSentence(text, candidate, termWeights, maxChars);
    const weight = coveredWeight(candidate.matches.filter((m) => m.start >= piece.start && m.end <= piece.end), termWeights);
    if (!bestClip || weight > bestClip.weight) bestClip = { piece, weight };
  }
  if (bestClip && (!best || bestClip.weight > best.weight)) return [bestClip.piece];
  if (!best) return [clipSentence(text, candidates[0]!, termWeights, maxChars)];

  const chosen = new Set<number>();
  for (let i = best.first; i <= best.last; i++) chosen.add(i);
  const piecesOf = (indexes: Set<number>) => mergeTouching([...indexes].sort((a, b) => a - b).map((i) => ({ ...spanOf(candidates[i]!) })), text);
  const fits = (indexes: Set<number>) => piecesLength(text, piecesOf(indexes)) <= maxChars;

  // Add sentences that bring question terms the run lacks, rarest first.
  const coveredTerms = () => new Set([...chosen].flatMap((i) => candidates[i]!.matches.flatMap((m) => m.terms)));
  for (;;) {
    const covered = coveredTerms();
    let pick: { index: number; gain: number } | undefined;
    candidates.forEach((candidate, index) => {
      if (chosen.has(index)) return;
      const gain = coveredWeight(
        candidate.matches.map((m) => ({ ...m, terms: m.terms.filter((t) => !covered.has(t)) })),
        termWeights,
      );
      if (gain > 0 && (!pick || gain > pick.gain) && fits(new Set([...chosen, index]))) pick = { index, gain };
    });
    if (!pick) break;
    chosen.add(pick.index);
  }

  // Fill what room is left with the sentences around the run: the answer is often next door.
  for (let grown = true; grown; ) {
    grown = false;
    const sorted = [...chosen].sort((a, b) => a - b);
    for (const neighbour of [sorted.at(-1)! + 1, sorted[0]! - 1]) {
      if (neighbour < 0 || neighbour >= candidates.length || chosen.has(neighbour)) continue;
      if (fits(new Set([...chosen, neighbour]))) {
        chosen.add(neighbour);
        grown = true;
        break;
      }
    }
  }
  return piecesOf(chosen);
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

/** Cut an over-long sentence to the window of words that covers the most question weight. */
function clipSentence(text: string, sentence: Candidate, termWeights: Map<string, number>, maxChars: number): Piece {
  const budget = maxChars - 2; // room for an ellipsis at each end
  let bestStart = sentence.start;
  let bestScore = -1;
  const anchors = sentence.matches.length ? sentence.matches.map((m) => m.start) : [sentence.start];
  for (const anchor of anchors) {
    // Try windows that start a little before each match, so it has some lead-in.
    const start = Math.max(sentence.start, Math.min(anchor - 40, sentence.end - budget));
    const inWindow = sentence.matches.filter((m) => m.start >= start && m.end <= start + budget);
    const score = coveredWeight(inWindow, termWeights) * 1000 + inWindow.length;
    if (score > bestScore) {
      bestScore = score;
      bestStart = start;
    }
  }
  let start = bestStart;
  let end = Math.min(sentence.end, start + budget);
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
  return { start, end, clippedStart: start > sentence.start, clippedEnd: end < sentence.end };
}

/** Cut the pieces from the original text, collapse whitespace, and map match offsets into the result. */
function formatPieces(text: string, pieces: Piece[], matches: Match[]): Excerpt {
  let out = '';
  const highlights: Highlight[] = [];
  pieces.forEach((piece, index) => {
    if (index > 0) out += SEPARATOR;
    if (piece.clippedStart) out += ELLIPSIS;
    // Map each original offset in the piece to its offset in `out` while collapsing whitespace.
    const offsetMap = new Int32Array(piece.end - piece.start + 1);
    let previousWasSpace = false;
    for (let i = piece.start; i < piece.end; i++) {
      offsetMap[i - piece.start] = out.length;
      const ch = text[i]!;
      if (/\s/.test(ch)) {
        if (!previousWasSpace) out += ' ';
        previousWasSpace = true;
      } else {
        out += ch;
        previousWasSpace = false;
      }
    }
    offsetMap[piece.end - piece.start] = out.length;
    for (const match of matches) {
      if (match.start >= piece.start && match.end <= piece.end) {
        highlights.push({ start: offsetMap[match.start - piece.start]!, end: offsetMap[match.end - piece.start]! });
      }
    }
    if (piece.clippedEnd) out += ELLIPSIS;
  });
  return { text: out, highlights: joinAdjacent(highlights, out) };
}

/** "Kim", "Jong", "Un" separated by single spaces read better as one emphasised name. */
function joinAdjacent(highlights: Highlight[], text: string): Highlight[] {
  const joined: Highlight[] = [];
  for (const highlight of highlights) {
    const previous = joined.at(-1);
    if (previous && text.slice(previous.end, highlight.start) === ' ') previous.end = highlight.end;
    else joined.push({ ...highlight });
  }
  return joined;
}
