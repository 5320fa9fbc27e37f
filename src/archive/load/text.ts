/**
 * Small string helpers shared by the format parsers. Nothing here knows about files.
 */

/**
 * Canonical form for all loaded text: no BOM, `\n` line ends, NFC.
 * Applied to whole files and again to strings taken out of JSON records, because JSON escapes
 * (`"\r\n"`, `"\u0065\u0301"`) only become real characters after parsing.
 */
export function normalizeText(text: string): string {
  let result = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // Both steps copy the string; skipping them when they cannot change it keeps a large archive's
  // load fast (every record string passes through here).
  if (result.includes('\r')) result = result.replace(/\r\n?/g, '\n');
  if (NON_ASCII.test(result)) result = result.normalize('NFC');
  return result;
}

const NON_ASCII = /[^\u0000-\u007f]/;

/** Titles and metadata are single-line: scraped headlines carry stray tabs and newlines. */
export function collapseWhitespace(text: string): string {
  // Same result as /\s+/g → ' ', but a lone space is left alone instead of replaced by itself:
  // a 4 MB archive has ~700,000 of them, and replacing each took ~0.4 s.
  return text.trim().replace(/\s{2,}|[^\S ]/g, ' ');
}

/** Equality for "is this heading just the title again?", ignoring case and spacing. */
export function sameTitle(a: string, b: string): boolean {
  return collapseWhitespace(a).toLowerCase() === collapseWhitespace(b).toLowerCase();
}

// Trailing spaces and tabs of each line. The look-behind lets a match start only where a run
// starts: plain `/[ \t]+$/gm` retries at every space of a run that does not end the line, which
// made 80,000 spaces in mid-line take 18 s (quadratic).
const TRAILING_SPACE = /(?<![ \t])[ \t]+$/gm;

/** Blank lines are paragraph breaks; more than one in a row carries no extra meaning. */
export function tidyBody(text: string): string {
  return text
    .replace(TRAILING_SPACE, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The file name without folders or extension: the title of last resort. */
export function baseName(file: string): string {
  const name = file.slice(file.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}
