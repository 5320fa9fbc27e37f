import { describe, expect, it } from 'vitest';
import { loadDocsQuestions, pageFinder } from '../eval/docs-own.js';
import { countMarkup, emptyMarkupCounts, rawMarkup } from '../eval/markup.js';

describe('raw markup in a quote or title', () => {
  it('finds link syntax, containers, tags, fences and heading marks', () => {
    expect(rawMarkup('set [`base`](/config/shared-options.md#base) first')).toBe('link');
    expect(rawMarkup('see ![logo](/logo.png)')).toBe('link');
    expect(rawMarkup('::: tip Note\nRestart the server')).toBe('container');
    expect(rawMarkup('<DiscordEmbed title="x" /> and more')).toBe('tag');
    expect(rawMarkup('</script> after')).toBe('tag');
    expect(rawMarkup('```js\nconst a = 1\n```')).toBe('fence');
    expect(rawMarkup('intro\n## Build\nMore')).toBe('heading');
  });

  it("leaves the page's own words alone: inline code, comparisons, a # inside a line", () => {
    expect(rawMarkup('uses `<root>/index.html` as the entry')).toBeUndefined();
    expect(rawMarkup('Node.js <=22 cannot require ESM; a < b > c')).toBeUndefined();
    expect(rawMarkup('See issue #964 and [this]')).toBeUndefined();
    expect(rawMarkup('Set `{ a: [1](2) }`')).toBeUndefined();
  });

  it('counts quotes and titles apart, with one example per kind', () => {
    const counts = emptyMarkupCounts();
    countMarkup(counts, 'plain words', 'Title');
    countMarkup(counts, 'a [link](x)', '<style scoped>');
    countMarkup(counts, 'another [link](y)');
    expect(counts).toMatchObject({ quotes: 3, quotesWithMarkup: 2, titles: 2, titlesWithMarkup: 1 });
    expect(counts.examples.get('link')).toBe('a [link](x)');
    expect(counts.examples.get('tag')).toBe('<style scoped>');
  });
});

describe('the docs own-set questions', () => {
  it('finds the documents of the answering page', () => {
    const pageOf = pageFinder([
      { id: 'guide/a.md', file: 'guide/a.md' },
      { id: 'guide/a.md#2', file: 'guide/a.md' },
      { id: 'b.md', file: 'b.md' },
    ]);
    const question = {
      id: 'd1',
      question: 'q',
      split: 'tune' as const,
      style: 'paraphrase',
      kind: 'howto',
      answerable: true,
      evidence: ['x'],
    };
    expect([...pageOf({ ...question, page: 'guide/a.md' })]).toEqual(['guide/a.md', 'guide/a.md#2']);
    expect(pageOf({ ...question, answerable: false, evidence: [], page: null }).size).toBe(0);
  });

  it('has at least 80 questions in two fixed halves, evidence on every answerable one', async () => {
    const questions = await loadDocsQuestions();
    expect(questions.length).toBeGreaterThanOrEqual(80);
    expect(new Set(questions.map((q) => q.id)).size).toBe(questions.length);
    const half = (split: string) => questions.filter((q) => q.split === split);
    expect(Math.abs(half('tune').length - half('heldout').length)).toBeLessThanOrEqual(1);
    for (const q of questions) {
      if (q.answerable) expect(q.evidence.length > 0 && q.page !== null, q.id).toBe(true);
      else expect(q.evidence.length === 0 && q.page === null, q.id).toBe(true);
    }
    expect(questions.filter((q) => !q.answerable).length).toBeGreaterThanOrEqual(10);
  });
});
