/**
 * Step 4, format: cut the chosen pieces from the original text by offset (never re-tokenised),
 * join pieces that do not touch with " … ", collapse whitespace, and map matched words to
 * highlight ranges in the result.
 */
import type { Excerpt, ExcerptPiece, Highlight, TextMark } from '../types.js';
import type { Match, Piece } from './candidates.js';

/** How a page's passage is shown (a Markdown document's): its inline marks, and whether it is code. */
export interface PassageLook {
  /** Inline code and links, as offsets into the passage text. */
  marks: readonly TextMark[];
  /** The passage is a code block: its whitespace is kept as it is, and this is its language ('' for none). */
  code?: string;
}

/** Marks text left out: between pieces that do not touch, and at a piece cut inside a sentence. */
export const ELLIPSIS = '…';
export const SEPARATOR = ` ${ELLIPSIS} `;
/** Between lines of code that do not touch: the gap on a line of its own (as long as SEPARATOR). */
const CODE_SEPARATOR = `\n${ELLIPSIS}\n`;

/**
 * Cut the pieces from the original text, collapse whitespace, and map match offsets into the result.
 * A page's passage (`look`) keeps its line breaks (list items, table rows), and code keeps all of
 * its whitespace; its marks are mapped into the result like the matches.
 */
export function formatPieces(
  text: string,
  pieces: Piece[],
  matches: Match[],
  look: PassageLook | undefined,
  /** The characters that show as written ({@link verbatimFlags}), worked out once by the caller, which prices them too. */
  verbatim: Uint8Array | undefined,
): Excerpt {
  let out = '';
  const highlights: Highlight[] = [];
  const marks: TextMark[] = [];
  const parts: ExcerptPiece[] = [];
  const code = look?.code !== undefined;
  const gap = (marker: string) => {
    parts.push({ kind: 'gap', start: out.length, end: out.length + marker.length });
    out += marker;
  };
  // Prose shows no whitespace at a piece's edges (a sentence after a paragraph break starts with it);
  // code keeps its indentation.
  const shown = code ? pieces : pieces.map((piece) => trimmed(text, piece));
  shown.forEach((piece, index) => {
    if (index > 0) gap(code ? CODE_SEPARATOR : SEPARATOR);
    if (piece.clippedStart) gap(ELLIPSIS);
    const partStart = out.length;
    // Map each original offset in the piece to its offset in `out` while collapsing whitespace.
    const offsetMap = new Int32Array(piece.end - piece.start + 1);
    let previousWasSpace = false;
    for (let i = piece.start; i < piece.end; i++) {
      offsetMap[i - piece.start] = out.length;
      const ch = text[i]!;
      if (code || verbatim?.[i]) {
        out += ch;
        previousWasSpace = false;
      } else if (/\s/.test(ch)) {
        // A page's line break shows as one, however much whitespace surrounds it.
        const lineBreak = look !== undefined && ch === '\n';
        if (!previousWasSpace) out += lineBreak ? '\n' : ' ';
        else if (lineBreak && out.endsWith(' ')) out = `${out.slice(0, -1)}\n`;
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
    for (const mark of look?.marks ?? []) {
      const start = Math.max(mark.start, piece.start);
      const end = Math.min(mark.end, piece.end);
      if (end > start) marks.push({ ...mark, start: offsetMap[start - piece.start]!, end: offsetMap[end - piece.start]! });
    }
    if (piece.clippedEnd) gap(ELLIPSIS);
  });
  const excerpt: Excerpt = { text: out, highlights: joinAdjacent(highlights, out), pieces: parts };
  if (marks.length) excerpt.marks = marks;
  if (code) excerpt.code = look?.code ? { language: look.code } : {};
  return excerpt;
}

/**
 * Which characters of a prose passage show as written: those of a code block inside it (marked
 * `block`), whose indentation and line breaks are the code's. Undefined when it holds none.
 */
export function verbatimFlags(length: number, look: PassageLook | undefined): Uint8Array | undefined {
  let flags: Uint8Array | undefined;
  for (const mark of look?.marks ?? []) {
    if (!mark.block) continue;
    flags ??= new Uint8Array(length);
    flags.fill(1, Math.max(0, mark.start), Math.min(length, mark.end));
  }
  return flags;
}

/** "Kim", "Jong", "Un" separated by single spaces, or "Guild" and "#member" touching, read better as one emphasis. */
function joinAdjacent(highlights: Highlight[], text: string): Highlight[] {
  const joined: Highlight[] = [];
  for (const highlight of highlights) {
    const previous = joined.at(-1);
    if (previous && (highlight.start === previous.end || text.slice(previous.end, highlight.start) === ' ')) previous.end = highlight.end;
    else joined.push({ ...highlight });
  }
  return joined;
}

/** The piece without the whitespace at its ends. */
function trimmed(text: string, piece: Piece): Piece {
  let { start, end } = piece;
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return { ...piece, start, end };
}
