/**
 * Every file costs work proportional to its size (issue 10, items 2, 3, 7, 11): hostile layouts
 * that made a regular expression or a loop rescan the text — long runs of spaces, a first line
 * full of `[`, one 1 MB paragraph, 100,000 tags — must scale linearly, checked by input-size
 * scaling (see helpers/scaling.ts), never by a wall-clock limit.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText, MAX_WORD_CHARS } from '../../src/archive/analysis/analyze.js';
import { collectReadings, type FileReading } from '../../src/archive/load/index.js';
import { readTags } from '../../src/archive/load/fields.js';
import { parseHtml } from '../../src/archive/load/html.js';
import { loadMarkdownReader, MAX_FRONT_MATTER_BYTES, MAX_MARKUP_CHARS, parseMarkdown, parseText } from '../../src/archive/load/markdown.js';
import { splitPassages } from '../../src/archive/passages.js';
import { expectLinearWork } from '../helpers/scaling.js';

await loadMarkdownReader();

const context = { file: 'hostile.md', maxTitleLength: 200 };
const KB = 1024;
/** The larger input of each pair is 1 MB. */
const QUARTER_MB = 256 * KB;

const markdown = (source: string) => parseMarkdown(source, context);

const HOSTILE_MARKDOWN: Array<[string, (n: number) => string]> = [
  ['spaces in mid-line', (n: number) => `Title\n\nSome text.${' '.repeat(n)}more text.\n`],
  ['tabs and spaces at a line start', (n: number) => `Title\n\n${' \t'.repeat(n / 2)}x y z\n`],
  ['a first line of [', (n: number) => `${'['.repeat(n)}\n\nBody text.`],
  ['a first line of ![', (n: number) => `${'!['.repeat(n / 2)}\n\nBody text.`],
  ['a first line of unclosed links', (n: number) => `${'[a]('.repeat(n / 4)}\n\nBody text.`],
  ['a first line of unclosed emphasis', (n: number) => `${' *a **b _c'.repeat(n / 10)}\n\nBody text.`],
  ['a first line of unclosed comments', (n: number) => `${'<!--'.repeat(n / 4)}\n\nBody text.`],
];

/**
 * Timing 1 MB inputs five times over, twice when a busy machine skews a ratio, takes over 30 s at a
 * load of 8 on two cores: the bound is the ratio, not the time, so the time limit is generous.
 */
const SCALING_TIMEOUT_MS = 180_000;

describe('loading a hostile file costs work linear in its size', () => {
  it.each(HOSTILE_MARKDOWN)(
    'Markdown: %s',
    (_name, make) => {
      expectLinearWork(make, markdown, QUARTER_MB);
    },
    SCALING_TIMEOUT_MS,
  );

  // The parser itself, on pages under the markup budget (it reads hostile markup at ~8 KB a second).
  it.each(HOSTILE_MARKDOWN)('Markdown parsed as a page: %s', (_name, make) => {
    expectLinearWork(make, markdown, 2 * KB, 2);
  });

  it('a page over the markup budget is read as plain text, its markup shown as written', () => {
    const link = 'See [the guide](https://example.org/guide) for more.';
    expect(markdown(`# Page\n\n${link}\n`).documents[0]?.text).toBe('See the guide for more.');
    const [page] = markdown(`# Page\n\n${link}\n\n${'['.repeat(MAX_MARKUP_CHARS)}\n`).documents;
    expect(page?.text.startsWith(link)).toBe(true);
    expect(page?.layout).toBeUndefined();
  });

  it('HTML: a long run of spaces inside <pre>', () => {
    const page = (n: number) => `<html><body><p>Intro.</p><pre>a${' '.repeat(n)}b</pre></body></html>`;
    expectLinearWork(page, (html) => parseHtml(html, { ...context, file: 'hostile.html' }), QUARTER_MB);
  });

  it('plain text: the first line is not searched for a title past the first few thousand characters', () => {
    const text = (source: string) => parseText(source, { ...context, file: 'hostile.txt' });
    const rules = '* * *\n'.repeat(1000);
    expect(text(`${rules.slice(0, 3000)}Early title\n\nBody.`).documents[0]?.title).toBe('Early title');
    expect(text(`${rules}Late title line\n\nBody.`).documents[0]?.title).toBe('hostile');
  });

  it('a heading too long to be a title stays the heading of its section', () => {
    const long = `# ${'word '.repeat(400)}`;
    const [document] = markdown(`${long}\n\nBody.`).documents;
    expect(document?.title).toBe('hostile');
    expect(document?.text).toBe('Body.');
    expect(document?.layout?.sections[0]?.headings).toEqual([long.slice(2).trimEnd()]);
  });
});

