/**
 * Pruning is exact: the ranking that skips reading the lists of terms that cannot make a passage
 * qualify, and makes no candidate of a passage scored below the worst of the pool the sentence
 * bonus is computed for (`prune`, the default) returns the very answers of the full read that
 * makes every qualifying passage a candidate (`prune: false`): the same passages in the same order,
 * the same scores to the bit, the same `total`, empty reason and relaxed phrases.
 * Checked over a generated archive (titles, page sections, leads, code passages, words of
 * Zipf-like frequency) and many generated questions, in both ranking profiles.
 */
import { describe, expect, test } from 'vitest';
import type { AnalyzedToken, Span } from '../../../src/archive/analysis/analyze.js';
import { KEYWORD_RANKING, SENTENCE_POOL } from '../../../src/archive/defaults.js';
import { IndexBuilder } from '../../../src/archive/postings/builder.js';
import { PASSAGE_CODE, PASSAGE_PROSE, type InvertedIndex } from '../../../src/archive/postings/inverted-index.js';
import { rankPassages, type RankingOptions, type RankRequest } from '../../../src/archive/rank/ranking.js';
import { prng as random } from '../../fixtures/generated-archive.js';
import { handTokens } from '../three-passages.js';

const VOCABULARY = Array.from({ length: 400 }, (_, i) => `w${i}`);

/** A word of Zipf-like frequency: `w0` is in most passages, `w399` in a handful. */
function word(next: () => number): string {
  return VOCABULARY[Math.min(VOCABULARY.length - 1, Math.floor(VOCABULARY.length * next() ** 2.5))]!;
}

function words(next: () => number, count: number): string {
  return Array.from({ length: count }, () => (next() < 0.15 ? 'the' : word(next))).join(' ');
}

/** Documents of 1–8 passages (of 1–3 sentences, so some have leads), a third of them pages with sections and code. */
function generatedIndex(seed: number, documents: number): InvertedIndex {
  const next = random(seed);
  const builder = new IndexBuilder();
  for (let d = 0; d < documents; d++) {
    const page = next() < 0.35;
    const sections = page
      ? Array.from({ length: 1 + Math.floor(next() * 3) }, () => handTokens(words(next, 1 + Math.floor(next() * 3))))
      : [];
    builder.addDocument(handTokens(words(next, 2 + Math.floor(next() * 4))), sections);
    const passages = 1 + Math.floor(next() * 8);
    const sentences = Array.from({ length: passages }, () =>
      Array.from({ length: 1 + Math.floor(next() * 3) }, () => words(next, 3 + Math.floor(next() * 12))),
    );
    const texts = sentences.map((list) => list.join(' '));
    const text = texts.join('\n\n');
    let offset = 0;
    texts.forEach((passage, p) => {
      const tokens: AnalyzedToken[] = handTokens(passage, offset);
      const spans: Span[] = [];
      let at = offset;
      for (const sentence of sentences[p]!) {
        spans.push({ start: at, end: at + sentence.length });
        at += sentence.length + 1;
      }
      const section = page ? Math.floor(next() * (sections.length + 1)) - 1 : -1;
      builder.addPassage(tokens, spans, text, section, page && next() < 0.2 ? PASSAGE_CODE : PASSAGE_PROSE);
      offset += passage.length + 2;
    });
  }
  return builder.build();
}

/** Questions of 1–6 words, rare and common mixed, some with a word the archive lacks, a phrase, an added term, a filter, a later page. */
function generatedRequests(seed: number, count: number): RankRequest[] {
  const next = random(seed);
  return Array.from({ length: count }, (): RankRequest => {
    const terms = [
      ...new Set(Array.from({ length: 1 + Math.floor(next() * 6) }, () => (next() < 0.3 ? `w${Math.floor(next() * 40)}` : word(next)))),
    ];
    if (next() < 0.1) terms.push('unknownword');
    const phrases = next() < 0.1 && terms.length > 1 ? [terms.slice(0, 2)] : [];
    const added = next() < 0.2 ? [{ term: word(next), boost: 0.3 }] : undefined;
    const every = 2 + Math.floor(next() * 3);
    const acceptDocument = next() < 0.15 ? (document: number) => document % every !== 0 : undefined;
    const offset = next() < 0.2 ? 10 : 0;
    return { query: { terms, phrases, added }, acceptDocument, asksForCode: next() < 0.2, offset, limit: 3 + Math.floor(next() * 8) };
  });
}

