/**
 * How long text shows once whitespace runs are collapsed — or what it costs as the caller renders
 * it: what the excerpt budget counts.
 */
import type { Span } from '../analysis/analyze.js';
import type { ExcerptCost } from '../types.js';

/** How a passage's text is shown and priced. */
interface Pricing {
  /** Code: every character shows as written. @defaultValue false */
  verbatim?: boolean;
  /** A page: a whitespace run holding a line break shows as one line break. @defaultValue false */
  lineBreaks?: boolean;
  /** What each shown character costs as the caller renders it. @defaultValue one */
  cost?: ExcerptCost;
  /** What rendering adds at an offset (a highlight or a mark that starts there). */
  added?: ReadonlyMap<number, number>;
  /** Characters that show as written though the rest is prose (a code block inside it). */
  verbatimAt?: Uint8Array;
}

/**
 * Displayed lengths: collapsed[i] is how many characters text[0, i) shows once each whitespace
 * run is shown as one space. Measured in one pass, so any span's length is a subtraction.
 * With a `cost`, each shown character counts what the caller's rendering makes of it, and what
 * `added` holds for an offset counts with the character there.
 */
export function displayedLengths(
  text: string,
  { verbatim = false, lineBreaks = false, cost, added, verbatimAt }: Pricing = {},
): Uint32Array {
  const collapsed = new Uint32Array(text.length + 1);
  const breaks = cost && lineBreaks && !verbatim ? breakRuns(text) : undefined;
  const shownAt = (at: number): string => {
    if (at < 0 || at >= text.length) return '';
    if (verbatim || verbatimAt?.[at] || !isWhitespace(text.charCodeAt(at))) return text[at]!;
    return breaks?.[at] ? '\n' : ' ';
  };
  let shown = 0;
  let previousWasSpace = false;
  for (let i = 0; i < text.length; i++) {
    collapsed[i] = shown;
    const isSpace = !verbatim && !verbatimAt?.[i] && isWhitespace(text.charCodeAt(i));
    if (!isSpace || !previousWasSpace) shown += cost ? Math.max(1, Math.ceil(cost.char(shownAt(i), shownAt(i - 1), shownAt(i + 1)))) : 1;
    previousWasSpace = isSpace;
    shown += added?.get(i) ?? 0;
  }
  collapsed[text.length] = shown;
  return collapsed;
}

/** Marks each character of a whitespace run that holds a line break. */
function breakRuns(text: string): Uint8Array {
  const marked = new Uint8Array(text.length);
  for (let i = 0; i < text.length;) {
    if (!isWhitespace(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let end = i;
    while (end < text.length && isWhitespace(text.charCodeAt(end))) end++;
    if (text.slice(i, end).includes('\n')) marked.fill(1, i, end);
    i = end;
  }
  return marked;
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
