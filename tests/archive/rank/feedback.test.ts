import { describe, expect, it } from 'vitest';
import { indexDocuments } from '../../../src/archive/postings/indexing.js';
import { feedbackTerms } from '../../../src/archive/rank/feedback.js';
import { rankPassages } from '../../../src/archive/rank/ranking.js';

const documents = [
  { title: 'Discharge', text: 'Japan began the discharge of nuclear-polluted water from the Fukushima plant into the sea.' },
  { title: 'Tritium', text: 'Tritium levels in seawater near the Fukushima plant rose after the discharge began.' },
  { title: 'Fisheries', text: 'Fishermen protested: tritium in the sea threatens fisheries near Fukushima.' },
  { title: 'Harvest', text: 'Farmers finished the rice harvest ahead of schedule.' },
];

describe('pseudo-relevance feedback', () => {
  const { index } = indexDocuments(documents);

  it('adds the words the best passages share, never the question words, weaker than a typed word', () => {
    const first = rankPassages(index, { query: { terms: ['discharg'], phrases: [] }, offset: 0, limit: 10 });
    const added = feedbackTerms(index, first.ranked, ['discharg'], { terms: 5 });
    const words = added.map((a) => a.term);
    expect(words).not.toContain('discharg');
    expect(words).toEqual(expect.arrayContaining(['plant']));
    for (const { boost } of added) expect(boost).toBeLessThanOrEqual(0.5);
  });
});
