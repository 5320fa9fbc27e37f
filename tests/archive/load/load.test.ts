import { mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArchive, MAX_FILE_BYTES } from '../../../src/archive/load/index.js';
import type { ArchiveDocument, LoadedArchive } from '../../../src/archive/types.js';

/**
 * One tricky archive, built fresh in a temp folder: every format, every way a file can be broken,
 * hidden and ignored entries, symlinks in and out, nested folders and repeated texts.
 */
let tmp: string;
let root: string;
let outside: string;
let archive: LoadedArchive;

const NO_TEXT = 'record has no text (looked for text, body, content, story_text, context)';

async function put(path: string, content: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

function doc(id: string): ArchiveDocument {
  const found = archive.documents.find((d) => d.id === id);
  if (!found) throw new Error(`no document ${id}; have ${archive.documents.map((d) => d.id).join(', ')}`);
  return found;
}

function skippedFor(file: string): { line?: number; reason: string }[] {
  return archive.skipped.filter((s) => s.file === file).map(({ line, reason }) => (line === undefined ? { reason } : { line, reason }));
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'archivist-load-'));
  root = join(tmp, 'archive');
  outside = join(tmp, 'outside');

  await put(
    join(root, 'notes/good.md'),
    [
      '---',
      'title: "Front Matter Title"',
      'source: Archive Weekly',
      'date: 2024-03-05',
      'link: https://example.org/good',
      'tags: alpha, beta',
      'id: good-1',
      '---',
      '# Front Matter Title',
      '',
      'First paragraph of the good note.',
      '',
      'Second paragraph of the good note.',
      '',
    ].join('\n'),
  );
  await put(join(root, 'notes/broken-front-matter.md'), '---\ntitle: Broken\ntags: [one, two\n---\nBody of a broken note.\n');
  await put(join(root, 'notes/heading.md'), '\n\n## **Heading Title**\n\nBody under the heading.\n');
  await put(join(root, 'notes/setext.markdown'), 'Setext Title\n============\n\nBody under a setext heading.\n');
  await put(join(root, 'notes/plain.txt'), 'Plain First Line\nSecond line of the plain text.\n');
  await put(join(root, 'notes/long-first-line.txt'), `${'A very long opening sentence that goes on. '.repeat(6)}\n\nMore.\n`);
  // A BOM, Windows line ends and a decomposed é (e + U+0301) all disappear in loading.
  await put(join(root, 'notes/windows.txt'), '\uFEFFCafe\u0301 Notes\r\nLine one of the caf\u0065\u0301.\r\nLine two.\r\n');
  await put(join(root, 'deep/a/b/c/nested.md'), '# Nested Deep\n\nText from deep inside the folders.\n');

  await put(
    join(root, 'records/articles.json'),
    JSON.stringify(
      [
        {
          topic: 'Top News',
          headline: 'Epoch Record',
          link: 'https://example.org/1',
          date: 1703376000000,
          story_text: 'Text of the epoch record.',
        },
        { topic: 'Top News', headline: 'No Text Record', date: 1703376000000, story_text: '' },
        { Title: 'ISO Record', Body: 'Text of the ISO record.', Date: '2024-01-02T10:30:00Z', source: { name: 'Wire' } },
        { id: 42, title: 'Own Id Record', content: 'Text of the record with its own id.', date: '2024-01-02', tags: ['x', 'y'] },
        { title: 'Whitespace Record', text: '   \n  ' },
        { topic: 'Commentary', headline: 'Epoch Record Again', story_text: 'Text  of the\nepoch record.' },
      ],
      null,
      2,
    ),
  );
  await put(
    join(root, 'records/feed.jsonl'),
    [
      '{"title": "Line One", "text": "Text of JSONL line one.", "date": "1703462400000"}',
      '',
      '{"title": "Broken Line", "text": }',
      '{"headline": "Line Four", "context": "Text of JSONL line four.", "category": "cat-a, cat-b"}',
    ].join('\n'),
  );
  await put(
    join(root, 'records/wrapped.json'),
    JSON.stringify({ status: 'ok', articles: [{ title: 'Wrapped', text: 'Text inside a wrapper object.' }] }),
  );
  await put(
    join(root, 'records/lines-in.json'),
    '{"title": "Lines A", "body": "Text of lines A."}\n{"title": "Lines B", "body": "Text of lines B."}\n',
  );
  await put(join(root, 'records/syntax-error.json'), '[\n  {"title": "fine", "text": "x"},\n  {"title": "bad" "text": "y"}\n]\n');
  await put(join(root, 'records/clash.jsonl'), '{"id": "42", "title": "Clashing Id", "text": "A different text under a taken id."}\n');

  await put(
    join(root, 'web/page.html'),
    `<!DOCTYPE html><html><head><title>Summit &amp; Spaceport</title>
<meta name="date" content="2023-09-14"><meta property="og:site_name" content="KCNA Watch">
<link rel="canonical" href="https://example.org/summit">
<style>p { color: red }</style><script>var secret = "SCRIPT TEXT";</script></head>
<body><header><div>SITE BANNER</div></header><nav><a href="/">NAV HOME</a></nav>
<main><article><h1>Summit &amp; Spaceport</h1>
<p>Kim Jong Un met   Putin at the <a href="https://x.example">Vostochny</a> Spaceport.</p>
<p>Second <b>paragraph</b>.</p><aside>ASIDE RELATED</aside><form><label>FORM LABEL</label><input name="q"></form>
</article></main><footer>FOOTER COPYRIGHT</footer></body></html>`,
  );
  await put(join(root, 'web/untitled.htm'), '<h1>Heading Only</h1><p>Paragraph after the only heading.</p>');

  await put(join(root, 'bad/invalid-utf8.txt'), new Uint8Array([0x48, 0x69, 0x20, 0xff, 0xfe, 0x21]));
  await put(join(root, 'bad/binary.txt'), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
  await put(join(root, 'bad/nul.txt'), 'looks like text\u0000but has a NUL');
  await put(join(root, 'bad/empty.md'), '');
  await put(join(root, 'bad/blank.json'), '  \n\n');
  await put(join(root, 'bad/front-matter-only.md'), '---\ntitle: Only Metadata\n---\n# Only Metadata\n');
  await truncate(join(root, 'bad/huge.txt'), 0).catch(() => undefined);
  await put(join(root, 'bad/huge.txt'), '');
  await truncate(join(root, 'bad/huge.txt'), MAX_FILE_BYTES + 1); // sparse: costs no disk

  // Same text as notes/heading.md's body, spaced differently, and later in path order: a duplicate.
  await put(join(root, 'notes/zz-copy.md'), '# Another Title\n\nBody   under\nthe heading.\n');

  // Ignored entirely: unsupported extensions, hidden entries, installed packages.
  await put(join(root, 'LICENSE'), 'Permission is hereby granted.');
  await put(join(root, 'image.png'), new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
  await put(join(root, '.hidden/secret.md'), '# Hidden\n\nHIDDEN TEXT');
  await put(join(root, '.archivist-cache/index.json'), '[{"text": "CACHE TEXT"}]');
  // What /remove moved aside stays out; what /upload wrote is read like any other folder.
  await put(join(root, '.archivist-trash/uploads/removed.md'), '# Removed\n\nTRASHED TEXT');
  await put(join(root, 'uploads/added.md'), '# Added by an admin\n\nUploaded text.');
  await put(join(root, 'node_modules/pkg/README.md'), '# Package\n\nPACKAGE TEXT');

  // Symlinks: out of the archive (file and folder) are refused; a loop back inside ends.
  await put(join(outside, 'secret.md'), '# Outside\n\nSECRET OUTSIDE TEXT');
  await symlink(join(outside, 'secret.md'), join(root, 'link-out.md'));
  await symlink(outside, join(root, 'link-out-dir'));
  await symlink(join(root, 'deep'), join(root, 'deep/a/loop'));
  await symlink(join(root, 'nowhere.md'), join(root, 'broken-link.md'));

  archive = await loadArchive(root);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('loadArchive on a folder', () => {
  it('loads exactly the expected documents, in sorted path order', () => {
    expect(archive.documents.map((d) => d.id)).toEqual([
      'deep/a/b/c/nested.md',
      'good-1',
      'notes/heading.md',
      'notes/long-first-line.txt',
      'notes/plain.txt',
      'notes/setext.markdown',
      'notes/windows.txt',
      'records/articles.json#1',
      'records/articles.json#3',
      '42',
      'records/clash.jsonl#1',
      'records/feed.jsonl#1',
      'records/feed.jsonl#3',
      'records/lines-in.json#1',
      'records/lines-in.json#2',
      'records/wrapped.json#1',
      'uploads/added.md',
      'web/page.html',
      'web/untitled.htm',
    ]);
  });

  it('reads front matter: title, source, date, link, comma tags, id; drops the repeated heading', () => {
    const { layout, ...fields } = doc('good-1');
    expect(layout?.blocks.map((block) => block.kind)).toEqual(['prose', 'prose']);
    expect(fields).toEqual({
      id: 'good-1',
      title: 'Front Matter Title',
      text: 'First paragraph of the good note.\n\nSecond paragraph of the good note.',
      file: 'notes/good.md',
      source: 'Archive Weekly',
      date: '2024-03-05',
      url: 'https://example.org/good',
      tags: ['alpha', 'beta'],
    });
  });

  it('skips a file with bad front matter, naming the line of the YAML error', () => {
    expect(skippedFor('notes/broken-front-matter.md')).toEqual([
      {
        line: 3,
        reason: 'invalid YAML front matter: Flow sequence in block collection must be sufficiently indented and end with a ]',
      },
    ]);
  });

  it('takes the title from the first heading or line and removes it from the text', () => {
    expect(doc('notes/heading.md')).toMatchObject({ title: 'Heading Title', text: 'Body under the heading.' });
    expect(doc('notes/setext.markdown')).toMatchObject({ title: 'Setext Title', text: 'Body under a setext heading.' });
    expect(doc('notes/plain.txt')).toMatchObject({ title: 'Plain First Line', text: 'Second line of the plain text.' });
    expect(doc('deep/a/b/c/nested.md')).toMatchObject({ title: 'Nested Deep', file: 'deep/a/b/c/nested.md' });
  });

  it('keeps a long first line as text and names the document after its file', () => {
    const long = doc('notes/long-first-line.txt');
    expect(long.title).toBe('long-first-line');
    expect(long.text.startsWith('A very long opening sentence')).toBe(true);
    expect(long.text.endsWith('More.')).toBe(true);
  });

  it('strips the BOM, normalises line ends and Unicode (NFC)', () => {
    const windows = doc('notes/windows.txt');
    expect(windows.title).toBe('Caf\u00e9 Notes');
    expect(windows.text).toBe('Line one of the caf\u00e9.\nLine two.');
  });

  it('maps JSON record fields: headline, link, epoch-ms dates, topic tags, nested source, own ids', () => {
    expect(doc('records/articles.json#1')).toEqual({
      id: 'records/articles.json#1',
      title: 'Epoch Record',
      text: 'Text of the epoch record.',
      file: 'records/articles.json',
      date: '2023-12-24',
      url: 'https://example.org/1',
      // The later copy of this text was filed under another topic.
      tags: ['Top News', 'Commentary'],
    });
    expect(doc('records/articles.json#3')).toMatchObject({
      title: 'ISO Record',
      text: 'Text of the ISO record.',
      date: '2024-01-02T10:30:00.000Z',
      source: 'Wire',
    });
    expect(doc('42')).toMatchObject({ title: 'Own Id Record', date: '2024-01-02', tags: ['x', 'y'] });
  });

  it('skips records without text, naming the record number, and loads the rest', () => {
    expect(skippedFor('records/articles.json')).toEqual([
      { line: 2, reason: NO_TEXT },
      { line: 5, reason: NO_TEXT },
    ]);
  });

  it('skips an invalid JSON line with its line number; ids count records', () => {
    const skipped = skippedFor('records/feed.jsonl');
    expect(skipped).toHaveLength(1);
    expect(skipped[0]?.line).toBe(3);
    expect(skipped[0]?.reason).toMatch(/^invalid JSON: /);
    expect(doc('records/feed.jsonl#1')).toMatchObject({ title: 'Line One', date: '2023-12-25' });
    expect(doc('records/feed.jsonl#3')).toMatchObject({ title: 'Line Four', text: 'Text of JSONL line four.', tags: ['cat-a', 'cat-b'] });
  });

  it('reads an object holding one array of records, and JSON Lines in a .json file', () => {
    expect(doc('records/wrapped.json#1')).toMatchObject({ title: 'Wrapped', text: 'Text inside a wrapper object.' });
    expect(doc('records/lines-in.json#2')).toMatchObject({ title: 'Lines B', text: 'Text of lines B.' });
  });

  it('skips a whole JSON file with a syntax error, with the line where V8 reports a position', () => {
    // The message itself is V8's (and may change with Node); the line is ours.
    const [problem, ...rest] = skippedFor('records/syntax-error.json');
    expect(rest).toEqual([]);
    expect(problem?.line).toBe(3);
    expect(problem?.reason).toMatch(/^invalid JSON: .*position \d+/);
  });

  it('gives a record whose own id is taken its path id instead', () => {
    expect(doc('records/clash.jsonl#1')).toMatchObject({ title: 'Clashing Id', text: 'A different text under a taken id.' });
  });

  it('reads HTML: title, readable text, metadata; drops scripts, styles and page furniture', () => {
    const page = doc('web/page.html');
    expect(page).toEqual({
      id: 'web/page.html',
      title: 'Summit & Spaceport',
      text: 'Kim Jong Un met Putin at the Vostochny Spaceport.\n\nSecond paragraph.',
      file: 'web/page.html',
      source: 'KCNA Watch',
      date: '2023-09-14',
      url: 'https://example.org/summit',
    });
    expect(doc('web/untitled.htm')).toMatchObject({ title: 'Heading Only', text: 'Paragraph after the only heading.' });
  });

  it('skips undecodable, binary, empty and oversized files with their reasons', () => {
    expect(skippedFor('bad/invalid-utf8.txt')).toEqual([{ reason: 'not valid UTF-8 text' }]);
    expect(skippedFor('bad/binary.txt')).toEqual([{ reason: 'not valid UTF-8 text' }]);
    expect(skippedFor('bad/nul.txt')).toEqual([{ reason: 'not valid UTF-8 text' }]);
    expect(skippedFor('bad/empty.md')).toEqual([{ reason: 'empty text' }]);
    expect(skippedFor('bad/blank.json')).toEqual([{ reason: 'empty text' }]);
    expect(skippedFor('bad/front-matter-only.md')).toEqual([{ reason: 'empty text' }]);
    expect(skippedFor('bad/huge.txt')).toEqual([{ reason: `file is larger than the 20 MB limit (${MAX_FILE_BYTES + 1} bytes)` }]);
  });

  it('counts repeated texts as duplicates and keeps the first', () => {
    // notes/zz-copy.md repeats notes/heading.md; articles.json #6 repeats #1.
    expect(archive.duplicates).toBe(2);
    expect(archive.documents.some((d) => d.file === 'notes/zz-copy.md')).toBe(false);
  });

  it('ignores hidden entries, node_modules and unsupported extensions without a trace', () => {
    const files = new Set([...archive.documents.map((d) => d.file), ...archive.skipped.map((s) => s.file)]);
    for (const file of files) expect(file).not.toMatch(/^\.|node_modules|LICENSE|\.png$/);
    const allText = archive.documents.map((d) => d.text).join('\n');
    expect(allText).not.toMatch(/HIDDEN TEXT|CACHE TEXT|TRASHED TEXT|PACKAGE TEXT/);
    expect(doc('uploads/added.md').title).toBe('Added by an admin');
  });

  it('does not follow symlinks out of the archive, records them, and survives a link loop', () => {
    expect(skippedFor('link-out.md')).toEqual([{ reason: 'symlink points outside the archive' }]);
    expect(skippedFor('link-out-dir')).toEqual([{ reason: 'symlink points outside the archive' }]);
    expect(skippedFor('broken-link.md')).toEqual([{ reason: 'broken symlink' }]);
    expect(archive.documents.map((d) => d.text).join('\n')).not.toContain('SECRET OUTSIDE TEXT');
    expect(archive.documents.filter((d) => d.file.includes('loop'))).toEqual([]);
  });

  it('reports nothing else as skipped', () => {
    expect(archive.skipped.map((s) => s.file).sort()).toEqual([
      'bad/binary.txt',
      'bad/blank.json',
      'bad/empty.md',
      'bad/front-matter-only.md',
      'bad/huge.txt',
      'bad/invalid-utf8.txt',
      'bad/nul.txt',
      'broken-link.md',
      'link-out-dir',
      'link-out.md',
      'notes/broken-front-matter.md',
      'records/articles.json',
      'records/articles.json',
      'records/feed.jsonl',
      'records/syntax-error.json',
    ]);
  });

  it('loads the same archive the same way twice', async () => {
    expect(await loadArchive(root)).toEqual(archive);
  });
});

describe('loadArchive on one file, and on paths it cannot load', () => {
  it('loads a single file with ids relative to its folder', async () => {
    const loaded = await loadArchive(join(root, 'records/articles.json'));
    expect(loaded.documents.map((d) => d.id)).toEqual(['articles.json#1', 'articles.json#3', '42']);
    expect(loaded.skipped.map((s) => [s.file, s.line])).toEqual([
      ['articles.json', 2],
      ['articles.json', 5],
    ]);
    expect(loaded.duplicates).toBe(1);
  });

  it('throws "Cannot load archive: …" for a missing path', async () => {
    const missing = join(tmp, 'no-such-archive');
    await expect(loadArchive(missing)).rejects.toThrow(`Cannot load archive: ${missing} does not exist`);
  });

  it('throws for a single file of an unsupported type', async () => {
    await expect(loadArchive(join(root, 'LICENSE'))).rejects.toThrow(
      /^Cannot load archive: .*LICENSE is not a supported file type \(\.md \.markdown \.txt \.json \.jsonl \.ndjson \.html \.htm\)$/,
    );
  });

  it('honours a smaller maxFileBytes', async () => {
    const loaded = await loadArchive(join(root, 'notes/plain.txt'), { maxFileBytes: 10 });
    expect(loaded.documents).toEqual([]);
    expect(loaded.skipped).toEqual([{ file: 'plain.txt', reason: 'file is larger than the 10 bytes limit (48 bytes)' }]);
  });
  // Unreadable files and folders: tests/load-faults.test.ts (as the user nobody when tests run as root).
});
