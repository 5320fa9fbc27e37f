/**
 * Turning the engine's plain data into Discord Markdown. Pure functions, no discord.js client:
 * every cut is at a word boundary (never inside a quote's middle), archive text is escaped per
 * slice with discord.js's own `escapeMarkdown`, and matched terms are bolded after escaping.
 */
import { escapeMarkdown, hideLinkEmbed, hyperlink } from '@discordjs/formatters';
import { ELLIPSIS } from '../archive/index.js';

// The engine marks text left out of a quote with this; a cut message says it the same way.
export { ELLIPSIS };

/**
 * Shortens `text` to at most `max` characters. It cuts at the last whitespace that fits and appends
 * "…", so only a tail is ever removed — never words from the middle. A single word longer than
 * `max` is cut inside the word (never inside a surrogate pair).
 */
export function truncate(text: string, max: number): string {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`truncate: max must be a positive integer, got ${max}`);
  if (text.length <= max) return text;
  const room = max - ELLIPSIS.length;
  if (room === 0) return ELLIPSIS;
  // A cut right before whitespace is already at a word boundary.
  let boundary = /\s/.test(text[room]!) ? room : -1;
  if (boundary < 0) {
    for (let i = room - 1; i > 0; i--) {
      if (/\s/.test(text[i]!)) {
        boundary = i;
        break;
      }
    }
  }
  const head = boundary > 0 ? text.slice(0, boundary).trimEnd() : '';
  if (head) return head + ELLIPSIS;
  let end = room;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + ELLIPSIS;
}

/**
 * Escapes everything that would change how archive text renders: inline and line-start Markdown
 * (discord.js's `escapeMarkdown`), plus what it leaves alone — a lone `*`, `_`, `~`, `|` or backtick
 * (which could pair up with the bot's own bold), a block quote (`>`, `>>>`) or subtext (`-# `) at a
 * line start, and mention-like markup (`<@id>`, `<@&id>`, `<#id>`, `</cmd:id>`, `<t:…>`, custom
 * emoji, `@everyone`, `@here`). Escaped, these show as the literal text the archive (or the asker)
 * wrote: a quote can neither ping, nor link, nor break out of its layout. The backslashes do not
 * show in Discord. Characters that cannot be shown at all are dropped first ({@link showable}).
 */
export function escapeText(text: string): string {
  return (
    escapeMarkdown(showable(text), { heading: true, bulletedList: true, numberedList: true, maskedLink: true })
      .replace(/\\[\s\S]|[*_~|`]/g, (m) => (m.length === 2 ? m : `\\${m}`))
      .replace(/^([ \t]*)(>|-#(?=\s))/gm, '$1\\$2')
      // At the end of a slice too: the next slice (a bold match) may finish the markup.
      .replace(/<(?=[@#/:]|[ta]:|$)/g, '\\<')
      .replace(/@(?=everyone|here|$)/g, '\\@')
  );
}

/**
 * Characters that have no business in a message: control characters (NUL and the like, but not
 * tab and newline), bidirectional overrides and isolates (which could reorder the rest of a line),
 * and lone surrogates (not valid Unicode; Discord may refuse them).
 */
const UNSHOWABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `text` without {@link UNSHOWABLE} characters, lone surrogates replaced by U+FFFD. */
export function showable(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').replace(UNSHOWABLE, '');
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Prefixes every line with "> " so the text renders as a block quote. */
export function blockQuote(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

/** The date part of an ISO date or timestamp. */
export function shortDate(date: string | undefined): string | undefined {
  return date?.slice(0, 10);
}

/** A URL fit to be linked: plain http(s), no whitespace or angle brackets, at most 500 characters; otherwise undefined. */
export function linkableUrl(url: string | undefined): string | undefined {
  if (!url || url.length > 500 || /[\s<>\u0000-\u001f\u007f-\u009f]/.test(url)) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** A link Discord will show without an embed preview, or nothing for anything that is not plain http(s). */
export function safeLink(url: string | undefined): string | undefined {
  const linkable = linkableUrl(url);
  return linkable === undefined ? undefined : hideLinkEmbed(linkable);
}

/**
 * `text` as a masked link to `url` without an embed preview — `[text](<url>)` — built with
 * @discordjs/formatters' `hyperlink` and `hideLinkEmbed`. The text is escaped (brackets too, so it
 * cannot close the link early); a URL that is not plain http(s) leaves just the escaped text.
 */
export function maskedLink(text: string, url: string | undefined): string {
  const label = escapeText(text).replace(/\\[\s\S]|[[\]]/g, (m) => (m.length === 2 ? m : `\\${m}`));
  const linkable = linkableUrl(url);
  return linkable === undefined ? label : hyperlink(label, hideLinkEmbed(linkable));
}

/** `text` in `“…”`, escaped and shortened, for echoing what the user asked. */
export function quoteInput(text: string, max = 150): string {
  return `“${escapeText(truncate(showable(text).replace(/\s+/g, ' ').trim(), max))}”`;
}

/** "1 passage", "3 passages". */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/**
 * Splits `text` into pieces of at most `max` characters at whitespace, dropping nothing but the
 * whitespace at each split. A run longer than `max` without whitespace is split inside (never right
 * after a backslash, so an escape stays whole, nor inside a surrogate pair).
 */
export function chunkText(text: string, max: number): string[] {
  if (!Number.isInteger(max) || max < 2) throw new RangeError(`chunkText: max must be an integer ≥ 2, got ${max}`);
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = -1;
    for (let i = max; i > 0; i--) {
      if (/\s/.test(rest[i]!)) {
        cut = i;
        break;
      }
    }
    let head: string;
    if (cut > 0 && rest.slice(0, cut).trim()) {
      head = rest.slice(0, cut).trimEnd();
      rest = rest.slice(cut).trimStart();
    } else {
      let end = max;
      const code = rest.charCodeAt(end - 1);
      if ((code >= 0xd800 && code <= 0xdbff) || rest[end - 1] === '\\') end--;
      head = rest.slice(0, end);
      rest = rest.slice(end);
    }
    chunks.push(head);
  }
  if (rest.trim() || !chunks.length) chunks.push(rest);
  return chunks;
}
