/**
 * How long text shows once whitespace runs are collapsed — or what it costs as the caller renders
 * it: what the excerpt budget counts.
 */
import type { Span } from '../analysis/analyze.js';
import type { ExcerptCost } from '../types.js';

/**
 * Displayed lengths: collapsed[i] is how many characters text[0, i) shows once each whitespace
 * run is shown as one space. Measured in one pass, so any span's length is a subtraction.
 * With a `cost`, each shown character counts what the caller's rendering makes of it, and each
 * of `highlightStarts` (offsets where a highlight begins) adds the cost of one highlight.
 */
export function displayedLengths(text: string, cost?: ExcerptCost, highlightStarts: readonly number[] = []): Uint32Array {
  const collapsed = new Uint32Array(text.length + 1);
  let shown = 0;
  let previousWasSpace = false;
  let nextHighlight = 0;
  for (let i = 0; i < text.length; i++) {
    collapsed[i] = shown;
    const isSpace = isWhitespace(text.charCodeAt(i));
    if (!isSpace || !previousWasSpace) shown += cost ? shownCost(cost, text, i) : 1;
    previousWasSpace = isSpace;
    if (cost && highlightStarts[nextHighlight] === i) {
      shown += Math.max(0, Math.ceil(cost.highlight));
      while (highlightStarts[nextHighlight] === i) nextHighlight++;
    }
  }
  collapsed[text.length] = shown;
  return collapsed;
}

/** What the character at `index` costs as shown: whitespace as one space, between its neighbours as shown. */
export function shownCost(cost: ExcerptCost, text: string, index: number): number {
  const shown = (at: number) => (at < 0 || at >= text.length ? '' : isWhitespace(text.charCodeAt(at)) ? ' ' : text[at]!);
  return Math.max(1, Math.ceil(cost.char(shown(index), shown(index - 1), shown(index + 1))));
}

/** The end of the longest span from `start` (at most to `limit`) that costs at most `room`. */
export function endWithin(collapsed: Uint32Array, start: number, limit: number, room: number): number {
  let low = start;
  let high = limit;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (collapsed[middle]! - collapsed[start]! <= room) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The start of the longest span ending at `end` (from at least `limit`) that costs at most `room`. */
export function startWithin(collapsed: Uint32Array, end: number, limit: number, room: number): number {
  let low = limit;
  let high = end;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (collapsed[end]! - collapsed[middle]! <= room) high = middle;
    else low = middle + 1;
  }
  return low;
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
