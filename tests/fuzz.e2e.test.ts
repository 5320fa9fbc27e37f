/**
 * Property tests: generated questions — archive words mixed with mentions, Markdown, code fences,
 * control characters, lone surrogates, right-to-left text and sheer length — go through the engine
 * (`Archive.search`) and the functions the bot builds its replies with (`answer`, the /search page,
 * a channel question's `questionText`, and `fitMessage`, which every reply passes through). Whatever
 * the input, a reply must never throw, must fit Discord's limits, must leave no mention active and
 * must keep its Markdown layout (quotes stay quotes, no code fence or spoiler opens).
 *
 * The archive is the bot tests' tricky fixture plus documents full of the same traps, so that the
 * quoted excerpts carry them too.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { renderPage } from '../commands/search.js';
import { Archive } from '../src/archive/archive.js';
import { MAX_WORD_CHARS } from '../src/archive/analysis/analyze.js';
import { analyzeDocument } from '../src/archive/postings/indexing.js';
import { parseHtml } from '../src/archive/load/html.js';
import { loadMarkdownReader, parseMarkdown } from '../src/archive/load/markdown.js';
import type { ArchiveDocument } from '../src/archive/types.js';
import { answer, type AnswerRequest } from '../src/bot/answers/answer.js';
import { questionText } from '../src/bot/answers/mention.js';
import { EMBED_DESCRIPTION_MAX, EMBED_FOOTER_TEXT_MAX, EMBED_TITLE_MAX, EMBED_TOTAL_MAX } from '../src/discord/limits.js';
import { fitMessage, NO_PINGS } from '../src/discord/reply.js';
import { expectInlineSafe, expectShowable, expectWellFormedAnswer, LINE_START_MARKUP, unescaped } from './helpers/reply-checks.js';
import { fixtureDocuments } from '../testing/fake-discord/fixture.js';

const TRAPS: ArchiveDocument[] = [
  {
    id: 'fences',
    title: 'Engineers on the ```reservoir``` pumps',
    text: 'Engineers wrote ```rm -rf /``` and `inline` code about the reservoir pumps.\n\n```\nfenced block about the rice harvest\n```\n\nThe ~~old~~ __new__ pumps ||work|| well, *mostly*.',
    file: 'traps.json',
    source: 'Source ||x|| @everyone',
    date: '2024-05-01',
    url: 'https://example.org/a_b_(c)?q=1',
  },
  {
    id: 'line-starts',
    title: '# Heading in a title',
    text: '> quoted line about the harvest\n>>> the rest of the message about rice\n-# small print about the summit\n# Heading about irrigation\n- bullet about the glacier\n1. numbered about Putin\n  > indented quote about the spaceport',
    file: 'traps.json',
    source: 'KCNA',
    date: '2024-05-02',
  },
  {
    id: 'mentions',
    title: '<@123456789012345678> and @here',
    text: 'Role <@&111111111111111111>, channel <#222222222222222222>, command </ask:333333333333333333>, time <t:1700000000:R>, emoji <:wave:444444444444444444> and <a:spin:5>, @here and @everyone at the spaceport.',
    file: 'traps.json',
    source: 'Bulletin',
  },
  {
    id: 'scripts',
    title: 'مرحبا 김정은 שלום 😀',
    text: 'The summit \u202eevil override\u202c was reported in Arabic مرحبا بالعالم and Hebrew שלום עולם, with emoji 👨‍👩‍👧 😀 and Korean 김정은 at the spaceport.',
    file: 'traps.json',
    source: 'Pyongyang Times',
    date: '2023-09-21',
  },
  {
    id: 'controls',
    title: 'Control\u0000characters',
    // JSON escapes can put what no text file holds into a record: NUL, BEL, a lone surrogate.
    text: 'The rice\u0000harvest bell \u0007 rang; a lone \ud800 surrogate and \udc00 another, about the reservoir.',
    file: 'traps.json',
    source: 'KCNA',
  },
  {
    id: 'long-word',
    title: `${'Very '.repeat(80)}long title **bold** _it_ ||sp|| <@1234567890123456789> @everyone`,
    text: `${'x'.repeat(3000)} reservoir ${'\\'.repeat(50)} C:\\path\\to\\rice \\*not bold\\* harvest`,
    file: 'traps.json',
    source: `${'S'.repeat(300)}`,
    url: 'javascript:alert(1)',
  },
];

const archive = Archive.fromDocuments([...fixtureDocuments(), ...TRAPS]);

/**
 * FUZZ_RUNS sets how many questions the main property tries (default 10,000, the full run CI does);
 * the other properties scale with it. `FUZZ_RUNS=500 npx vitest run tests/fuzz.e2e.test.ts` is a quick look.
 */
