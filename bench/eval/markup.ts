/**
 * Raw source markup in a quote or a title: what a reader of a documentation page never sees.
 * Inline code is the page's own words (`<root>/index.html` is what the reader reads), so
 * backtick spans are left out before looking; a code fence (three backticks) counts.
 */

/** The kinds of markup looked for, each with the pattern that finds it. */
const KINDS: readonly (readonly [string, RegExp])[] = [
  ['fence', /```|~~~/],
  ['link', /\]\(|\]\[|!\[/],
  ['container', /:::/],
  ['tag', /<\/?[A-Za-z][\w.:-]*(?:\s[^<>]*)?\/?>/],
  ['heading', /(?:^|\n)[ \t]*#{1,6}[ \t]/],
];

/** The first kind of raw markup found in `text` (outside inline code), or undefined when none is. */
export function rawMarkup(text: string): string | undefined {
  const fence = KINDS[0]![1];
  if (fence.test(text)) return 'fence';
  const prose = text.replace(/`[^`\n]*`/g, ' ');
  for (const [kind, pattern] of KINDS.slice(1)) if (pattern.test(prose)) return kind;
  return undefined;
}

export interface MarkupCounts {
  quotes: number;
  quotesWithMarkup: number;
  titles: number;
  titlesWithMarkup: number;
  /** One example per kind, for the report ("link: …"). */
  examples: Map<string, string>;
}

export function emptyMarkupCounts(): MarkupCounts {
  return { quotes: 0, quotesWithMarkup: 0, titles: 0, titlesWithMarkup: 0, examples: new Map() };
}

/** Count one shown answer: its quote and (when the system shows one) its title. */
export function countMarkup(counts: MarkupCounts, quote: string | undefined, title?: string): void {
  const look = (text: string) => {
    const kind = rawMarkup(text);
    if (kind && !counts.examples.has(kind)) counts.examples.set(kind, text.replace(/\s+/g, ' ').slice(0, 120));
    return kind !== undefined;
  };
  if (quote !== undefined) {
    counts.quotes++;
    if (look(quote)) counts.quotesWithMarkup++;
  }
  if (title !== undefined) {
    counts.titles++;
    if (look(title)) counts.titlesWithMarkup++;
  }
}

/**
 * A quote of ours as a reader sees it, for the markup count: inline code (its marks) in backticks
 * on one line, as the bot shows it; a code excerpt is a code block, whose content is code, not markup: undefined.
 */
export function shownQuote(excerpt: {
  text: string;
  marks?: { start: number; end: number; kind: string }[];
  code?: object;
}): string | undefined {
  if (excerpt.code) return undefined;
  let out = '';
  let at = 0;
  for (const mark of excerpt.marks ?? []) {
    if (mark.kind !== 'code' || mark.start < at) continue;
    out += `${excerpt.text.slice(at, mark.start)}\`${excerpt.text.slice(mark.start, mark.end).replace(/`/g, "'").replace(/\s+/g, ' ')}\``;
    at = mark.end;
  }
  return out + excerpt.text.slice(at);
}
