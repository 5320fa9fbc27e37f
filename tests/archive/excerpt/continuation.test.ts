/**
 * Quoting across a paragraph break (issue 21 part 2): the matched paragraph names the subject, the
 * next opens with the asked-for kind of answer.
 */
import { describe, expect, it } from 'vitest';
import { Archive, type ArchiveOptions } from '../../../src/archive/index.js';

const matched =
  "Pyongyang (KCNA) -- The DPRK women's team played the semi-final of the FIFA U-17 Women's World Cup " +
  'in the Dominican Republic, in front of a large crowd of spectators who had come from across the region. ' +
  'The DPRK team beat the U.S. team 1:0 and advanced into the final of the world cup tournament.';
const next = 'On November 3 the final will be played in Santo Domingo, the capital of the host country.';
const unrelated = 'Coaches and players thanked the supporters, and the team will train at the stadium this week again.';

const archiveWith = (second: string, options: ArchiveOptions = {}) =>
  Archive.fromDocuments([{ id: 'u17', file: 'u17.txt', title: 'DPRK Team Advances', text: `${matched}\n\n${second}` }], options);

describe('a quote across a paragraph break', () => {
  it('quotes the date that opens the next paragraph for a "when" question', () => {
    const [hit] = archiveWith(next).search("When is the final of the U-17 women's world cup?").hits;
    expect(hit!.text).toBe(matched); // the hit is still the matched passage
    expect(hit!.excerpt.text).toContain('November 3');
  });

  it('stays in the passage when the next paragraph does not open with the kind asked for', () => {
    const [hit] = archiveWith(unrelated).search("When is the final of the U-17 women's world cup?").hits;
    expect(hit!.excerpt.text).not.toContain('Coaches');
  });

  it('stays in the passage for a question that asks for no kind of answer, or when turned off', () => {
    expect(archiveWith(next).search("U-17 women's world cup final semi-final").hits[0]!.excerpt.text).not.toContain('November');
    const off = archiveWith(next, { quoteAcrossBreak: false });
    expect(off.search("When is the final of the U-17 women's world cup?").hits[0]!.excerpt.text).not.toContain('November 3');
  });
});
