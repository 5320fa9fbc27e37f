import { describe, expect, it } from 'vitest';
import { Archive } from '../../../src/archive/archive.js';
import { ANSWER_DATE, ANSWER_NAME, ANSWER_NUMBER, answerKindsOf, termAnswerKinds } from '../../../src/archive/analysis/answer-kind.js';

describe('the kind of answer a question asks for', () => {
  it('reads it off the question', () => {
    expect(answerKindsOf('How many ladders were installed?')).toBe(ANSWER_NUMBER);
    expect(answerKindsOf('When did the delegation arrive?')).toBe(ANSWER_DATE);
    expect(answerKindsOf('What day was the strike?')).toBe(ANSWER_DATE);
    expect(answerKindsOf('Who led the delegation?')).toBe(ANSWER_NAME);
    expect(answerKindsOf('Where is the hot spring?')).toBe(ANSWER_NAME);
    expect(answerKindsOf('Why was the room enlarged?')).toBe(0);
  });

  it('knows numbers and dates among index terms', () => {
    expect(termAnswerKinds('48')).toBe(ANSWER_NUMBER);
    expect(termAnswerKinds('four')).toBe(ANSWER_NUMBER);
    expect(termAnswerKinds('2021') & ANSWER_DATE).toBeTruthy();
    expect(termAnswerKinds('august')).toBe(ANSWER_DATE);
    expect(termAnswerKinds('ladder')).toBe(0);
  });
});

/** A news story of short paragraphs: the lead restates the headline; the details come after. */
const story = {
  id: 'ladders',
  title: 'New Ladders in Shower Place of Rungna Water Park',
  file: 'ladders.md',
  text: [
    'Kim Jong Un visited the Rungna Water Park under construction and looked round its shower place and water tank.',
    'The ladders of the water tank were discussed by the officials at length.',
    'He said the builders should install four ladders on the wall of the water tank for the aged and children.',
    'The officials then looked at the water tank again.',
  ].join('\n\n'),
};
// As in a real news archive, the leader's name is in most stories: it tells them apart little.
const archive = Archive.fromDocuments([
  story,
  {
    id: 'munsu',
    title: 'Munsu Water Park',
    file: 'munsu.md',
    text: 'Kim Jong Un visited the Munsu Water Park, which opened with slides and a water tank.',
  },
  { id: 'farm', title: 'Farm Visit', file: 'farm.md', text: 'Kim Jong Un inspected a greenhouse farm and praised its workers.' },
  {
    id: 'school',
    title: 'New School',
    file: 'school.md',
    text: 'Kim Jong Un looked round a new school built for the children of the city.',
  },
]);

describe('answers on a small news archive', () => {
  it('a "how many" question is answered by the passage and the quote holding the number', () => {
    const [top] = archive.search('How many ladders did Kim Jong Un want in the water tank?').hits;
    expect(top?.text).toContain('install four ladders');
    expect(top?.excerpt.text).toContain('four ladders');
  });

  it('without the answer-kind bonus, the passage that only discusses ladders can come first', () => {
    const plain = Archive.fromDocuments([...archive.documents], { ranking: { answerKindBoost: 0 } });
    const [top] = plain.search('How many ladders did Kim Jong Un want in the water tank?').hits;
    expect(top?.text).not.toContain('install four ladders');
  });

  it('the lead, which restates the headline, does not win a question about a detail after it', () => {
    const [top] = archive.search('What did Kim Jong Un say about the ladders for the aged at the Rungna Water Park?').hits;
    expect(top?.passage.position).toBe(3);
  });
});
