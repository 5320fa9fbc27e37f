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
import type { AnalyzedToken, Span, TextAnalysis } from '../analysis/analyze.js';
import type { Excerpt, Highlight } from '../types.js';

export interface ExcerptOptions {
  /** Longest excerpt in characters, separators included. @defaultValue 350 */
  maxChars?: number;
}

export const DEFAULT_EXCERPT_OPTIONS: Required<ExcerptOptions> = { maxChars: 350 };

export const ELLIPSIS = '…';
const SEPARATOR = ` ${ELLIPSIS} `;

interface Match extends Span {
  /** Question terms this word matches, as bits of the question's term mask. */
  mask: number;
}

interface Candidate extends Span {
  matches: Match[];
  /** Union of its matches' masks. */
  mask: number;
}

/** Question terms as bits, so a set of covered terms is one integer and its weight a sum over bits. */
class TermBits {
  private readonly bitOf = new Map<string, number>();
  private readonly weights: number[] = [];

  constructor(termWeights: Map<string, number>) {
    for (const [term, weight] of termWeights) {
      if (this.weights.length === 31) break; // the rest still match, they just add no weight
      this.bitOf.set(term, 1 << this.weights.length);
      this.weights.push(weight);
    }
  }

  has(term: string): boolean {
    return this.bitOf.has(term);
  }

  maskOf(terms: Iterable<string>): number {
    let mask = 0;
    for (const term of terms) mask |= this.bitOf.get(term) ?? 0;
    return mask;
  }

  weightOf(mask: number): number {
    let weight = 0;
    for (let bit = 0; mask !== 0; bit++, mask >>>= 1) if (mask & 1) weight += this.weights[bit]!;
    return weight;
  }
}

/**
 * Quote `text` (a passage) for a question whose terms carry the given weights.
 * `analysis` is the passage's words and sentences with offsets into `text`.
 */
export function buildExcerpt(
  text: string,
  analysis: TextAnalysis,
  termWeights: Map<string, number>,
  options: ExcerptOptions = {},
): Excerpt {
  const { maxChars } = { ...DEFAULT_EXCERPT_OPTIONS, ...options };
  const bits = new TermBits(termWeights);
  const matches = findMatches(analysis.tokens, bits);
  const whole: Span = { start: 0, end: text.length };
  const collapsed = displayedLengths(text);
  const pieces =
    shownLength(collapsed, whole) <= maxChars
      ? [whole]
      : selectPieces(text, collapsed, candidatesOf(analysis.sentences.length ? analysis.sentences : [whole], matches), bits, maxChars);
  return formatPieces(text, pieces, matches);
}

function findMatches(tokens: AnalyzedToken[], bits: TermBits): Match[] {
  const found: Match[] = [];
  for (const token of tokens) {
    let mask = bits.maskOf(token.terms);
    if (token.extra) mask |= bits.maskOf([token.extra]);
    if (mask) found.push({ start: token.start, end: token.end, mask });
  }
  return found;
}

