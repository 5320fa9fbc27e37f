/**
 * Quoting across a paragraph break (issue 21 part 2): the matched paragraph names the subject, the
 * next gives the asked-for detail; the excerpt's choice of sentences decides what is shown.
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

  it('a next paragraph that holds none of the question takes no room from the matched one', () => {
    const [hit] = archiveWith(unrelated).search("When is the final of the U-17 women's world cup?").hits;
    expect(hit!.excerpt.text.startsWith(matched)).toBe(true);
  });

  it('stays in the passage when turned off, and never crosses into another section', () => {
    const off = archiveWith(next, { quoteAcrossBreak: false });
    expect(off.search("When is the final of the U-17 women's world cup?").hits[0]!.excerpt.text).not.toContain('November 3');
    const page = Archive.fromDocuments([
      {
        id: 'p.md',
        file: 'p.md',
        title: 'Cup',
        text: `${matched}\n\n${next}`,
        layout: {
          sections: [{ headings: ['Semi-final'] }, { headings: ['Final'] }],
          blocks: [
            { start: 0, end: matched.length, kind: 'prose', section: 0 },
            { start: matched.length + 2, end: matched.length + 2 + next.length, kind: 'prose', section: 1 },
          ],
          marks: [],
          pieces: [],
        },
      },
    ]);
    const [hit] = page.search("When is the final of the U-17 women's world cup semi-final?").hits;
    expect(hit!.text).toBe(matched);
    expect(hit!.excerpt.text).not.toContain('November 3');
  });
});