const FULL_RUNS = 10_000;
/**
 * FUZZ_SEED fixes the generator so CI is repeatable and a failure's seed replays it; by default the
 * seed is fixed, `FUZZ_SEED=random` explores new inputs (fast-check prints the seed of a failure).
 */
const FIXED_SEED = 20261207;
const seedSetting = process.env.FUZZ_SEED;
if (seedSetting !== 'random') fc.configureGlobal({ seed: Number(seedSetting) || FIXED_SEED });
const fuzzRuns = Math.max(1, Number(process.env.FUZZ_RUNS) || FULL_RUNS);
const scaled = (full: number) => Math.max(1, Math.round((full * fuzzRuns) / FULL_RUNS));
/** Generous per-test time for a full run on a busy machine (a budget, not a speed check). */
const FUZZ_TIMEOUT_MS = Math.max(60_000, fuzzRuns * 12);
const BOT_ID = '1100000000000000001';
// parseMarkdown is called directly below: its page reader is imported first, as the loader does.
await loadMarkdownReader();

// ---- Generated questions -------------------------------------------------------------------------

const vocabulary = [...new Set(archive.documents.flatMap((d) => d.text.split(/[^\p{L}\p{N}'-]+/u)).filter((w) => w.length > 2))];

const NASTY = [
  '',
  ' ',
  '\t\n',
  'a',
  '?',
  '@everyone',
  '@here',
  '<@123456789012345678>',
  '<@!123456789012345678>',
  `<@${BOT_ID}>`,
  '<#222222222222222222>',
  '<@&111111111111111111>',
  '</ask:1>',
  '<t:1700000000:R>',
  '<:wave:1>',
  '```',
  '```js\n',
  '`',
  '**',
  '__',
  '~~',
  '||',
  '> ',
  '>>> ',
  '-# ',
  '# ',
  '- ',
  '1. ',
  '[x](https://evil.example)',
  '\\',
  '"',
  "'",
  '“',
  '”',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '.*',
  '+?',
  '^$',
  '(?<x>',
  '|',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\r',
  '\u2028',
  '\u0085',
  '\u202e',
  '\u2066',
  '\u200b',
  '\ufeff',
  '😀',
  '👨‍👩‍👧',
  '🇰🇵',
  'مرحبا',
  'שלום',
  '김정은',
  'ｆｕｌｌｗｉｄｔｈ',
  'é',
  'e\u0301',
  '\ud800',
  '\udc00',
  'the',
  'of',
  'and',
  'what',
  'is',
  'who',
  'why',
  '...',
  '—',
  '"Kim Jong Un',
  'reservoir"',
  '-',
  'U.S.',
  'Soyuz-2',
  '2023-09-14',
];

const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const token = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...vocabulary) },
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: anyUnit, maxLength: 6 }) },
);
const separator = fc.constantFrom(' ', ' ', ' ', '', '\n', '  ', '\t', '"', '*', '`', '\u200b', '\n\n');
/** Markup and odd characters with no letters or digits: questions made of these and archive words still find passages. */
const markup = fc.constantFrom(
  ' ',
  ' ',
  ' ',
  '\n',
  '```',
  '```\n',
  '`',
  '**',
  '*',
  '__',
  '_',
  '~~',
  '||',
  '|',
  '\n> ',
  '\n>>> ',
  '\n-# ',
  '\n# ',
  '\n- ',
  ' <@',
  '<#',
  ' @',
  '>',
  '<',
  '[',
  '](',
  ')',
  '\\',
  '"',
  '“',
  '\u0000',
  '\u0007',
  '\r\n',
  '\u2028',
  '\u202e',
  '\u2066',
  '\u200b',
  '\ufeff',
  '😀',
  '\ud800',
  '.*',
  '?',
  '!',
);
/** A word no archive holds: letters in no language's order. */
const unknownWord = fc.string({ unit: fc.constantFrom(...'qxzjkvw'), minLength: 3, maxLength: 14 });
/** Long runs of one thing: what made regular expressions and loops rescan text. */
const hostileRun = fc.oneof(
  fc
    .tuple(fc.constantFrom(' ', '\t', '\n', ' \t', '\u00a0', '\n \n', '\u3000'), fc.integer({ min: 100, max: 5000 }))
    .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length))),
  fc
    .tuple(fc.constantFrom('[', '![', '[a](', '(', '*a ', '**', '_', '<!--', '`', '#', '"', '«'), fc.integer({ min: 100, max: 3000 }))
    .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length))),
  fc.array(unknownWord, { minLength: 20, maxLength: 300 }).map((words) => words.join(' ')),
  fc.integer({ min: 101, max: 5000 }).map((n) => 'ab'.repeat(n)),
);

