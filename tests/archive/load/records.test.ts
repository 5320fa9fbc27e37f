import { describe, expect, it } from 'vitest';
import { parseJson } from '../../../src/archive/load/records.js';

const context = { file: 'folder/example.md', maxTitleLength: 200 };

describe('parseJson', () => {
  it('reports a record that is not an object, and an object with two record arrays', () => {
    expect(parseJson('[{"text": "ok"}, "just a string"]', context).problems).toEqual([{ line: 2, reason: 'record is not a JSON object' }]);
    expect(parseJson('{"a": [{"text": "x"}], "b": [{"text": "y"}]}', context).problems).toEqual([
      { reason: 'no records found (expected an array of objects)' },
    ]);
  });

  it('reads a single object with text as one document named by its path', () => {
    expect(parseJson('{"title": "Solo", "text": "Only one."}', context)).toEqual({
      documents: [{ title: 'Solo', text: 'Only one.' }],
      problems: [],
    });
  });

  it('titles a record without a title by its first line, or by file and number when that is long', () => {
    const long = 'word '.repeat(60);
    const { documents } = parseJson(JSON.stringify([{ text: 'Short first line\nRest.' }, { text: long }]), context);
    expect(documents.map((d) => d.title)).toEqual(['Short first line', 'example #2']);
    expect(documents[0]?.text).toBe('Short first line\nRest.');
  });

  it('normalises line ends and Unicode inside JSON strings', () => {
    const [document] = parseJson('[{"title": "Caf\\u0065\\u0301", "text": "a\\r\\nb"}]', context).documents;
    expect(document).toMatchObject({ title: 'Café', text: 'a\nb' });
  });
});
