import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/archive/analysis/analyze.js';
import { buildExcerpt as buildFromAnalysis, ELLIPSIS } from '../../../src/archive/excerpt/excerpt.js';

const buildExcerpt = (text: string, termWeights: Map<string, number>) => buildFromAnalysis(text, analyzeText(text), termWeights);

const weights = (entries: Record<string, number>) => new Map(Object.entries(entries));
const collapse = (text: string) => text.replace(/\s+/g, ' ');

/** Every piece of the excerpt must be verbatim text of the passage (whitespace collapsed). */
function expectVerbatim(excerpt: string, passage: string) {
  const pieces = excerpt.split(` ${ELLIPSIS} `).map((p) => p.replace(/^…|…$/g, ''));
  for (const piece of pieces) expect(collapse(passage)).toContain(piece);
}

const LONG_PASSAGE = [
  'The delegation arrived in Pyongyang on Monday morning after a long journey by train.',
  'Officials greeted them at the station with flowers and a brass band playing marches.',
  'Later that day the guests toured a new greenhouse farm on the outskirts of the city.',
  'The farm grows cucumbers, tomatoes and peppers all year round under glass.',
  'In the evening a banquet was hosted in honour of the visiting delegation.',
  'The head of the delegation praised the Vostochny cooperation in his speech.',
].join(' ');

describe('buildExcerpt', () => {
  it('quotes a short passage whole, with every matched word highlighted', () => {
    const text = 'Kim Jong Un met Putin at the Vostochny Spaceport.';
    const excerpt = buildExcerpt(text, weights({ kim: 1, putin: 2, spaceport: 3 }));
    expect(excerpt.text).toBe(text);
    expect(excerpt.highlights.map((h) => excerpt.text.slice(h.start, h.end))).toEqual(['Kim', 'Putin', 'Spaceport']);
  });

  it('stays within 350 characters, cut at sentence boundaries, and covers the rarest term', () => {
    const excerpt = buildExcerpt(LONG_PASSAGE, weights({ greenhous: 5, deleg: 0.5 }));
    expect(excerpt.text.length).toBeLessThanOrEqual(350);
    expect(excerpt.text).toContain('greenhouse farm');
    expect(excerpt.text).toMatch(/^[A-Z].*[.]$/);
    expectVerbatim(excerpt.text, LONG_PASSAGE);
  });

  it('joins sentences that do not touch with an ellipsis', () => {
    const excerpt = buildExcerpt(LONG_PASSAGE, weights({ brass: 5, vostochni: 5 }));
    expect(excerpt.text).toContain('brass band');
    expect(excerpt.text).toContain('Vostochny');
    expect(excerpt.text).toContain(` ${ELLIPSIS} `);
    expect(excerpt.text.length).toBeLessThanOrEqual(350);
    expectVerbatim(excerpt.text, LONG_PASSAGE);
  });

  it('cuts a sentence longer than the budget at word boundaries around its matches', () => {
    const sentence = `At the start ${'the long sentence rambles on and on '.repeat(12)}until the rocket finally appears ${'and more words follow after it '.repeat(10)}to the end.`;
    const excerpt = buildExcerpt(sentence, weights({ rocket: 3 }));
    expect(excerpt.text.length).toBeLessThanOrEqual(350);
    expect(excerpt.text).toContain('rocket');
    expect(excerpt.text.startsWith(ELLIPSIS)).toBe(true);
    expect(excerpt.text.endsWith(ELLIPSIS)).toBe(true);
    const inner = excerpt.text.slice(1, -1);
    expect(sentence).toContain(inner);
    // Word boundaries: the quote neither starts nor ends inside a word.
    const at = sentence.indexOf(inner);
    expect(sentence[at - 1]).toMatch(/\s/);
    expect(sentence[at + inner.length]).toMatch(/\s/);
  });

  it('fills leftover room with the start of the next sentence, cut at a word and marked', () => {
    const text = `The rocket was launched at dawn. ${'After that the engineers studied the telemetry for many long hours and wrote reports '.repeat(5)}in the end.`;
    const excerpt = buildExcerpt(text, weights({ rocket: 3 }));
    expect(excerpt.text.startsWith('The rocket was launched at dawn. After that')).toBe(true);
    expect(excerpt.text.endsWith(ELLIPSIS)).toBe(true);
    expect(excerpt.text.length).toBeLessThanOrEqual(350);
    const inner = excerpt.text.slice(0, -1);
    expect(text).toContain(inner);
    expect(text[inner.length]).toBe(' '); // cut between words
  });

  it('collapses line breaks and keeps highlights aligned', () => {
    const text = 'The Soyuz-2\n\ncarrier rocket   was shown.';
    const excerpt = buildExcerpt(text, weights({ soyuz: 2, rocket: 1 }));
    expect(excerpt.text).toBe('The Soyuz-2 carrier rocket was shown.');
    expect(excerpt.highlights.map((h) => excerpt.text.slice(h.start, h.end))).toEqual(['Soyuz-2', 'rocket']);
  });

  it('joins adjacent highlighted words into one range', () => {
    const excerpt = buildExcerpt('Talks with Kim Jong Un ended.', weights({ kim: 1, jong: 1, un: 1 }));
    expect(excerpt.highlights.map((h) => excerpt.text.slice(h.start, h.end))).toEqual(['Kim Jong Un']);
  });

  it('falls back to the passage start when nothing matches', () => {
    const excerpt = buildExcerpt(LONG_PASSAGE, weights({ nothing: 1 }));
    expect(excerpt.text.startsWith('The delegation arrived')).toBe(true);
    expect(excerpt.highlights).toEqual([]);
    expect(excerpt.text.length).toBeLessThanOrEqual(350);
  });
});
