import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/archive/analysis/analyze.js';
import { findParagraphs, splitPassages } from '../../src/archive/passages.js';

const passagesOf = (text: string, maxChars?: number) =>
  splitPassages(text, analyzeText(text).sentences, maxChars ? { maxChars } : {}).map((s) => text.slice(s.start, s.end));

describe('splitPassages', () => {
  it('splits at blank lines and trims', () => {
    expect(passagesOf('First paragraph.\n\n  Second paragraph.  \n\n\nThird one.')).toEqual([
      'First paragraph.',
      'Second paragraph.',
      'Third one.',
    ]);
  });

  it('treats single newlines as paragraph breaks when the text has no blank lines', () => {
    expect(passagesOf('Pyongyang, May 2 (KCNA) -- A ceremony was held.\nIt was attended by many.\nThey sang.')).toEqual([
      'Pyongyang, May 2 (KCNA) -- A ceremony was held.',
      'It was attended by many.',
      'They sang.',
    ]);
  });

  it('joins a paragraph that a line break cut mid-sentence', () => {
    const text = 'The delegation arrived in the\n\ncapital on Monday and left on Friday.\n\nA new paragraph starts here.';
    expect(passagesOf(text)).toEqual([
      'The delegation arrived in the\n\ncapital on Monday and left on Friday.',
      'A new paragraph starts here.',
    ]);
  });

  it('reads text wrapped at a fixed width as flowing paragraphs, split at indented lines', () => {
    const text = [
      'an experimental study of a wing in a propeller slipstream was',
      'made in order to determine the spanwise distribution of the lift',
      'increase due to slipstream at different angles of attack of the wing .',
      '  the comparative span loading curves, together with supporting',
      'evidence, showed that a substantial part of the lift increment',
      'produced by the slipstream was due to a destalling action .',
    ].join('\n');
    const parts = passagesOf(text);
    expect(parts).toHaveLength(2);
    expect(parts[0]).toMatch(/^an experimental study .* of the wing \.$/s);
    expect(parts[1]).toMatch(/^the comparative span .* destalling action \.$/s);
  });

  it('does not make headings or word-less lines into passages', () => {
    expect(passagesOf('## **A Headline**\n\nBody text here.\n\n* * *\n\nMore body.')).toEqual(['Body text here.', 'More body.']);
  });

  it('splits a long paragraph at sentence ends, never inside a sentence', () => {
    const sentences = Array.from({ length: 12 }, (_, i) => `Sentence number ${i + 1} talks about topic ${i + 1} at some length.`);
    const text = sentences.join(' ');
    const parts = passagesOf(text, 200);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(200);
      expect(part).toMatch(/^Sentence number \d+ .*\.$/);
    }
    expect(parts.join(' ')).toBe(text);
  });

  it('keeps one over-long sentence whole', () => {
    const text = `A sentence ${'that goes on '.repeat(30)}and ends.`;
    expect(passagesOf(text, 100)).toEqual([text]);
  });

  it('finds no paragraphs in empty or blank text', () => {
    expect(findParagraphs('')).toEqual([]);
    expect(findParagraphs(' \n\n \n')).toEqual([]);
  });
});