const question = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .array(fc.tuple(fc.constantFrom(...vocabulary), markup), { minLength: 1, maxLength: 8 })
      .map((parts) => parts.map(([w, m]) => w + m).join('')),
  },
  { weight: 6, arbitrary: fc.array(fc.tuple(token, separator), { maxLength: 24 }).map((parts) => parts.map(([t, s]) => t + s).join('')) },
  // Long: one token repeated up to 6,000 characters.
  {
    weight: 1,
    arbitrary: fc
      .tuple(token, fc.integer({ min: 100, max: 6000 }))
      .map(([t, n]) => (t ? `${t} `.repeat(Math.ceil(n / (t.length + 1))).slice(0, n) : ' '.repeat(n))),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 400 }) },
  { weight: 1, arbitrary: fc.string({ unit: anyUnit, maxLength: 400 }) },
  // Hostile runs (issue 10): whitespace, brackets and emphasis marks by the thousand, words no archive holds.
  { weight: 1, arbitrary: fc.array(hostileRun, { minLength: 1, maxLength: 4 }).map((runs) => runs.join('')) },
);
const dateFilter = fc.option(fc.constantFrom('2018', '2020-02', '2022-01-01', '2023-09-20', '2024'), { nil: undefined });
const request = fc.record({
  question,
  results: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
  // Mostly without filters (each filter narrows what can match).
  filters: fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    {
      weight: 1,
      arbitrary: fc.record({
        from: dateFilter,
        to: dateFilter,
        source: fc.option(fc.constantFrom(...archive.sources()), { nil: undefined }),
      }),
    },
  ),
});

type Generated = {
  question: string;
  results: number | undefined;
  filters: { from: string | undefined; to: string | undefined; source: string | undefined } | undefined;
};

function toRequest({ question, results, filters: f }: Generated): AnswerRequest {
  const filters = { ...(f?.from ? { from: f.from } : {}), ...(f?.to ? { to: f.to } : {}), ...(f?.source ? { source: f.source } : {}) };
  const description = Object.entries(filters)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return { question, results, filters, ...(description ? { filterDescription: description } : {}) };
}

