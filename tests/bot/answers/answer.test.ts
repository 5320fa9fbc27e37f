import { describe, expect, it } from 'vitest';
import { Archive } from '../../../src/archive/index.js';
import { answer } from '../../../src/bot/answers/answer.js';

const archive = Archive.fromDocuments([
  { id: 'a', title: 'Briefing', file: 'a.md', text: 'Yuri Borisov, director general of Roscosmos, briefed the leaders.' },
]);

describe('the answer to a misspelt question', () => {
  it('says which word was searched instead, in one line under the header', () => {
    const { content, found } = answer(archive, { question: 'Roskosmos director general?' });
    expect(found).toBe(true);
    const lines = content.split('\n');
    expect(lines[1]).toBe('Showing results for **roscosmos**');
    expect(content).toContain('Roscosmos');
  });

  it('adds no such line when the question is spelt as the archive spells it', () => {
    expect(answer(archive, { question: 'Roscosmos director general?' }).content).not.toContain('Showing results for');
  });
});
