import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { formatAnswer, formatNoResult } from '../../src/bot/answers/answer.js';
import { fitChoices, matchRank, rank } from '../../src/bot/browse/autocomplete.js';
import { blockQuote, chunkText, escapeText, maskedLink, quoteInput, safeLink, showable, truncate } from '../../src/discord/format.js';
import { DISCORD_QUOTE_COST, linkCost, renderExcerpt, sourceLine } from '../../src/bot/answers/quote.js';
import { EMBED_DESCRIPTION_MAX, EMBED_TOTAL_MAX, MESSAGE_CONTENT_MAX } from '../../src/discord/limits.js';
import { renderPage } from '../../commands/search.js';
import { fitEmbeds, fitMessage } from '../../src/discord/reply.js';
import { Archive, excerptCost } from '../../src/archive/index.js';
import type { ArchiveDocument, Excerpt } from '../../src/archive/types.js';

describe('truncate', () => {
  test('leaves text that fits alone', () => {
    expect(truncate('short text', 10)).toBe('short text');
  });

  test('cuts at the last word boundary and adds an ellipsis, never dropping inner words', () => {
    const text = 'the quick brown fox jumps over the lazy dog';
    const cut = truncate(text, 20);
    expect(cut).toBe('the quick brown fox…');
    expect(cut.length).toBeLessThanOrEqual(20);
    // Everything kept is a prefix of the original: nothing removed from the middle.
    expect(text.startsWith(cut.slice(0, -1))).toBe(true);
  });

  test('a cut that falls right before a space keeps the whole last word', () => {
    expect(truncate('alpha beta gamma', 11)).toBe('alpha beta…');
  });

  test('one over-long word is cut inside the word, within the limit', () => {
    const word = 'x'.repeat(5000);
    const cut = truncate(word, 2000);
    expect(cut).toBe(`${'x'.repeat(1999)}…`);
    expect(cut.length).toBe(2000);
  });

  test('never splits a surrogate pair', () => {
    const cut = truncate('😀'.repeat(10), 6);
    expect(cut.length).toBeLessThanOrEqual(6);
    expect(cut).toBe('😀😀…');
  });

  test('rejects a limit below one', () => {
    expect(() => truncate('abc', 0)).toThrow('truncate: max must be a positive integer, got 0');
  });
});

/** An excerpt of one text piece (what the engine makes of a passage it quotes whole). */
const excerptOf = (text: string, highlights: Excerpt['highlights']): Excerpt => ({
  text,
  highlights,
  pieces: [{ kind: 'text', start: 0, end: text.length }],
});

