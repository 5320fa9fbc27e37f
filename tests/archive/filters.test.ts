import { describe, expect, test } from 'vitest';
import { documentFilter, FilterError, parseDateBound, parsePartialDate } from '../../src/archive/filters.js';
import type { ArchiveDocument } from '../../src/archive/types.js';

describe('parsePartialDate: the one date parser for filters (engine, bot and CLI)', () => {
  test('accepts years, year-months and real dates, with one-digit parts and / or . separators', () => {
    expect(parsePartialDate('2023')).toBe('2023');
    expect(parsePartialDate(' 2023-09 ')).toBe('2023-09');
    expect(parsePartialDate('2023-9')).toBe('2023-09');
    expect(parsePartialDate('2023/09/14')).toBe('2023-09-14');
    expect(parsePartialDate('2023.9.4')).toBe('2023-09-04');
    expect(parsePartialDate('2024-02-29')).toBe('2024-02-29');
  });

  test('refuses impossible dates instead of rolling them over', () => {
    for (const bad of ['2023-02-29', '2023-02-30', '2024-04-31', '2023-13', '2023-00', '2023-01-00', '2023-01-32', '1900-02-29']) {
      expect(parsePartialDate(bad), bad).toBeUndefined();
    }
  });

  test('refuses anything that is not a date', () => {
    for (const bad of ['', 'last year', '23', '2023-', '2023-09-14T10:00', '20230914', '2023-009', '２０２３', '2023-09-14\u0000']) {
      expect(parsePartialDate(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });
});

describe('parseDateBound', () => {
  test('a year or month covers all of it: from its first day to its real last day', () => {
    expect(parseDateBound('2023', 'from')).toBe('2023-01-01');
    expect(parseDateBound('2023', 'to')).toBe('2023-12-31');
    expect(parseDateBound('2023-2', 'to')).toBe('2023-02-28');
    expect(parseDateBound('2024/02', 'to')).toBe('2024-02-29');
    expect(parseDateBound('2023-09-14', 'to')).toBe('2023-09-14');
  });

  test('throws a FilterError with a clear message for a bad date', () => {
    expect(() => parseDateBound('2023-02-30', 'from')).toThrow(
      new FilterError('Invalid from date "2023-02-30": use YYYY, YYYY-MM or YYYY-MM-DD.'),
    );
    expect(() => parseDateBound('soon', 'to')).toThrow('Invalid to date "soon": use YYYY, YYYY-MM or YYYY-MM-DD.');
  });
});

test('documentFilter accepts the same spellings as the bot, and places partial document dates by overlap', () => {
  const doc = (date?: string): ArchiveDocument => ({ id: date ?? 'none', title: 't', text: 'x', file: 'f', ...(date ? { date } : {}) });
  const accept = documentFilter({ from: '2023/9/1', to: '2023.9.30' })!;
  expect(accept(doc('2023-09-14'))).toBe(true);
  expect(accept(doc('2023-09-14T10:00:00.000Z'))).toBe(true);
  expect(accept(doc('2023'))).toBe(true);
  expect(accept(doc('2023-10-01'))).toBe(false);
  expect(accept(doc())).toBe(false);
  expect(() => documentFilter({ to: '2023-02-30' })).toThrow(FilterError);
});