const index = generatedIndex(20261207, 1500);
const requests = generatedRequests(7, 1500);

const PROFILES: Array<[string, RankingOptions]> = [
  ['answers', {}],
  ['keyword', KEYWORD_RANKING],
  ['no title, section or lead field', { titleWeight: 0, sectionWeight: 0, leadWeight: 0 }],
];

describe('pruning returns exactly the answers of the full read', () => {
  test.each(PROFILES)('%s: same passages, order, scores to the bit, total and empty reason', (_, options) => {
    let pruned = 0;
    let emptyAnswers = 0;
    let thresholded = 0;
    for (const request of requests) {
      const skipping = rankPassages(index, request, options);
      const full = rankPassages(index, request, { ...options, prune: false });
      const answer = (ranking: typeof full) => ({
        ranked: ranking.ranked.map(({ passage, score }) => [passage, score]),
        total: ranking.total,
        emptyReason: ranking.emptyReason,
        phrasesRelaxed: ranking.phrasesRelaxed,
        termWeights: [...ranking.termWeights],
      });
      expect(answer(skipping), JSON.stringify(request.query)).toEqual(answer(full));
      if (skipping.postingsRead < full.postingsRead) pruned++;
      if (full.ranked.length === 0) emptyAnswers++;
      // More passages qualified than the pool holds: the pool's threshold turned some away.
      if (full.total > Math.max(SENTENCE_POOL, (request.offset + request.limit) * 4)) thresholded++;
    }
    // The check means something only if many questions were pruned, and some came back empty.
    expect(pruned).toBeGreaterThan(requests.length / 5);
    expect(emptyAnswers).toBeGreaterThan(0);
    expect(thresholded).toBeGreaterThan(requests.length / 5);
  });

  test('a question of one rare and two common words reads far fewer postings, and answers the same', () => {
    const request: RankRequest = { query: { terms: ['w380', 'w0', 'w1'], phrases: [] }, offset: 0, limit: 5 };
    const skipping = rankPassages(index, request);
    const full = rankPassages(index, request, { prune: false });
    expect(skipping.ranked.length).toBeGreaterThan(0);
    expect(skipping.ranked).toEqual(full.ranked);
    expect(skipping.total).toBe(full.total);
    expect(skipping.postingsRead * 3).toBeLessThan(full.postingsRead);
  });

  test('passages tied at the pool’s edge keep the lowest, as sorting them all does, even when met highest first', () => {
    // 200 one-passage documents scored alike: "alpha" in the last 100, "beta" in the first 100. The
    // question's first term is read first, so the highest passages are met first.
    const builder = new IndexBuilder();
    for (let d = 0; d < 200; d++) {
      builder.addDocument(handTokens(`title${d}`), []);
      const text = `${d < 100 ? 'beta' : 'alpha'} filler`;
      builder.addPassage(handTokens(text), [{ start: 0, end: text.length }], text);
    }
    const tied = builder.build();
    const request: RankRequest = { query: { terms: ['alpha', 'beta'], phrases: [] }, offset: 0, limit: 3 };
    const thresholded = rankPassages(tied, request);
    const full = rankPassages(tied, request, { prune: false });
    expect(full.ranked.map((hit) => hit.passage)).toEqual([0, 1, 2]);
    expect(thresholded.ranked).toEqual(full.ranked);
    expect(thresholded.total).toBe(200);
  });
});
