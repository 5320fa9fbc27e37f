import { describe, expect, it } from 'vitest';
import { loadMarkdownReader, parseMarkdown, plainTitle } from '../../../src/archive/load/markdown.js';

await loadMarkdownReader();

const context = { file: 'folder/example.md', maxTitleLength: 200 };

describe('plainTitle', () => {
  it.each([
    ['## **A New Landmark, Summit at a Spaceport**', 'A New Landmark, Summit at a Spaceport'],
    ['# Title #', 'Title'],
    ['*Emphasis* and snake_case_name', 'Emphasis and snake_case_name'],
    ['> ## [Linked](https://x) `code`', 'Linked code'],
    ['Not \\*emphasis\\*', 'Not *emphasis*'],
    ['<!-- note --> <b>Bold</b>', 'Bold'],
    ['---', ''],
    ['   ', ''],
  ])('%j → %j', (line, expected) => {
    expect(plainTitle(line)).toBe(expected);
  });
});

describe('parseMarkdown', () => {
  it('reports the file line of a YAML error, counting the opening ---', () => {
    const source = '---\ntitle: Fine\nsummary: a: b\n---\nBody.\n';
    expect(parseMarkdown(source, context)).toEqual({
      documents: [],
      problems: [{ line: 3, reason: 'invalid YAML front matter: Nested mappings are not allowed in compact mappings' }],
    });
  });

  it('refuses front matter that is not key: value fields', () => {
    expect(parseMarkdown('---\n- a\n- b\n---\nBody.\n', context).problems).toEqual([
      { line: 2, reason: 'invalid YAML front matter: expected "key: value" fields' },
    ]);
  });

  it('keeps a heading that differs from the front-matter title, as a section', () => {
    const [document] = parseMarkdown('---\ntitle: Front\ntags: [a, b]\n---\n# Section\n\nBody.\n', context).documents;
    expect(document).toMatchObject({ title: 'Front', tags: ['a', 'b'], text: 'Body.' });
    expect(document?.layout?.sections).toEqual([{ headings: ['Section'], anchor: 'section' }]);
  });

  it('falls back to the file name when there is no title line', () => {
    const [document] = parseMarkdown('---\ntitle:\n---\n', context).documents;
    expect(document?.title).toBe('example');
  });
});
