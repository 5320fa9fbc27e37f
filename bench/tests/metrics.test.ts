import { describe, expect, it } from 'vitest';
import { parseCranfieldDocuments, parseCranfieldQueries } from '../eval/cranfield.js';
import { candidateWindows, sentenceSpans, sharedExcerpt } from '../eval/excerpt.js';
import { answerInExcerpt, cranfieldGain, ndcgAt, normaliseForMatch, percentile, rankOf, reciprocalRankAt } from '../eval/metrics.js';
import { parseSquad } from '../eval/squad.js';
import { keepLoadSection, loadSection } from '../report.js';
import { subsample } from '../sets.js';

describe('ranking metrics', () => {
  it('reciprocal rank counts only the first k results', () => {
    expect(rankOf(['a', 'b', 'c'], 'c')).toBe(3);
    expect(rankOf(['a'], 'z')).toBe(0);
    expect(reciprocalRankAt(['a', 'b', 'c'], 'c', 10)).toBeCloseTo(1 / 3, 12);
    expect(reciprocalRankAt(['a', 'b', 'c'], 'c', 2)).toBe(0);
    expect(reciprocalRankAt([], 'c', 10)).toBe(0);
  });

  it('nDCG@k uses linear gains and log2(rank + 1) discounts', () => {
    const gains = new Map([
      ['a', 4],
      ['b', 2],
      ['c', 1],
    ]);
    // DCG = 2/1 + 0 + 4/2 = 4; ideal = 4/1 + 2/log2(3) + 1/2.
    const ideal = 4 + 2 / Math.log2(3) + 0.5;
    expect(ndcgAt(['b', 'x', 'a'], gains, 10)).toBeCloseTo(4 / ideal, 12);
    expect(ndcgAt(['a', 'b', 'c'], gains, 10)).toBeCloseTo(1, 12);
    // Cut at k on both sides: at k = 1 only the first result and the best gain count.
    expect(ndcgAt(['b', 'a'], gains, 1)).toBeCloseTo(2 / 4, 12);
    expect(ndcgAt([], gains, 10)).toBe(0);
  });

  it('nDCG credits a document returned twice only once, and is undefined without positive judgements', () => {
    const gains = new Map([['a', 4]]);
    expect(ndcgAt(['a', 'a'], gains, 10)).toBeCloseTo(1, 12);
    expect(ndcgAt(['a'], new Map([['a', 0]]), 10)).toBeUndefined();
  });

  it('Cranfield gain is 5 - grade for grades 1..4 and nothing else', () => {
    expect([1, 2, 3, 4].map(cranfieldGain)).toEqual([4, 3, 2, 1]);
    expect(cranfieldGain(-1)).toBe(0);
    expect(cranfieldGain(5)).toBe(0);
    expect(cranfieldGain(undefined)).toBe(0);
  });

  it('percentile is nearest-rank', () => {
    const values = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
    expect(percentile(values, 0.5)).toBe(5);
    expect(percentile(values, 0.95)).toBe(10);
    expect(percentile(values, 0.1)).toBe(1);
    expect(percentile([], 0.5)).toBeNaN();
  });
});

describe('answer-in-excerpt', () => {
  it('normalises case and whitespace only', () => {
    expect(normaliseForMatch('  The\n Super   Bowl\t50 ')).toBe('the super bowl 50');
  });

  it('matches any answer case-insensitively across collapsed whitespace', () => {
    expect(answerInExcerpt("It was held at Levi's  Stadium\nin Santa Clara.", ['Santa Clara, California', "levi's stadium"])).toBe(true);
    expect(answerInExcerpt('Held in Santa\n\tClara.', ['santa clara'])).toBe(true);
    expect(answerInExcerpt('Held in Santa Clara.', ['Santa Clara, California'])).toBe(false);
    expect(answerInExcerpt(undefined, ['x'])).toBe(false);
    expect(answerInExcerpt('anything', ['   '])).toBe(false);
  });
});

describe('Cranfield parsing', () => {
  const qry = [
    '.I 001',
    '.W',
    'what similarity laws',
    'must be obeyed .',
    '.I 002',
    '.W',
    'second query .',
    '.I 004',
    '.W',
    'third query .',
  ].join('\n');

  it('numbers queries by position, as cranqrel does, not by the printed .I', () => {
    const queries = parseCranfieldQueries(qry, '1 184 2\n1 29 -1\n3 10 2 \n3 10 1\n2 7 4\n');
    expect(queries.map((q) => [q.number, q.printedId])).toEqual([
      [1, '001'],
      [2, '002'],
      [3, '004'],
    ]);
    expect(queries[0]!.text).toBe('what similarity laws must be obeyed .');
    // The -1 row is no judgement; a pair judged twice keeps the better grade.
    expect([...queries[0]!.grades]).toEqual([['184', 2]]);
    expect([...queries[2]!.grades]).toEqual([['10', 1]]);
    expect([...queries[1]!.grades]).toEqual([['7', 4]]);
  });

  it('refuses qrels for a query that is not there', () => {
    expect(() => parseCranfieldQueries(qry, '4 1 1\n')).toThrow('cranfield: qrels name query 4, but cran.qry has 3 queries');
  });

  it('reads documents with title and text, ids without leading zeros', () => {
    const docs = parseCranfieldDocuments(
      ['.I 1', '.T', 'experimental wing', 'study .', '.A', 'brenckman,m.', '.B', 'j. ae. 1958', '.W', 'the wing .', 'more .'].join('\n'),
    );
    expect(docs).toEqual([{ id: '1', title: 'experimental wing\nstudy .', text: 'the wing .\nmore .', file: 'cran.all.1400' }]);
  });
});

