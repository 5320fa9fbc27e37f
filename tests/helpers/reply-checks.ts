/**
 * What every reply the bot sends must satisfy, as assertions shared by the property tests and the
 * end-to-end tests: within Discord's limits, nothing that could ping or link, Markdown that cannot
 * break out of its layout, no characters Discord cannot show.
 */
import { expect } from 'vitest';
import { fitMessage } from '../../src/discord/reply.js';
import { MESSAGE_CONTENT_MAX } from '../../src/discord/limits.js';
import { PHRASES_RELAXED_TEXT } from '../../src/archive/index.js';

/** The line with every backslash-escaped character replaced by a neutral one, and autolinks removed. */
export function unescaped(line: string): string {
  let out = '';
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\' && i + 1 < line.length) {
      out += '·';
      i++;
    } else out += line[i];
  }
  return out.replace(/<https?:\/\/[^\s<>]+>/g, '·');
}

export const ACTIVE_MARKUP = /<@[!&]?\d|<#\d|<\/[^\s<>]+:\d|<t:-?\d|<a?:\w+:\d|@everyone|@here/;
export const LINE_START_MARKUP = /^[ \t]*(?:>|#{1,3}\s|-#\s|[-*+]\s|\d+[.)]\s)/;

/** Inline Markdown on one line: nothing can ping, bold and code marks pair up, no fence, spoiler, strike or underline opens. */
export function expectInlineSafe(line: string, where: string): void {
  const u = unescaped(line);
  expect(u, `${where}: active mention-like markup`).not.toMatch(ACTIVE_MARKUP);
  expect(u, `${where}: code fence`).not.toContain('```');
  expect((u.match(/`/g) ?? []).length % 2, `${where}: unpaired backtick`).toBe(0);
  expect((u.match(/\*/g) ?? []).length % 2, `${where}: unpaired asterisk`).toBe(0);
  expect(u, `${where}: spoiler, strike-through or underline`).not.toMatch(/\|\||~~|__/);
}

export function expectShowable(text: string, where: string): void {
  expect(text, `${where}: control character or bidi override`).not.toMatch(
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/,
  );
  expect(text, `${where}: lone surrogate`).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
}

const NO_RESULT_LINES = [
  /^I found nothing in the archive for “.*”\.$/,
  /^The question has no words/,
  /^No passage in the archive/,
  /^Passages match those words, but none in a document the filters/,
  /^The archive is empty/,
  /^The closest passages/,
  /^Closest words in the archive: /,
  /^Showing results for \*\*.+\*\*\.$/,
  /^Filters applied: /,
  /^Try other or fewer words/,
];

/** An /ask answer (or a channel question's) as sent: within the limit, and laid out as header, quotes with their sources, footer. */
export function expectWellFormedAnswer(content: string, found: boolean): void {
  const sent = fitMessage({ content }).content!;
  // The formatter fits the message itself: the reply function never has to cut it (a cut could split a quote).
  expect(sent).toBe(content);
  expect(content.length).toBeGreaterThan(0);
  expect(content.length).toBeLessThanOrEqual(MESSAGE_CONTENT_MAX);
  expectShowable(content, 'answer');
  const lines = content.split('\n');
  lines.forEach((line, i) => expectInlineSafe(line, `line ${i + 1} ${JSON.stringify(line)}`));
  if (!found) {
    for (const line of lines)
      expect(
        NO_RESULT_LINES.some((p) => p.test(line)),
        `unexpected line ${JSON.stringify(line)}`,
      ).toBe(true);
    return;
  }
  expect(lines[0]).toMatch(/^From the archive, for “.*”( \(.*\))?:$/);
  // Under the header, one line each: which words were searched instead of misspelt ones, and that
  // quoted words were searched apart; then a blank line.
  let i = 1;
  if (lines[i]?.startsWith('Showing results for ') === true) expect(lines[i++]).toMatch(/^Showing results for \*\*.+\*\*$/);
  if (lines[i] === PHRASES_RELAXED_TEXT) i++;
  expect(lines[i++]).toBe('');
  let blocks = 0;
  while (i < lines.length && !lines[i]!.startsWith('-# ')) {
    const start = i;
    // A quote: every line starts "> ", and what follows cannot start another block construct.
    while (i < lines.length && lines[i]!.startsWith('> ')) {
      expect(unescaped(lines[i]!.slice(2)), `quote line ${JSON.stringify(lines[i])}`).not.toMatch(LINE_START_MARKUP);
      i++;
    }
    expect(i, `a quote at line ${start + 1}`).toBeGreaterThan(start);
    // A closest match says under its quote, in small text, what the question asked that it lacks.
    if (lines[i]?.startsWith('-# Closest match')) {
      expect(lines[i]).toMatch(/^-# Closest match · Missing: \S.*$/);
      i++;
    }
    expect(lines[i], 'the source line after a quote').toMatch(/^— \*\*.*\*\*/);
    i++;
    blocks++;
    if (i < lines.length) {
      expect(lines[i]).toBe('');
      i++;
    }
  }
  expect(blocks).toBeGreaterThan(0);
  if (i < lines.length) {
    expect(lines.slice(i)).toHaveLength(1);
    expect(lines[i]).toMatch(/^-# \d+ more matching passages?: \*\*More results\*\* lists them\.$/);
  }
}