describe('front matter has a size limit', () => {
  const frontMatter = (yaml: string) => `---\n${yaml}\n---\nBody text.\n`;

  it('skips a file whose front matter is over the limit, with the reason, without parsing it', () => {
    // 300,000 keys (3 MB) hung the load; it is now refused by its size alone.
    const keys = Array.from({ length: 300_000 }, (_, i) => `key${i}: value`).join('\n');
    const result = markdown(frontMatter(keys));
    expect(result).toEqual({
      documents: [],
      problems: [{ line: 2, reason: `front matter is larger than the 16 KB limit (${Buffer.byteLength(keys)} bytes)` }],
    });
  });

  it('skips 50,000 anchors and aliases the same way', () => {
    const anchors = Array.from({ length: 50_000 }, (_, i) => `a${i}: &x${i} [1]\nb${i}: *x${i}`).join('\n');
    expect(markdown(frontMatter(anchors)).problems[0]?.reason).toMatch(/^front matter is larger than the 16 KB limit/);
  });

  it('still reads front matter just under the limit', () => {
    const filler = `summary: "${'x'.repeat(MAX_FRONT_MATTER_BYTES - 40)}"`;
    const yaml = `title: Kept\n${filler}`;
    expect(Buffer.byteLength(yaml)).toBeLessThanOrEqual(MAX_FRONT_MATTER_BYTES);
    expect(markdown(frontMatter(yaml)).documents[0]?.title).toBe('Kept');
  });
});

describe('tags are de-duplicated in linear time', () => {
  it('one record with many tags', () => {
    expectLinearWork((n) => [Array.from({ length: n }, (_, i) => `tag ${i}`)], readTags, 25_000);
  });

  it('many repeats of one text, each bringing new tags', () => {
    const readings = (n: number): FileReading[] => [
      {
        file: 'repeats.jsonl',
        documents: Array.from({ length: n }, (_, i) => ({ title: 't', text: 'The same text.', tags: [`tag ${i}`, 'common'] })),
        problems: [],
      },
    ];
    expectLinearWork(readings, (r) => collectReadings([], r), 10_000);
    const { loaded } = collectReadings([], readings(3));
    expect(loaded.documents[0]?.tags).toEqual(['tag 0', 'common', 'tag 1', 'tag 2']);
    expect(loaded.duplicates).toBe(2);
  });
});

describe('passages of long paragraphs are cut in linear time', () => {
  /** Text and its sentence spans, without wink (passages are what is measured). */
  const withSentences = (text: string) => {
    const sentences = [];
    for (let start = 0, end = text.indexOf('.'); end !== -1; start = end + 1, end = text.indexOf('.', start)) {
      sentences.push({ start, end: end + 1 });
    }
    return { text, sentences };
  };

  it('one paragraph of many sentences (a 19 MB one took 39 s)', () => {
    const make = (n: number) => withSentences(`Title\n\n${'Word is here. '.repeat(n / 14)}`);
    expectLinearWork(make, ({ text, sentences }) => splitPassages(text, sentences), QUARTER_MB);
  });

  it('many long paragraphs', () => {
    const make = (n: number) => withSentences(`${`${'Word is here. '.repeat(100)}\n\n`.repeat(n / 1402)}`);
    expectLinearWork(make, ({ text, sentences }) => splitPassages(text, sentences), QUARTER_MB);
  });

  it('many lines that each continue the sentence before', () => {
    const make = (n: number) => {
      const lines = Array.from({ length: n / 20 }, (_, i) => `and the ${'next '.repeat(i % 7)}line`);
      return withSentences(lines.join('\n'));
    };
    expectLinearWork(make, ({ text, sentences }) => splitPassages(text, sentences), QUARTER_MB);
  });
});

describe('analysis of over-long tokens', () => {
  it.each([
    ['one word of 1 MB', (n: number) => 'ab'.repeat(n / 2)],
    ['one hyphenated compound', (n: number) => 'a-'.repeat(n / 2)],
    ['glued capitals', (n: number) => 'aB'.repeat(n / 2)],
  ])('%s', (_name, make) => {
    expectLinearWork(make, analyzeText, QUARTER_MB);
  });

  it('indexes words up to the limit and leaves a longer run out, offsets intact', () => {
    const longest = 'x'.repeat(MAX_WORD_CHARS);
    const text = `alpha ${longest} ${'y'.repeat(MAX_WORD_CHARS + 1)} omega`;
    const tokens = analyzeText(text).tokens.map((t) => text.slice(t.start, t.end));
    expect(tokens).toEqual(['alpha', longest, 'omega']);
  });
});
