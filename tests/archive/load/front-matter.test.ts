import { describe, expect, it } from 'vitest';
import { loadMarkdownReader, parseMarkdown, setFrontMatter } from '../../../src/archive/load/markdown.js';

await loadMarkdownReader();

const context = { file: 'uploads/note.md', maxTitleLength: 200 };
const bytes = (text: string) => Buffer.from(text, 'utf8');

/** Writes `fields` into `text`'s front matter and reads the file back as the loader does. */
function roundTrip(text: string | Uint8Array, fields: Parameters<typeof setFrontMatter>[1]) {
  const written = setFrontMatter(typeof text === 'string' ? bytes(text) : text, fields);
  if (!written.ok) return written;
  const out = Buffer.from(written.bytes).toString('utf8');
  return { ok: true, text: out, document: parseMarkdown(out, context).documents[0] };
}

describe('setFrontMatter', () => {
  it('gives a file without front matter some, and the loader reads the fields back; the body is untouched', () => {
    // The heading that differs from the title is a section heading: not in the text, which is the page's words.
    const result = roundTrip('# Heading\n\nThe sluice gates were repaired.\n', {
      title: 'Repairs: a report',
      source: 'KCNA',
      date: '2024-03-01',
    });
    expect(result).toMatchObject({
      ok: true,
      document: { title: 'Repairs: a report', source: 'KCNA', date: '2024-03-01', text: 'The sluice gates were repaired.' },
    });
    expect((result as { text: string }).text.endsWith('---\n# Heading\n\nThe sluice gates were repaired.\n')).toBe(true);
  });

  it('keeps the other keys, and replaces other spellings of the same field', () => {
    const source = '---\nHeadline: Old title\nPublisher: Old source\nurl: https://example.org/a\ntags: [water]\n---\nBody text here.\n';
    const result = roundTrip(source, { title: 'New title', source: 'New source' });
    expect(result).toMatchObject({
      ok: true,
      document: { title: 'New title', source: 'New source', url: 'https://example.org/a', tags: ['water'], text: 'Body text here.' },
    });
    const text = (result as { text: string }).text;
    expect(text).not.toMatch(/Headline|Publisher/);
  });

  it('a value YAML would misread (a colon, a leading quote, a number) is quoted and read back as written', () => {
    const result = roundTrip('Body.\n', { title: '"Quoted": yes # not a comment', source: '2024' });
    expect(result).toMatchObject({ ok: true, document: { title: '"Quoted": yes # not a comment', source: '2024' } });
  });

  it('nothing to set: the bytes are returned as they were', () => {
    const original = bytes('---\ntitle: T\n---\nBody\r\n');
    expect(setFrontMatter(original, {})).toEqual({ ok: true, bytes: original });
    const binary = Uint8Array.from([0xff, 0x00]);
    expect(setFrontMatter(binary, { title: undefined })).toEqual({ ok: true, bytes: binary });
  });

  it('refuses with the loader’s own reasons: bytes that are not UTF-8, front matter that is not YAML', () => {
    expect(setFrontMatter(Uint8Array.from([0xff, 0xfe, 0x41, 0x00]), { title: 'x' })).toEqual({
      ok: false,
      reason: 'not valid UTF-8 text',
    });
    expect(setFrontMatter(bytes('---\ntitle: Fine\nsummary: a: b\n---\nBody.\n'), { title: 'x' })).toEqual({
      ok: false,
      reason: 'invalid YAML front matter: Nested mappings are not allowed in compact mappings',
    });
  });

  it('front matter over the loader’s 16 KB limit is refused with its reason, not parsed (a 90 KB one froze the bot)', () => {
    const keys = Array.from({ length: 9000 }, (_, i) => `k${i}: ${i}`).join('\n');
    const size = Buffer.byteLength(keys);
    expect(size).toBeGreaterThan(90_000);
    expect(setFrontMatter(bytes(`---\n${keys}\n---\nBody.\n`), { title: 'x' })).toEqual({
      ok: false,
      reason: `front matter is larger than the 16 KB limit (${size} bytes)`,
    });
    // Just under the limit it is read, as the loader reads it.
    const under = keys.slice(0, keys.lastIndexOf('\n', 15 * 1024));
    expect(roundTrip(`---\n${under}\n---\nBody.\n`, { title: 'x' })).toMatchObject({ ok: true, document: { title: 'x' } });
  });

  it('an empty front matter block gets the fields', () => {
    expect(roundTrip('---\n---\n# Note\n\nBody.\n', { date: '2023-09' })).toMatchObject({
      ok: true,
      document: { title: 'Note', date: '2023-09', text: 'Body.' },
    });
  });
});
