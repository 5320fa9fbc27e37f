import { describe, expect, it } from 'vitest';
import { Archive } from '../../../src/archive/archive.js';
import {
  ANSWER_DATE,
  ANSWER_NAME,
  ANSWER_NUMBER,
  ANSWER_PLACE,
  answerKindsOf,
  nameKindsAt,
  termAnswerKinds,
} from '../../../src/archive/analysis/answer-kind.js';

describe('the kind of answer a question asks for', () => {
  it('reads it off the question', () => {
    expect(answerKindsOf('How many ladders were installed?')).toBe(ANSWER_NUMBER);
    expect(answerKindsOf('Which anniversary of the founding was marked?')).toBe(ANSWER_NUMBER);
    expect(answerKindsOf('what birthday was it')).toBe(ANSWER_NUMBER);
    expect(answerKindsOf('When did the delegation arrive?')).toBe(ANSWER_DATE);
    expect(answerKindsOf('What day was the strike?')).toBe(ANSWER_DATE);
    expect(answerKindsOf('Who led the delegation?')).toBe(ANSWER_NAME);
    expect(answerKindsOf('Where is the hot spring?')).toBe(ANSWER_PLACE);
    expect(answerKindsOf('Which city hosted the games?')).toBe(ANSWER_PLACE);
    expect(answerKindsOf('Why was the room enlarged?')).toBe(0);
  });

  it('reads a place off the text: a name after a preposition of place, not a month', () => {
    const kindsOf = (text: string, word: string) => nameKindsAt(text, text.indexOf(word), 0);
    expect(kindsOf('The spring is in Pochon County.', 'Pochon')).toBe(ANSWER_NAME | ANSWER_PLACE);
    expect(kindsOf('They bowed on the Mansu Hill.', 'Mansu')).toBe(ANSWER_NAME | ANSWER_PLACE);
    expect(kindsOf('They met on August 28.', 'August')).toBe(ANSWER_NAME);
    expect(kindsOf('The Chairman said it was good.', 'Chairman')).toBe(ANSWER_NAME);
    expect(kindsOf('Chairman Kim said so.', 'Chairman')).toBe(0);
    // "Berlin" ends in "in": only a whole preposition counts.
    expect(kindsOf('They saw the Berlin Harbour.', 'Harbour')).toBe(ANSWER_NAME);
  });

  it('knows numbers and dates among index terms', () => {
    expect(termAnswerKinds('48')).toBe(ANSWER_NUMBER);
    expect(termAnswerKinds('four')).toBe(ANSWER_NUMBER);
    // The "-0-" that closes a wire story is no count.
    expect(termAnswerKinds('0')).toBe(0);
    expect(termAnswerKinds('10')).toBe(ANSWER_NUMBER);
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

describe('a "where" question on a small news archive', () => {
  const spring = Archive.fromDocuments([
    {
      id: 'spring',
      title: 'Naegok Hot Spring',
      file: 'spring.md',
      text: [
        'The Chairman visited the Naegok Hot Spring with officials of the Ministry of Public Health.',
        'The Chairman said the Naegok Hot Spring was good for the health of the Working People.',
        'The Naegok spring lies in Pochon County, a mountain area of the north.',
        'The officials promised to build a sanatorium there.',
      ].join('\n\n'),
    },
    { id: 'farm', title: 'Farm Visit', file: 'farm.md', text: 'The Chairman inspected a greenhouse farm and praised its workers.' },
    { id: 'lake', title: 'Lake Resort', file: 'lake.md', text: 'A resort was built by the lake for the working people.' },
  ]);

  it('is answered by the passage naming a place after "in", not one full of other capitalised words', () => {
    const [top] = spring.search('Where is the Naegok Hot Spring?').hits;
    expect(top?.text).toContain('in Pochon County');
  });
});
