import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../src/archive/analysis/analyze.js';
import { buildExcerpt as buildFromAnalysis, ELLIPSIS, excerptCost, type ExcerptOptions } from '../../../src/archive/excerpt/excerpt.js';
import { Archive } from '../../../src/archive/index.js';
import type { Excerpt, ExcerptCost } from '../../../src/archive/types.js';

const buildExcerpt = (text: string, termWeights: Map<string, number>, options?: ExcerptOptions) =>
  buildFromAnalysis(text, analyzeText(text), termWeights, options);

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

  it('cuts an over-long sentence where it shows the asked-for number beside the asked word, not a dateline number', () => {
    const text =
      'Harbourtown, March 3 (Gazette) -- Mayor Brask, chair of the regional council of the northern coastal provinces ' +
      'and honorary president of the association of the eastern seaboard, sent a bouquet of white lilies to Captain ' +
      'Oskar Lindqvist, commander of the coastal rescue fleet, veteran of the northern waters and long the keeper of ' +
      'the old harbour light on the western pier, on the occasion of his 82nd birthday.';
    const archive = Archive.fromDocuments([{ id: 'g', file: 'g.txt', title: 'Greetings', text }]);
    const [hit] = archive.search('which birthday of Captain Oskar Lindqvist did Mayor Brask send lilies for?').hits;
    expect(hit!.text.length).toBeGreaterThan(350);
    expect(hit!.excerpt.text).toContain('82nd birthday');
  });

  it('never opens a quote inside "discord.js": a dot with no space after it ends no sentence', () => {
    const text =
      'The guide opens with a long sentence about nothing in particular that fills up the room. ' +
      'Install discord.js with npm before you write the bot.';
    const excerpt = buildExcerpt(text, weights({ npm: 2, bot: 1 }), { maxChars: 45 });
    expect(excerpt.text).toContain('npm');
    expect(excerpt.text).not.toMatch(/^js/);
    expectVerbatim(excerpt.text, text);
  });

  it('joins adjacent highlighted words into one range', () => {
    const excerpt = buildExcerpt('Talks with Kim Jong Un ended.', weights({ kim: 1, jong: 1, un: 1 }));
    expect(excerpt.highlights.map((h) => excerpt.text.slice(h.start, h.end))).toEqual(['Kim Jong Un']);
  });

  it('joins highlighted words that touch into one range (no empty emphasis between them)', () => {
    const excerpt = buildExcerpt('Use the Guild#member helper.', weights({ guild: 1, member: 1 }));
    expect(excerpt.highlights.map((h) => excerpt.text.slice(h.start, h.end))).toEqual(['Guild#member']);
  });

  it('falls back to the passage start when nothing matches', () => {
    const excerpt = buildExcerpt(LONG_PASSAGE, weights({ nothing: 1 }));
    expect(excerpt.text.startsWith('The delegation arrived')).toBe(true);
    expect(excerpt.highlights).toEqual([]);
    expect(excerpt.text.length).toBeLessThanOrEqual(350);
  });

  it('is made of pieces that cover its text end to end: passage text cut by offsets, and the ellipses between', () => {
    const excerpt = buildExcerpt(LONG_PASSAGE, weights({ brass: 5, vostochni: 5 }));
    expectPieces(excerpt, LONG_PASSAGE);
    expect(excerpt.pieces.map((p) => p.kind)).toEqual(['text', 'gap', 'text']);
    const clipped = buildExcerpt(
      `At the start ${'the long sentence rambles on and on '.repeat(12)}until the rocket appears.`,
      weights({ rocket: 3 }),
    );
    expect(clipped.pieces.map((p) => p.kind)).toEqual(['gap', 'text']);
  });
});

/** Pieces in order, touching, covering the text; a text piece is its source span with whitespace collapsed. */
function expectPieces(excerpt: Excerpt, passage: string) {
  let at = 0;
  for (const piece of excerpt.pieces) {
    expect(piece.start).toBe(at);
    at = piece.end;
    const shown = excerpt.text.slice(piece.start, piece.end);
    if (piece.kind === 'text') expect(shown).toBe(collapse(passage.slice(piece.source!.start, piece.source!.end)));
    else expect(shown.trim()).toBe(ELLIPSIS);
  }
  expect(at).toBe(excerpt.text.length);
}

describe('an excerpt within a room, as the caller prices it', () => {
  /** A caller that shows a star as two characters and adds four per highlight. */
  const starry: ExcerptCost = { char: (ch) => (ch === '*' ? 2 : 1), highlight: 4 };
  const passage = [
    'The *old* mill stood by the river for two hundred years and ground the *barley* of the valley.',
    'Its wheel was rebuilt after the great flood, with oak beams from the northern forest.',
    'Visitors today can watch the millstone turn on the first Sunday of every month in summer.',
    'A small museum beside it shows the ledgers of the millers, kept since the year of the flood.',
  ].join(' ');

  it('costs at most the room and still quotes the rarest words', () => {
    for (const maxChars of [60, 90, 120, 200, 300]) {
      const excerpt = buildExcerpt(passage, weights({ millston: 5, flood: 1 }), { maxChars, cost: starry });
      expect(excerptCost(excerpt, starry), `room ${maxChars}`).toBeLessThanOrEqual(maxChars);
      expect(excerpt.text).toContain('millstone');
      expectPieces(excerpt, passage);
    }
  });

  it('cuts a sentence longer than the room by what it costs, not by its length', () => {
    const sentence = `Stars ${'* '.repeat(80)}surround the millstone ${'* '.repeat(80)}at night.`;
    const excerpt = buildExcerpt(sentence, weights({ millston: 5 }), { maxChars: 60, cost: starry });
    expect(excerptCost(excerpt, starry)).toBeLessThanOrEqual(60);
    expect(excerpt.text).toContain('millstone');
  });

  it('from a search hit: the default quote when it fits the room, a new one chosen for a smaller room', () => {
    const archive = Archive.fromDocuments([{ id: 'm', title: 'Mill', file: 'm.md', text: passage }]);
    const hit = archive.search('when does the millstone turn', { limit: 1 }).hits[0]!;
    expect(hit.excerptWithin({ maxChars: 1000, cost: starry })).toBe(hit.excerpt);
    const small = hit.excerptWithin({ maxChars: 100, cost: starry });
    expect(excerptCost(small, starry)).toBeLessThanOrEqual(100);
    expect(small.text).toContain('millstone');
    // A room below the least the engine quotes in is raised to it, not turned into an ellipsis.
    expect(hit.excerptWithin({ maxChars: 0 }).text.length).toBeGreaterThan(5);
  });
});

describe('a quote that starts after a paragraph break', () => {
  // One sentence too long to be quoted beside the answer, so the quote starts at the break.
  const filler = `The committee met in the hall and went through the agenda${', item by item'.repeat(30)}.`;
  const text = `${filler.trim()}\n\nThe lighthouse keeper counted forty ships passing the northern cape.`;

  it('starts with the sentence, not the break before it', () => {
    for (const layout of [
      undefined,
      { sections: [], blocks: [{ start: 0, end: text.length, kind: 'prose' as const, section: -1 }], marks: [], pieces: [] },
    ]) {
      const archive = Archive.fromDocuments([{ id: 'd', file: 'd.md', title: 'Minutes', text, ...(layout ? { layout } : {}) }]);
      const quote = archive.search('how many ships did the lighthouse keeper count').hits[0]!.excerpt.text;
      expect(quote).toMatch(/^The lighthouse keeper/);
    }
  });
});
