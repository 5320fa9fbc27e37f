import { describe, expect, it } from 'vitest';
import { decodeText } from '../../../src/archive/load/decode.js';
import { normalizeDate, readFields, readTags, readText } from '../../../src/archive/load/fields.js';

describe('normalizeDate', () => {
  it.each([
    [1703376000000, '2023-12-24'],
    ['1703376000000', '2023-12-24'],
    [1703376000123, '2023-12-24T00:00:00.123Z'],
    ['2024-01-02', '2024-01-02'],
    ['2024-01-02T00:00:00Z', '2024-01-02'],
    ['2024-01-02T10:30:00Z', '2024-01-02T10:30:00.000Z'],
    ['2024-01-02 10:30', '2024-01-02T10:30:00.000Z'],
    ['2024-01-02T09:00:00+09:00', '2024-01-02'],
    ['2024-01-02T09:00:00+0900', '2024-01-02'],
    [new Date(Date.UTC(2024, 0, 2)), '2024-01-02'],
  ])('%j → %s', (input, expected) => {
    expect(normalizeDate(input)).toBe(expected);
  });

  it.each([['2024-02-30'], ['2024-13-01T00:00:00Z'], ['January 2, 2024'], [''], [Number.NaN], [null], [{}]])('refuses %j', (input) => {
    expect(normalizeDate(input)).toBeUndefined();
  });
});

describe('record fields', () => {
  it('reads the first usable alias, case-insensitively', () => {
    expect(readFields({ Headline: ' A\r\n\t\tHeadline ', LINK: 'https://x', publisher: 'P', id: 7 })).toEqual({
      id: '7',
      title: 'A Headline',
      url: 'https://x',
      source: 'P',
    });
  });

  it('merges topic, tags and category, splitting commas and dropping repeats', () => {
    expect(readTags(['Top News', ['a', 'b, c'], 'a,,Top News', 3])).toEqual(['Top News', 'a', 'b', 'c', '3']);
  });

  it('reads a list of strings as paragraphs and ignores non-string text', () => {
    expect(readText({ body: ['First.', '  ', 'Second.'] })).toBe('First.\n\nSecond.');
    expect(readText({ text: 42, content: 'Fallback content.' })).toBe('Fallback content.');
    expect(readText({ text: '   ' })).toBeUndefined();
  });
});

describe('decodeText', () => {
  it('strips a BOM and refuses bytes that are not UTF-8', () => {
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0x69]))).toEqual({ ok: true, text: 'hi' });
    expect(decodeText(new Uint8Array([0xc3, 0x28]))).toEqual({ ok: false, reason: 'not valid UTF-8 text' });
    // UTF-16LE "hi": valid UTF-8 byte by byte, but the NULs give it away.
    expect(decodeText(new Uint8Array([0xff, 0xfe, 0x68, 0x00, 0x69, 0x00]))).toEqual({ ok: false, reason: 'not valid UTF-8 text' });
  });
});

describe('normalizeDate: partial dates and epoch seconds', () => {
  it('keeps a bare year or year-month as it is, never as a 1970 timestamp', () => {
    expect(normalizeDate(2024)).toBe('2024');
    expect(normalizeDate('2024')).toBe('2024');
    expect(normalizeDate('2024-05')).toBe('2024-05');
    expect(normalizeDate('2024-13')).toBeUndefined();
  });

  it('reads ten-digit numbers as epoch seconds and thirteen-digit ones as milliseconds', () => {
    expect(normalizeDate(1703376000)).toBe('2023-12-24');
    expect(normalizeDate(1703376000000)).toBe('2023-12-24');
    expect(normalizeDate('1703376000')).toBe('2023-12-24');
  });
});
