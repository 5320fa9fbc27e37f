/** How long text shows once whitespace runs are collapsed: what the excerpt budget counts. */
import type { Span } from '../analysis/analyze.js';

/**
 * Displayed lengths: collapsed[i] is how many characters text[0, i) shows once each whitespace
 * run is shown as one space. Measured in one pass, so any span's length is a subtraction.
 */
export function displayedLengths(text: string, verbatim = false): Uint32Array {
  const collapsed = new Uint32Array(text.length + 1);
  // Text shown as written (code): each character shows.
  if (verbatim) return collapsed.map((_, i) => i);
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
export function shownLength(collapsed: Uint32Array, span: Span): number {
  return collapsed[span.end]! - collapsed[span.start]!;
}

export function isWhitespace(code: number): boolean {
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

/** The end of the longest run of whole words from `start` that shows at most `room` characters. */
export function cutAtWord(text: string, start: number, room: number, collapsed: Uint32Array): number {
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
