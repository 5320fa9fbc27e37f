/**
 * The parser-free tree for plain prose (src/archive/load/plain-markdown.ts) against the parser
 * itself: whenever it answers, its tree must be exactly fromMarkdown's (with GFM), positions
 * included; and it must answer for plain pages, which is what makes a cold build cheaper.
 */
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { plainMarkdownTree } from '../../../src/archive/load/plain-markdown.js';
import { loadMarkdownReader, parseMarkdown } from '../../../src/archive/load/markdown.js';
import { generatedFile, prng } from '../../fixtures/generated-archive.js';

const parsed = (text: string) => fromMarkdown(text, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });

/** The fast tree, when there is one, is the parser's; returns whether there was one. */
function expectSameTree(text: string): boolean {
  const fast = plainMarkdownTree(text);
  if (fast !== undefined) expect(fast, JSON.stringify(text)).toEqual(parsed(text));
  return fast !== undefined;
}

describe('plainMarkdownTree', () => {
  it('gives the parser’s tree for generated pages, and answers for all of them', () => {
    const random = prng(18);
    const words = ['alpha', 'Beta', 'gamma-ray', "it's", '"quoted"', '1990s', '2024', 'x', 'can;', 'why?', 'www-less', 'A.B.'];
    for (let n = 0; n < 300; n++) expect(expectSameTree(generatedFile(random, words, 1 + (n % 7)))).toBe(true);
  });

  it('gives the parser’s tree, or none, for text full of Markdown’s characters', () => {
    const fixtures = [
      '',
      '\n',
      '# T\n',
      '# T',
      '#T\n\nbody',
      '# T #\n',
      '####### seven\n',
      '###### six\n',
      '# Title\nA line right under it.\n# Next\nMore.',
      'para one\nsame para\n\n\n\npara two\n',
      'line\n# heading interrupts\nline',
      '1. a list\n',
      '1) a list\n',
      '10 items on a line\n',
      '1990. Not a list?\n',
      'a  \nhard break\n',
      'a\\\nb',
      'Setext\n===\n',
      'Setext\n---\n',
      'a\n- item\n',
      'see www.example.com now',
      'see WWW.example.com now',
      'mail a@b.co',
      'http://example.com',
      'x *y* z',
      'a_b_c',
      '`code`',
      '[link](x)',
      '<b>bold</b>',
      'a &amp; b',
      'a | b\n--|--\nc | d',
      '~~gone~~',
      '    indented code',
      ' one space',
      'trailing space ',
      'tab\there',
      'crlf\r\nline',
      '> quote',
      'a - b -- c --- d',
      'it\'s "quoted"; fine? yes.',
      '# 1. numbered heading\n\nText.',
      'x\n\n \n\ny',
      'Ünïcode words',
      '"Quoted" start\n\n\'single\' start',
    ];
    for (const text of fixtures) expectSameTree(text);
    expect(plainMarkdownTree('# Title\n\nPlain words, and more; fine? yes.\nSecond line.\n\n## Part\n\n2024 was a year.\n')).toBeDefined();
  });

  it('gives the parser’s tree, or none, for random text of Markdown’s characters', () => {
    const random = prng(Number(process.env.FUZZ_SEED) || 1818);
    const alphabet = [
      'a',
      'B',
      '1',
      '0',
      ' ',
      ' ',
      '\n',
      '\n\n',
      '#',
      '# ',
      '.',
      ',',
      '-',
      '*',
      '_',
      '`',
      '[',
      ']',
      '(',
      ')',
      '<',
      '>',
      '!',
      ':',
      '|',
      '~',
      '=',
      '+',
      '\\',
      '&',
      '"',
      "'",
      'www.',
      '\t',
      '1.',
    ];
    let answered = 0;
    for (let n = 0; n < 3000; n++) {
      let text = '';
      const length = 1 + Math.floor(random() * 40);
      for (let i = 0; i < length; i++) {
        // Mostly the safe characters, so that many texts are close to plain.
        const pick = random() < 0.7 ? Math.floor(random() * 10) : Math.floor(random() * alphabet.length);
        text += alphabet[pick];
      }
      if (expectSameTree(text)) answered++;
    }
    expect(answered).toBeGreaterThan(50);
  });

  it('leaves a page read through it as the parser reads it', async () => {
    await loadMarkdownReader();
    const source = '# Guide\n\nFirst paragraph, plain.\nIts second line.\n\n## Install\n\nRun it; done.\n';
    const document = parseMarkdown(source, { file: 'guide.md', maxTitleLength: 200 }).documents[0]!;
    expect(document.title).toBe('Guide');
    expect(document.text).toBe('First paragraph, plain. Its second line.\n\nRun it; done.');
    expect(document.layout!.sections).toEqual([{ headings: ['Install'], anchor: 'install' }]);
  });
});
