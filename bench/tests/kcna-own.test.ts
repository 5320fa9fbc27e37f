import { describe, expect, it } from 'vitest';
import { emptyCounts, figures, goldFinder, scoreAnswer, type KcnaQuestion } from '../eval/kcna-own.js';

const documents = [
  {
    id: 'a',
    title: 'Ladders',
    file: 'k.json',
    url: 'http://x/a',
    date: '2024-06-01',
    text: 'He told officials to install four ladders  on the wall.',
  },
  {
    id: 'b',
    title: 'Ladders again',
    file: 'k.json',
    url: 'http://x/b',
    date: '2024-06-02',
    text: 'A copy: install FOUR ladders on the wall.',
  },
  { id: 'c', title: 'Other', file: 'k.json', url: 'http://x/c', date: '2024-06-03', text: 'Nothing about it.' },
];
const question = (over: Partial<KcnaQuestion>): KcnaQuestion => ({
  id: 'k1',
  question: 'How many ladders?',
  split: 'tune',
  style: 'paraphrase',
  kind: 'count',
  answerable: true,
  evidence: ['install four ladders on the wall'],
  article: { headline: 'Ladders', date: '2024-06-01', link: 'http://x/a' },
  ...over,
});

describe('the KCNA own-set figures', () => {
  const goldOf = goldFinder(documents);

  it("counts the question's record and any copy holding its evidence as its article", () => {
    expect([...goldOf(question({}))].sort()).toEqual(['a', 'b']);
    expect(goldOf(question({ answerable: false, evidence: [], article: null })).size).toBe(0);
  });

  it('scores evidence in the first quote, the passage in the top 3, the article first, and empties', () => {
    const counts = emptyCounts();
    const q = question({});
    expect(
      scoreAnswer(
        counts,
        q,
        {
          documents: ['b', 'a'],
          quote: 'officials to install Four ladders on the   wall.',
          passages: ['x', 'install four ladders on the wall'],
        },
        goldOf(q),
      ),
    ).toBe(true);
    expect(scoreAnswer(counts, q, { documents: ['c'], quote: 'Nothing about it.', passages: ['Nothing about it.'] }, goldOf(q))).toBe(
      false,
    );
    expect(scoreAnswer(counts, q, { documents: [], quote: undefined, passages: [] }, goldOf(q))).toBe(false);
    const absent = question({ answerable: false, evidence: [], article: null });
    scoreAnswer(counts, absent, { documents: [], quote: undefined }, goldOf(absent));
    scoreAnswer(counts, absent, { documents: ['c'], quote: 'Nothing about it.' }, goldOf(absent));
    // A first result flagged as a closest match is an honest answer to an absent question.
    scoreAnswer(counts, absent, { documents: ['c'], quote: 'Nothing about it.', flagged: true }, goldOf(absent));
    expect(figures('tune', counts, true)).toEqual({
      'tune.eie1': 1 / 3,
      'tune.passage3': 1 / 3,
      'tune.article1': 1 / 3,
      'tune.honestEmpty': 1 / 3,
      'tune.falseEmpty': 1 / 3,
      'tune.honest': 2 / 3,
      'tune.flagged': 1 / 3,
      'tune.n': 6,
    });
    expect(figures('heldout', emptyCounts(), false)).not.toHaveProperty('heldout.passage3');
  });
});
