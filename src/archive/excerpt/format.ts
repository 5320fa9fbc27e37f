/**
 * Step 4, format: cut the chosen pieces from the original text by offset (never re-tokenised),
 * join pieces that do not touch with " … ", collapse whitespace, and map matched words to
 * highlight ranges in the result.
 */
import type { Excerpt, ExcerptPiece, Highlight } from '../types.js';
import type { Match, Piece } from './candidates.js';

/** Marks text left out: between pieces that do not touch, and at a piece cut inside a sentence. */
export const ELLIPSIS = '…';
export const SEPARATOR = ` ${ELLIPSIS} `;

/** Cut the pieces from the original text, collapse whitespace, and map match offsets into the result. */
export function formatPieces(text: string, pieces: Piece[], matches: Match[]): Excerpt {
  let out = '';
  const highlights: Highlight[] = [];
  const parts: ExcerptPiece[] = [];
  const gap = (marker: string) => {
    parts.push({ kind: 'gap', start: out.length, end: out.length + marker.length });
    out += marker;
  };
  pieces.forEach((piece, index) => {
    if (index > 0) gap(SEPARATOR);
    if (piece.clippedStart) gap(ELLIPSIS);
    const partStart = out.length;
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
    if (out.length > partStart)
      parts.push({ kind: 'text', start: partStart, end: out.length, source: { start: piece.start, end: piece.end } });
    for (const match of matches) {
      if (match.start >= piece.start && match.end <= piece.end) {
        highlights.push({ start: offsetMap[match.start - piece.start]!, end: offsetMap[match.end - piece.start]! });
      }
    }
    if (piece.clippedEnd) gap(ELLIPSIS);
  });
  return { text: out, highlights: joinAdjacent(highlights, out), pieces: parts };
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