describe('SQuAD parsing', () => {
  it('makes each paragraph a document TITLE#N and each question a query on it', () => {
    const json = JSON.stringify({
      data: [
        {
          title: 'Super_Bowl_50',
          paragraphs: [
            { context: 'P0', qas: [] },
            { context: 'P1', qas: [{ question: 'Q?', answers: [{ text: 'A' }, { text: 'B' }] }] },
          ],
        },
      ],
    });
    const set = parseSquad(json);
    expect(set.documents.map((d) => [d.id, d.title, d.text])).toEqual([
      ['Super_Bowl_50#0', 'Super Bowl 50', 'P0'],
      ['Super_Bowl_50#1', 'Super Bowl 50', 'P1'],
    ]);
    expect(set.queries).toEqual([{ text: 'Q?', gold: 'Super_Bowl_50#1', answers: ['A', 'B'] }]);
  });
});

describe('shared peer excerpt', () => {
  it('splits sentences at end punctuation and line breaks', () => {
    const text = 'One two. "Three?" Four!\nFive';
    expect(sentenceSpans(text).map((s) => text.slice(s.start, s.end))).toEqual(['One two.', '"Three?"', 'Four!', 'Five']);
  });

  it('picks the window covering the most distinct query stems, ties to the earlier one', () => {
    const text = 'Cats sleep a lot. Dogs bark at night. Dogs and cats play.';
    expect(sharedExcerpt(text, 'When do dogs bark?', 20)).toBe('Dogs bark at night.');
    expect(sharedExcerpt(text, 'cats playing with dogs', 20)).toBe('Dogs and cats play.');
    expect(sharedExcerpt(text, 'zebra', 20)).toBe('Cats sleep a lot.');
    expect(sharedExcerpt(text, 'dogs', 400)).toBe(text);
  });

  it('cuts a sentence longer than the cap at word boundaries, never mid-word', () => {
    const text = 'alpha beta gamma delta epsilon zeta';
    for (const w of candidateWindows(text, 12)) {
      const slice = text.slice(w.start, w.end);
      expect(slice.length).toBeLessThanOrEqual(12);
      expect(text.split(' ')).toEqual(expect.arrayContaining(slice.split(' ')));
    }
    expect(sharedExcerpt(text, 'zeta', 12)).toBe('epsilon zeta');
  });
});

describe('subsample', () => {
  it('takes every n-th item deterministically', () => {
    expect(subsample([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 5)).toEqual([0, 2, 4, 6, 8]);
    expect(subsample([1, 2], 5)).toEqual([1, 2]);
    expect(subsample([1, 2], undefined)).toEqual([1, 2]);
  });
});

describe('docs/benchmarks.md writer', () => {
  const fresh = '# Benchmarks\n\n## Targets\n\nt\n\n## How these figures are made\n\n- notes\n';

  it('keeps a ## Load section of the file it replaces, before the notes on method', () => {
    const previous =
      '# Benchmarks\n\n## Targets\n\nold\n\n## Load\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\n## How these figures are made\n\n- old notes\n';
    const out = keepLoadSection(fresh, previous);
    expect(out).toBe(
      '# Benchmarks\n\n## Targets\n\nt\n\n## Load\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\n## How these figures are made\n\n- notes\n',
    );
  });

  it('keeps a ## Load section at the end of the file, and never duplicates one', () => {
    const previous = '# Benchmarks\n\n## Load: KCNA\n\nfigures\n';
    expect(loadSection(previous)).toBe('## Load: KCNA\n\nfigures');
    const out = keepLoadSection(fresh, previous);
    expect(out).toContain('## Load: KCNA\n\nfigures\n\n## How these figures are made');
    expect(keepLoadSection(out, previous)).toBe(out);
  });

  it('keeps a ## Scale section (from `npm run bench -- scale`) as well, after the Load one', () => {
    const previous = '# Benchmarks\n\n## Load\n\nload\n\n## Scale: 1,000,000 passages\n\nscale\n\n## How these figures are made\n\n- old\n';
    const out = keepLoadSection(fresh, previous);
    expect(out).toContain('## Load\n\nload\n\n## Scale: 1,000,000 passages\n\nscale\n\n## How these figures are made');
    expect(keepLoadSection(out, previous)).toBe(out);
  });

  it('leaves the report alone without a previous file or a ## Load section in it', () => {
    expect(keepLoadSection(fresh, undefined)).toBe(fresh);
    expect(keepLoadSection(fresh, '# Benchmarks\n\n## Loaded archives\n\nx\n')).toBe(fresh);
  });
});