describe('renderExcerpt', () => {
  test('escapes Markdown per slice and bolds the highlights after escaping', () => {
    const text = 'Attention @everyone: the **reservoir** is ||secret||';
    const start = text.indexOf('reservoir');
    const out = renderExcerpt(excerptOf(text, [{ start, end: start + 'reservoir'.length }]));
    expect(out).toBe('Attention \\@everyone: the \\*\\***reservoir**\\*\\* is \\|\\|secret\\|\\|');
  });

  test('renders every piece whole: the ellipsis of a gap as it is, a highlight in each text piece', () => {
    const text = 'Rice grows here. … The harvest is in autumn…';
    const excerpt: Excerpt = {
      text,
      highlights: [
        { start: 0, end: 4 },
        { start: 23, end: 30 },
      ],
      pieces: [
        { kind: 'text', start: 0, end: 16, source: { start: 0, end: 16 } },
        { kind: 'gap', start: 16, end: 19 },
        { kind: 'text', start: 19, end: 43, source: { start: 40, end: 64 } },
        { kind: 'gap', start: 43, end: 44 },
      ],
    };
    expect(renderExcerpt(excerpt)).toBe('**Rice** grows here. … The **harvest** is in autumn…');
  });

  test('bold never spans a line break, and one-line mode collapses whitespace', () => {
    const text = 'rice\nharvest   in   autumn';
    const highlights = [{ start: 0, end: 12 }];
    expect(renderExcerpt(excerptOf(text, highlights))).toBe('**rice**\n**harvest**   in   autumn');
    expect(renderExcerpt(excerptOf(text, highlights), { oneLine: true })).toBe('**rice harvest** in autumn');
  });

  test('ignores highlight ranges outside the text', () => {
    expect(
      renderExcerpt(
        excerptOf('abc', [
          { start: 2, end: 99 },
          { start: 50, end: 60 },
        ]),
      ),
    ).toBe('ab**c**');
  });

  test('costs at most what DISCORD_QUOTE_COST prices, whatever Markdown the text holds', () => {
    const token = fc.constantFrom(
      'a',
      'b',
      '1',
      '9',
      ' ',
      ' ',
      '.',
      '*',
      '_',
      '~',
      '|',
      '`',
      '\\',
      '#',
      '-',
      '>',
      '<',
      '@',
      '[',
      ']',
      '(',
      ')',
      ':',
      'everyone',
      'here',
      '\n',
    );
    const excerpt = fc
      .tuple(
        fc.array(token, { minLength: 1, maxLength: 60 }),
        fc.array(fc.tuple(fc.nat(6), fc.integer({ min: 1, max: 5 })), { maxLength: 12 }),
      )
      .map(([tokens, gaps]) => {
        const text = tokens.join('');
        const highlights: Excerpt['highlights'] = [];
        let at = 0;
        for (const [skip, length] of gaps) {
          const start = at + skip;
          const end = Math.min(text.length, start + length);
          if (start < end) highlights.push({ start, end });
          at = end + 1;
        }
        return excerptOf(text, highlights);
      });
    fc.assert(
      fc.property(excerpt, (e) => blockQuote(renderExcerpt(e)).length <= excerptCost(e, DISCORD_QUOTE_COST) + 2),
      { numRuns: 3000 },
    );
  });
});

describe('message pieces', () => {
  const doc: ArchiveDocument = {
    id: 'd',
    title: 'A *starred* title',
    text: '',
    file: 'd.md',
    source: 'KCNA',
    date: '2023-09-20T10:00:00Z',
    url: 'https://example.org/a',
  };

  test('sourceLine: the title a masked link without preview, in bold and escaped, then source, date, passage', () => {
    expect(sourceLine(doc, 3)).toBe('**[A \\*starred\\* title](<https://example.org/a>)** · KCNA · 2023-09-20 · passage 3');
    expect(sourceLine({ ...doc, url: 'javascript:alert(1)' }, 3)).toBe('**A \\*starred\\* title** · KCNA · 2023-09-20 · passage 3');
  });

  test('sourceLine keeps the link and shortens the title when space is short; no raw URL ever', () => {
    const long = { ...doc, title: 'A very long title '.repeat(10), url: `https://example.org/${'a'.repeat(140)}` };
    const line = sourceLine(long, 1, 60 + linkCost(long));
    expect(line.length).toBeLessThanOrEqual(60 + linkCost(long));
    expect(line).toContain(`](<${long.url}>)**`);
    expect(line.replace(/\(<[^>]+>\)/g, '')).not.toContain('https://');
  });

  test('maskedLink escapes brackets in the label so it cannot close the link early', () => {
    expect(maskedLink('a] [b', 'https://e.example/x(y)')).toBe('[a\\] \\[b](<https://e.example/x(y)>)');
    expect(maskedLink('plain', 'ftp://e.example')).toBe('plain');
  });

  test('safeLink only passes http(s) URLs', () => {
    expect(safeLink('javascript:alert(1)')).toBeUndefined();
    expect(safeLink('https://x.example/a b')).toBeUndefined();
    expect(safeLink('http://x.example/')).toBe('<http://x.example/>');
  });

  test('blockQuote prefixes every line', () => {
    expect(blockQuote('a\nb')).toBe('> a\n> b');
  });

  test('escapeText escapes line-start Markdown and masked links too', () => {
    expect(escapeText('# heading\n- item\n1. one\n[x](https://e.example)')).toBe(
      '\\# heading\n\\- item\n1\\. one\n\\[x](https://e.example)',
    );
  });

  test('escapeText also escapes what escapeMarkdown leaves alone: line-start quotes and subtext, mentions and other <…> markup', () => {
    expect(escapeText('> quoted\n>>> rest of message\n  -# small print\n-#not subtext')).toBe(
      '\\> quoted\n\\>>> rest of message\n  \\-# small print\n-#not subtext',
    );
    expect(escapeText('@everyone @here <@123> <@!123> <@&456> <#789> </ask:1> <t:1700000000:R> <:wave:42> <a:spin:43>')).toBe(
      '\\@everyone \\@here \\<@123> \\<@!123> \\<@&456> \\<#789> \\</ask:1> \\<t:1700000000:R> \\<:wave:42> \\<a:spin:43>',
    );
    // Ordinary text with the same characters is left alone.
    expect(escapeText('a > b, 3 < 4, mail@example.org, <https://example.org>')).toBe(
      'a > b, 3 < 4, mail@example.org, <https://example.org>',
    );
  });

  test('showable drops control characters, bidi overrides and isolates, and mends lone surrogates', () => {
    expect(showable('a\u0000b\u0007c\td\ne\u007f\u0085f')).toBe('abc\td\nef');
    expect(showable('x\u202eevil\u202c \u2066iso\u2069')).toBe('xevil iso');
    expect(showable('ok 😀 \ud800 \udc00 end')).toBe('ok 😀 \ufffd \ufffd end');
    expect(quoteInput('  where\u0000 is\n\u202ethe   summit? ')).toBe('“where is the summit?”');
  });

  test('chunkText splits at whitespace without losing a word', () => {
    const text = Array.from({ length: 500 }, (_, i) => `word${i}`).join(' ');
    const chunks = chunkText(text, 100);
    expect(chunks.every((c) => c.length <= 100)).toBe(true);
    expect(chunks.join(' ')).toBe(text);
    expect(chunkText('y'.repeat(250), 100)).toEqual(['y'.repeat(100), 'y'.repeat(100), 'y'.repeat(50)]);
  });
});