/** Sentences with the matches inside each (both lists are in text order). */
function candidatesOf(sentences: Span[], matches: Match[]): Candidate[] {
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

function maskOfMatches(matches: Match[]): number {
  let mask = 0;
  for (const match of matches) mask |= match.mask;
  return mask;
}

/**
 * Displayed lengths: collapsed[i] is how many characters text[0, i) shows once each whitespace
 * run is shown as one space. Measured in one pass, so any span's length is a subtraction.
 */
function displayedLengths(text: string): Uint32Array {
  const collapsed = new Uint32Array(text.length + 1);
  let shown = 0;
  let previousWasSpace = false;
  for (let i = 0; i < text.length; i++) {
    collapsed[i] = shown;
    const isSpace = isWhitespace(text.charCodeAt(i));
    if (!isSpace || !previousWasSpace) shown++;
    previousWasSpace = isSpace;
  }
  collapsed[text.length] = shown;
  return collapsed;
}

/** Length of a span as shown; exact for spans that start and end outside whitespace, as sentences do. */
function shownLength(collapsed: Uint32Array, span: Span): number {
  return collapsed[span.end]! - collapsed[span.start]!;
}

function isWhitespace(code: number): boolean {
  return (
    code === 32 ||
    (code >= 9 && code <= 13) ||
    code === 0xa0 ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x3000 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x1680 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0xfeff
  );
}

/** A piece to quote; `clipped` marks ends cut inside a sentence (they get an ellipsis). */
interface Piece extends Span {
  clippedStart?: boolean;
  clippedEnd?: boolean;
}

function selectPieces(text: string, collapsed: Uint32Array, candidates: Candidate[], bits: TermBits, maxChars: number): Piece[] {
  const lengths = sentenceLengths(text, collapsed, candidates);

  // Best run of whole sentences that fits: covered weight first, then more matches, then earlier.
  let best: { first: number; last: number; score: number; weight: number } | undefined;
  for (let first = 0; first < candidates.length; first++) {
    let mask = 0;
    let matchCount = 0;
    let length = 0;
    for (let last = first; last < candidates.length; last++) {
      length += (last === first ? 0 : lengths.joining(last)) + lengths.sentence[last]!;
      if (length > maxChars) break;
      mask |= candidates[last]!.mask;
      matchCount += candidates[last]!.matches.length;
      const weight = bits.weightOf(mask);
      const score = weight * 1000 + matchCount - (last - first) * 0.01;
      if (!best || score > best.score) best = { first, last, score, weight };
    }
  }
  // A sentence longer than the budget may still hold more of the question than any run that
  // fits: then quote the part of it around its matches instead.
  let bestClip: { piece: Piece; weight: number } | undefined;
  candidates.forEach((candidate, i) => {
    if (lengths.sentence[i]! <= maxChars) return;
    const piece = clipSentence(text, candidate, bits, maxChars);
    const weight = bits.weightOf(maskOfMatches(candidate.matches.filter((m) => m.start >= piece.start && m.end <= piece.end)));
    if (!bestClip || weight > bestClip.weight) bestClip = { piece, weight };
  });
  if (bestClip && (!best || bestClip.weight > best.weight)) return [bestClip.piece];
  if (!best) return [clipSentence(text, candidates[0]!, bits, maxChars)];

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
  if (next < candidates.length && room >= MIN_TAIL_CHARS && lengths.joining(next) <= 1) {
    const tail = cutAtWord(text, candidates[next]!.start, room, collapsed);
    if (tail > candidates[next]!.start) {
      const last = pieces.at(-1)!;
      last.end = tail;
      last.clippedEnd = true;
    }
  }
  return pieces;
}

/** Shortest useful tail: a few words that read as the start of the next sentence. */
const MIN_TAIL_CHARS = 40;

/** The end of the longest run of whole words from `start` that shows at most `room` characters. */
function cutAtWord(text: string, start: number, room: number, collapsed: Uint32Array): number {
  let end = start;
  const wordEnd = /\S+/g;
  wordEnd.lastIndex = start;
  for (let match = wordEnd.exec(text); match; match = wordEnd.exec(text)) {
    const candidate = match.index + match[0].length;
    if (collapsed[candidate]! - collapsed[start]! > room) break;
    end = candidate;
  }
  return end;
}

function range(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/**
 * Displayed lengths of sentences and of the gaps between them, measured once, so the
 * selection can price any set of sentences without re-reading the text.
 */
function sentenceLengths(text: string, collapsed: Uint32Array, candidates: Candidate[]) {
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
function clipSentence(text: string, sentence: Candidate, bits: TermBits, maxChars: number): Piece {
  const budget = maxChars - 2; // room for an ellipsis at each end
  let bestStart = sentence.start;
  let bestScore = -1;
  const anchors = sentence.matches.length ? sentence.matches.map((m) => m.start) : [sentence.start];
  for (const anchor of anchors) {
    // Try windows that start a little before each match, so it has some lead-in.
    const start = Math.max(sentence.start, Math.min(anchor - 40, sentence.end - budget));
    const inWindow = sentence.matches.filter((m) => m.start >= start && m.end <= start + budget);
    const score = bits.weightOf(maskOfMatches(inWindow)) * 1000 + inWindow.length;
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
