import { describe, expect, it } from 'vitest';
import { Archive } from '../../src/archive/index.js';
import { toJsonAnswer } from '../../src/cli/json.js';

const archive = Archive.fromDocuments([
  { id: 'a', title: 'Briefing', file: 'a.md', text: 'Yuri Borisov, director general of Roscosmos, briefed the leaders.' },
]);

describe('the CLI JSON answer', () => {
  it('adds corrections beside the existing fields', () => {
    const answer = toJsonAnswer(archive.search('Roskosmos director'));
    expect(answer.corrections).toEqual([{ from: 'Roskosmos', to: 'roscosmos' }]);
    expect(Object.keys(answer)).toEqual(['query', 'results', 'total', 'corrections']);
    expect(answer.results[0]).toMatchObject({ docId: 'a', title: 'Briefing', passage: 1 });
  });

  it('gives each result the question words its document lacks, [] when it answers', () => {
    expect(toJsonAnswer(archive.search('Roscosmos director')).results[0]!.missing).toEqual([]);
    const closest = toJsonAnswer(archive.search('Did the Roscosmos director general brief the leaders in Managua?')).results[0]!;
    expect(closest.missing).toEqual(['Managua']);
  });

  it('has no corrections field when nothing was corrected', () => {
    expect(toJsonAnswer(archive.search('Roscosmos director'))).not.toHaveProperty('corrections');
  });

  it('adds phrasesRelaxed only when the quoted words were searched apart', () => {
    const apart = toJsonAnswer(archive.search('"Roscosmos briefed Borisov"'));
    expect(apart.phrasesRelaxed).toBe(true);
    expect(apart.results[0]).toMatchObject({ docId: 'a' });
    expect(toJsonAnswer(archive.search('"director general of Roscosmos"'))).not.toHaveProperty('phrasesRelaxed');
  });

  it('keeps every field of a result, and the default quote, after a caller asked for a smaller one', () => {
    const response = archive.search('Roscosmos director');
    const hit = response.hits[0]!;
    const small = hit.excerptWithin({ maxChars: 30 });
    expect(small.text.length).toBeLessThanOrEqual(30);
    const result = toJsonAnswer(response).results[0]!;
    expect(Object.keys(result)).toEqual(
      expect.arrayContaining(['docId', 'title', 'source', 'date', 'url', 'passage', 'score', 'excerpt', 'text', 'highlights']),
    );
    expect(result.excerpt).toBe('Yuri Borisov, director general of Roscosmos, briefed the leaders.');
    expect(result.highlights.map((h) => result.excerpt.slice(h.start, h.end))).toEqual(['director', 'Roscosmos']);
  });
});