describe('answers fit one message', () => {
  const words = ['reservoir', 'harvest', 'barley', 'orchard', 'granary', 'terrace', 'sluice', 'millstone'];
  /** Forty documents full of Markdown, each with its own words (no two fold as near-duplicates). */
  const archive = Archive.fromDocuments(
    Array.from({ length: 40 }, (_, i) => ({
      id: `d${i}`,
      title: `${'Very long title '.repeat(30)}${i}`,
      file: `d${i}.md`,
      source: 'S'.repeat(150),
      date: '2020-01-01',
      url: `https://example.org/${'p'.repeat(200)}${i}`,
      text: Array.from(
        { length: 60 },
        (_, k) => `**bold** ||${words[(i + k) % words.length]}${i}x${k}|| \`code\` _under_ q${k % 7} number ${i * 100 + k}.`,
      ).join(' '),
    })),
  );

  test('five huge hits with Markdown everywhere stay within 2,000 characters, quotes whole', () => {
    const response = archive.search('q1 q2 q3 bold code under', { limit: 5 });
    expect(response.hits).toHaveLength(5);
    const content = formatAnswer(response, { question: 'q '.repeat(400), results: 5 });
    expect(content.length).toBeLessThanOrEqual(MESSAGE_CONTENT_MAX);
    expect(content.match(/^— /gm)).toHaveLength(5);
    // Every source keeps its link, as a masked link: no raw URL outside one.
    expect(content.match(/^— \*\*\[.*\]\(<https:\/\/example\.org\/p+\d+>\)\*\*/gm)).toHaveLength(5);
    expect(content.replace(/\(<https:[^>]+>\)/g, '')).not.toContain('https://');
    expect(content).toContain(`-# ${response.total - 5} more matching passages`);
    expect(content).not.toMatch(/(^|[^\\])\|\|/);
    // No quote was cut by the formatter: each ends where the engine's excerpt ends.
    for (const quote of content.split('\n').filter((line) => line.startsWith('> '))) expect(quote).toMatch(/(\.|…)$/);
  });

  test('/search pages of five such hits are embeds within every limit, each excerpt whole', () => {
    for (const page of [0, 1, 2]) {
      const body = renderPage(archive, 'session', { query: 'q1 q2 bold code', filters: {} }, page);
      const embed = body.embeds![0]!;
      expect(embed.description!.length).toBeLessThanOrEqual(EMBED_DESCRIPTION_MAX);
      expect(embed.title!.length + embed.description!.length + embed.footer!.text.length).toBeLessThanOrEqual(EMBED_TOTAL_MAX);
      const excerpts = embed.description!.split('\n').filter((line) => line && !/^\*\*\d+\.\*\* /.test(line));
      expect(excerpts).toHaveLength(5);
      for (const line of excerpts) expect(line).toMatch(/(\.|…)$/);
    }
  });

  test('no result says why and what to try', () => {
    const text = formatNoResult(
      { query: 'zebra', hits: [], total: 0, emptyReason: 'no-match', suggestions: ['zeal', 'zone'] },
      { question: 'zebra', filterDescription: 'from 2020' },
    );
    expect(text).toBe(
      [
        'I found nothing in the archive for “zebra”.',
        'No passage in the archive contains those words.',
        'Closest words in the archive: **zeal**, **zone**.',
        'Filters applied: from 2020; try without them.',
        'Try other or fewer words, or `/search` for a ranked list of everything that matches.',
      ].join('\n'),
    );
  });
});