describe('generated questions', () => {
  test(
    `/ask: ${fuzzRuns} questions through Archive.search and the answer formatter, every reply well-formed`,
    () => {
      let found = 0;
      fc.assert(
        fc.property(request, (r) => {
          const reply = answer(archive, toRequest(r));
          if (reply.found) found++;
          expectWellFormedAnswer(reply.content, reply.found);
        }),
        { numRuns: fuzzRuns },
      );
      // The generator must reach the interesting path (quotes of trap documents) often, not only "nothing found".
      expect(found).toBeGreaterThan(fuzzRuns / 4);
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    'a question in a channel: whatever the message says around the mention',
    () => {
      fc.assert(
        fc.property(question, question, (before, after) => {
          const text = questionText(`${before}<@${BOT_ID}>${after}`, BOT_ID);
          expect(text).not.toMatch(/<@!?\d+>|<#\d+>|<@&\d+>|@(?:everyone|here)\b/);
          if (!text) return;
          const reply = answer(archive, { question: text });
          expectWellFormedAnswer(reply.content, reply.found);
        }),
        { numRuns: scaled(2000) },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    '/search: every page of results is an embed within Discord’s limits, its lines laid out as a numbered list',
    () => {
      fc.assert(
        fc.property(question, fc.integer({ min: -3, max: 40 }), (query, page) => {
          const body = fitMessage(renderPage(archive, 'session', { query, filters: {} }, page));
          const embed = body.embeds![0]!;
          expect(embed.title!.length).toBeLessThanOrEqual(EMBED_TITLE_MAX);
          expect(embed.description!.length).toBeLessThanOrEqual(EMBED_DESCRIPTION_MAX);
          expect(embed.footer!.text.length).toBeLessThanOrEqual(EMBED_FOOTER_TEXT_MAX);
          expect(embed.title!.length + embed.description!.length + embed.footer!.text.length).toBeLessThanOrEqual(EMBED_TOTAL_MAX);
          for (const text of [embed.title!, embed.description!, embed.footer!.text]) {
            expectShowable(text, 'embed');
            text.split('\n').forEach((line) => expectInlineSafe(line, `embed line ${JSON.stringify(line)}`));
          }
          for (const line of embed.description!.split('\n')) {
            if (line && !/^\*\*\d+\.\*\* /.test(line)) expect(unescaped(line), JSON.stringify(line)).not.toMatch(LINE_START_MARKUP);
          }
        }),
        { numRuns: scaled(2000) },
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('the nasty questions, one by one', () => {
  const cases: Array<[string, string]> = [
    ['empty', ''],
    ['whitespace', ' \t\n '],
    ['one character', 'x'],
    ['6,000 characters', 'reservoir '.repeat(600)],
    ['only stop words', 'what is the of and to a in'],
    ['only punctuation', '?!.,;:…—()[]{}"\'«»'],
    ['emoji and right-to-left text', '😀👨‍👩‍👧 مرحبا بالعالم שלום \u202eevil summit'],
    ['Markdown and code fences', '```js\nrice harvest\n``` **bold** __u__ ~~s~~ ||spoiler|| > quote\n>>> all\n-# sub'],
    ['@everyone', '@everyone where is the spaceport'],
    ['a user mention', '<@123456789012345678> spaceport'],
    ['a channel mention', '<#222222222222222222> spaceport'],
    ['a role mention', '<@&111111111111111111> spaceport'],
    ['regular-expression metacharacters', '.*+?^${}()|[]\\ (?<x>a) spaceport\\'],
    ['unbalanced quotes', '"Kim Jong Un met “Putin'],
    ['control characters', 'rice\u0007\u001b[31m harvest\r\n\u0085'],
    ['a NUL byte', 'rice\u0000harvest'],
  ];

  test.each(cases)('%s: a well-formed answer or an honest "nothing found", echoed safely', (_name, text) => {
    const reply = answer(archive, { question: text });
    expectWellFormedAnswer(reply.content, reply.found);
    expect(NO_PINGS).toEqual({ parse: [], repliedUser: false });
  });

  test('the answers say what they should', () => {
    expect(answer(archive, { question: '' }).content).toContain('The question has no words the archive can search for');
    expect(answer(archive, { question: 'what is the of and to a in' }).content).toContain('The question has no words');
    expect(answer(archive, { question: '@everyone where is the spaceport' }).content).toMatch(
      /^From the archive, for “\\@everyone where is the spaceport”:/,
    );
    expect(answer(archive, { question: 'rice\u0000harvest' }).content).toMatch(/^From the archive, for “riceharvest”:/);
    const long = answer(archive, { question: 'reservoir '.repeat(600) });
    expect(long.found).toBe(true);
    expect(long.content.split('\n')[0]!.length).toBeLessThan(200);
  });
});

describe('generated files', () => {
  const fileText = fc
    .array(
      fc.oneof(
        { weight: 2, arbitrary: hostileRun },
        { weight: 3, arbitrary: fc.constantFrom(...vocabulary) },
        { weight: 1, arbitrary: separator },
      ),
      {
        minLength: 1,
        maxLength: 12,
      },
    )
    .map((parts) => parts.join(' '));
  const frontMatter = fc.option(
    fc.oneof(
      fc.constant('title: Generated'),
      hostileRun,
      fc.array(fc.constantFrom('a: &x [1]', 'b: *x', 'c: [', '- d'), { maxLength: 50 }).map((l) => l.join('\n')),
    ),
    { nil: undefined },
  );

  test(
    'Markdown and HTML of hostile runs load into passages that quote the text verbatim',
    () => {
      fc.assert(
        fc.property(fileText, frontMatter, fc.boolean(), (body, yaml, asHtml) => {
          const source = asHtml
            ? `<html><body><pre>${body}</pre><p>${body}</p></body></html>`
            : yaml === undefined
              ? body
              : `---\n${yaml}\n---\n${body}`;
          const parsed = asHtml
            ? parseHtml(source, { file: 'f.html', maxTitleLength: 200 })
            : parseMarkdown(source, { file: 'f.md', maxTitleLength: 200 });
          expect(parsed.documents.length + parsed.problems.length).toBeGreaterThan(0);
          for (const document of parsed.documents) {
            const analysis = analyzeDocument(document);
            for (const passage of analysis.passages) {
              expect(passage.start).toBeGreaterThanOrEqual(0);
              expect(passage.end).toBeLessThanOrEqual(document.text.length);
              for (const token of passage.tokens) expect(token.end - token.start).toBeLessThanOrEqual(MAX_WORD_CHARS);
            }
          }
        }),
        { numRuns: scaled(300) },
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