describe('fitting replies to Discord', () => {
  test('content over 2,000 characters is cut at a word boundary', () => {
    const out = fitMessage({ content: 'word '.repeat(1000) });
    expect(out.content!.length).toBeLessThanOrEqual(2000);
    expect(out.content!.endsWith('word…')).toBe(true);
  });

  test('embeds are cut to every per-field limit and to 6,000 characters in all', () => {
    const long = 'lorem ipsum '.repeat(1000);
    const embeds = fitEmbeds(
      Array.from({ length: 12 }, () => ({
        title: long,
        description: long,
        footer: { text: long },
        fields: Array.from({ length: 30 }, () => ({ name: long, value: long })),
      })),
    );
    expect(embeds.length).toBeGreaterThanOrEqual(1);
    expect(embeds.length).toBeLessThanOrEqual(10);
    const total = embeds.reduce(
      (n, e) =>
        n +
        (e.title?.length ?? 0) +
        (e.description?.length ?? 0) +
        (e.footer?.text.length ?? 0) +
        (e.fields ?? []).reduce((m, f) => m + f.name.length + f.value.length, 0),
      0,
    );
    expect(total).toBeLessThanOrEqual(EMBED_TOTAL_MAX);
    for (const e of embeds) {
      expect(e.title!.length).toBeLessThanOrEqual(256);
      expect(e.description!.length).toBeLessThanOrEqual(4096);
      expect(e.fields!.length).toBeLessThanOrEqual(25);
      for (const f of e.fields!) {
        expect(f.name.length).toBeLessThanOrEqual(256);
        expect(f.value.length).toBeLessThanOrEqual(1024);
      }
    }
  });
});

describe('autocomplete ranking', () => {
  test('exact, then prefix, then word prefix, then contains; input order breaks ties', () => {
    const names = ['The Harvest Report', 'harvest', 'Harvesting rice', 'Spring harvest', 'Aftharvest', 'Other'];
    expect(rank(names, 'harvest', (n) => n)).toEqual(['harvest', 'Harvesting rice', 'The Harvest Report', 'Spring harvest', 'Aftharvest']);
    expect(matchRank('Kim Jong Un visits', 'jong vis')).toBe(3);
    expect(matchRank('Café Ümlaut', 'cafe um')).toBe(1);
  });

  test('fitChoices keeps 25 choices with names ≤100 and drops values Discord would reject', () => {
    const choices = fitChoices([
      { name: 'n'.repeat(300), value: 'ok' },
      { name: 'bad', value: 'v'.repeat(101) },
      ...Array.from({ length: 40 }, (_, i) => ({ name: `c${i}`, value: `v${i}` })),
    ]);
    expect(choices).toHaveLength(25);
    expect(choices[0]!.name.length).toBe(100);
    expect(choices.some((c) => c.name === 'bad')).toBe(false);
  });
});
