import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Archive, type ArchiveOptions } from '../../../src/archive/archive.js';
import { analyzeDocument } from '../../../src/archive/postings/indexing.js';
import { readArchiveFile, listArchive } from '../../../src/archive/load/index.js';
import { AnalysisEncoder } from '../../../src/archive/wire/analysis-codec.js';
import { writeFileAtomic } from '../../../src/archive/cache/atomic.js';
import {
  decodeSnapshot,
  encodeFileEntry,
  encodePack,
  encodeSnapshot,
  fileEntryKey,
  packFileName,
  packOf,
  readPack,
} from '../../../src/archive/cache/cache-files.js';
import { loadCached } from '../../../src/archive/pipeline/cached-load.js';
import { decodeContainer } from '../../../src/archive/wire/container.js';
import { crc32, crc32Js } from '../../../src/archive/wire/crc32.js';
import { engineKey } from '../../../src/archive/cache/engine-key.js';

/**
 * A small archive in a fresh temp folder for each test: Markdown files with front matter, a JSON
 * file of several records, and one text repeated in two files (indexed once, under the first).
 */
let root: string;
let warnings: string[];

const FILES: Record<string, string> = {
  'alpha.md':
    '# Aardvarks at Dawn\n\nThe aardvark ate apricots at dawn beside the old mill.\n\nLater the aardvark slept under the walnut tree until noon.\n',
  'beetles.md':
    '---\ntitle: Beetle Survey\ntags: insects\n---\nThe beetle survey counted four hundred stag beetles in the oak forest.\n\nVolunteers measured every beetle by hand.\n',
  'comets/halley.md': '# Halley Returns\n\nHalley’s comet returns every seventy-six years; its last visit was in 1986.\n',
  'records.json': JSON.stringify([
    { id: 'r1', title: 'Harbour Report', text: 'The harbour master logged thirty ships arriving with timber and salt.' },
    { id: 'r2', title: 'Mill Report', text: 'The windmill ground barley for the whole village during the harvest.' },
  ]),
  // The same text as beetles.md (after its front matter): a repeat, indexed once.
  'zz-copy.md':
    '---\ntitle: Beetle Survey (copy)\ntags: forests\n---\nThe beetle survey counted four hundred stag beetles in the oak forest.\n\nVolunteers measured every beetle by hand.\n',
};

// The last two are misspelt: one is corrected, the other gets suggestions; both come from the index's term words.
const QUESTIONS = [
  'aardvark apricots',
  'stag beetles oak forest',
  'Halley comet 1986',
  'ships timber salt',
  'barley windmill',
  'walnut tree noon',
  'aardvak',
  'aarrdvak zzq',
];

async function put(file: string, content: string): Promise<void> {
  await mkdir(dirname(join(root, file)), { recursive: true });
  await writeFile(join(root, file), content);
}

const options = (): ArchiveOptions => ({ onCacheWarning: (message) => warnings.push(message) });

const load = (path = root, extra: ArchiveOptions = {}) => Archive.load(path, { ...options(), ...extra });

/** Everything a user can see of an archive's answers, to compare two loads. */
function answers(archive: Archive) {
  return QUESTIONS.map((question) => {
    const response = archive.search(question, { limit: 5 });
    return {
      total: response.total,
      emptyReason: response.emptyReason,
      suggestions: response.suggestions,
      hits: response.hits.map((hit) => ({
        id: hit.document.id,
        position: hit.passage.position,
        score: hit.score,
        excerpt: hit.excerpt,
        text: hit.text,
      })),
    };
  });
}

/** What a load without any cache gives for the archive as it is now. */
async function fresh(path = root) {
  const archive = await Archive.load(path, { cache: false });
  return {
    answers: answers(archive),
    documents: archive.documents,
    skipped: archive.skipped,
    duplicates: archive.duplicates,
    stats: archive.stats(),
  };
}

function view(archive: Archive) {
  return {
    answers: answers(archive),
    documents: archive.documents,
    skipped: archive.skipped,
    duplicates: archive.duplicates,
    stats: archive.stats(),
  };
}

async function listTree(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

const cacheDir = () => join(root, '.archivist-cache');
const snapshotPath = () => join(cacheDir(), 'index.bin');
const packsDir = () => join(cacheDir(), 'packs');

/** Keys of all entries in the cache's packs. */
async function entryKeys(): Promise<string[]> {
  const keys: string[] = [];
  for (const name of await readdir(packsDir())) keys.push(...(await readPack(join(packsDir(), name), engineKey())).keys());
  return keys;
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'archivist-cache-'));
  warnings = [];
  for (const [file, content] of Object.entries(FILES)) await put(file, content);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the on-disk cache', () => {
  it('a first load analyses every file and saves; a restart uses the saved index and answers the same', async () => {
    const first = await load();
    expect(first.search('aardvak').corrections).toEqual([{ from: 'aardvak', to: 'aardvark' }]);
    expect(first.loadReport).toMatchObject({ cache: 'rebuilt', files: 5, added: 5, changed: 0, removed: 0, analyzed: 4, saved: true });
    // zz-copy.md only repeats beetles.md: nothing in it is analysed.
    expect(first.loadReport!.documentsAnalyzed).toBe(5);
    expect(first.duplicates).toBe(1);
    expect(view(first)).toEqual(await fresh());

    const second = await load();
    expect(second.loadReport).toMatchObject({
      cache: 'snapshot',
      files: 5,
      added: 0,
      changed: 0,
      removed: 0,
      analyzed: 0,
      documentsAnalyzed: 0,
      saved: true,
    });
    expect(view(second)).toEqual(view(first));
    expect(second.documents.find((d) => d.id === 'beetles.md')?.tags).toEqual(['insects', 'forests']);
    expect(warnings).toEqual([]);
  });

  it('picks up a changed, an added and a deleted file, and analyses only the changed and added', async () => {
    await load();
    await put('comets/halley.md', '# Halley Returns\n\nHalley’s comet will next be seen in 2061, low over the eastern sky.\n');
    await put('comets/encke.md', '# Encke\n\nEncke’s comet has the shortest period of any bright comet: 3.3 years.\n');
    await rm(join(root, 'alpha.md'));

    const after = await load();
    expect(after.loadReport).toMatchObject({
      cache: 'rebuilt',
      files: 5,
      added: 1,
      changed: 1,
      removed: 1,
      analyzed: 2,
      documentsAnalyzed: 2,
      reused: 3,
      saved: true,
    });
    expect(view(after)).toEqual(await fresh());
    expect(after.search('aardvark apricots').hits).toEqual([]);
    expect(after.search('Halley 2061').hits[0]?.text).toContain('2061');
    expect(
      after
        .search('Halley 1986')
        .hits.map((h) => h.text)
        .join(),
    ).not.toContain('1986');
    expect(after.search('shortest period comet').hits[0]?.document.id).toBe('comets/encke.md');

    // Entries for the deleted file and the old version of the changed one are gone.
    expect(await entryKeys()).toHaveLength(5);
    expect((await load()).loadReport?.cache).toBe('snapshot');
  });

  it('keeps repeated texts indexed once through rebuilds', async () => {
    await load();
    // The first copy goes: the other copy is now the one indexed (and analysed for the first time).
    await rm(join(root, 'beetles.md'));
    const without = await load();
    expect(without.loadReport).toMatchObject({ cache: 'rebuilt', removed: 1, analyzed: 1, documentsAnalyzed: 1 });
    expect(without.duplicates).toBe(0);
    expect(without.document('zz-copy.md')?.tags).toEqual(['forests']);
    expect(view(without)).toEqual(await fresh());

    // It comes back: it is the first copy again, and the other is a repeat once more.
    await put('beetles.md', FILES['beetles.md']!);
    const back = await load();
    expect(back.loadReport).toMatchObject({ cache: 'rebuilt', added: 1, analyzed: 1, documentsAnalyzed: 1 });
    expect(back.duplicates).toBe(1);
    expect(back.document('zz-copy.md')).toBeUndefined();
    expect(back.document('beetles.md')?.tags).toEqual(['insects', 'forests']);
    expect(view(back)).toEqual(await fresh());
  });

  it('a one-file archive keeps its cache in a folder named after the file, beside it', async () => {
    const file = join(root, 'records.json');
    expect((await load(file)).loadReport?.cache).toBe('rebuilt');
    const again = await load(file);
    expect(again.loadReport).toMatchObject({ cache: 'snapshot', files: 1, cacheDir: join(root, '.archivist-cache', 'records.json') });
    expect(view(again)).toEqual(await fresh(file));
    expect(await readdir(join(root, '.archivist-cache', 'records.json'))).toEqual(expect.arrayContaining(['index.bin', 'packs']));
  });

  it('cache: false neither reads nor writes the cache', async () => {
    const archive = await load(root, { cache: false });
    expect(archive.loadReport).toMatchObject({ cache: 'off', files: 5, analyzed: 4, documentsAnalyzed: 5, saved: false });
    await expect(readdir(cacheDir())).rejects.toThrow(/ENOENT/);
  });

  it('Archive.fromDocuments has no load report', () => {
    expect(Archive.fromDocuments([{ id: 'a', title: 'A', text: 'Some text.', file: 'a.md' }]).loadReport).toBeUndefined();
  });

  it('leaves no temporary files', async () => {
    await load();
    await put('alpha.md', '# Aardvarks\n\nChanged text about aardvarks.\n');
    await load();
    await load();
    expect((await listTree(cacheDir())).filter((path) => path.endsWith('.tmp'))).toEqual([]);
  });
});

describe('telling unchanged files by their times', () => {
  // Files a test writes are always within the racy window, so it is set to zero here; and a short
  // pause after writing puts the files' times (from the kernel's coarse clock) before the load's.
  const loadTrusting = () => loadCached(root, { warn: (message) => warnings.push(message), racyWindowMs: 0 });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
  beforeEach(settle);

  it('does not read files whose size and times are unchanged', async () => {
    await loadTrusting();
    const again = await loadTrusting();
    expect(again.report).toMatchObject({ cache: 'snapshot', read: 0 });
  });

  it('reads a file whose mtime changed, finds it unchanged by its bytes, and records its new times', async () => {
    await loadTrusting();
    const earlier = new Date(Date.now() - 60_000);
    await utimes(join(root, 'alpha.md'), earlier, earlier);
    await settle();
    expect((await loadTrusting()).report).toMatchObject({ cache: 'snapshot', read: 1, changed: 0, saved: true });
    expect((await loadTrusting()).report).toMatchObject({ cache: 'snapshot', read: 0 });
  });

  it('sees a same-size rewrite whose mtime was put back (by its ctime)', async () => {
    await loadTrusting();
    const path = join(root, 'alpha.md');
    const { mtime, size } = await stat(path);
    await writeFile(path, FILES['alpha.md']!.replace('apricots', 'tomatoes'));
    await utimes(path, mtime, mtime);
    expect((await stat(path)).size).toBe(size);
    const after = await loadTrusting();
    // A rebuild reads every file (cache entries supply analyses, never text); only alpha.md is analysed.
    expect(after.report).toMatchObject({ cache: 'rebuilt', read: 5, changed: 1, analyzed: 1 });
    expect(after.loaded.documents.find((d) => d.id === 'alpha.md')?.text).toContain('tomatoes');
  });

  it('reads a file again when its entry is gone', async () => {
    await loadTrusting();
    await rm(packsDir(), { recursive: true });
    await put('comets/halley.md', '# Halley\n\nChanged, to force a rebuild.\n');
    const after = await loadTrusting();
    expect(after.report).toMatchObject({ cache: 'rebuilt', read: 5, changed: 1, analyzed: 4, reused: 0 });
    expect(warnings).toEqual([]);
  });
});

describe('a damaged or outdated cache is rebuilt, never trusted', () => {
  it('a corrupt saved index (one byte flipped)', async () => {
    await load();
    const bytes = await readFile(snapshotPath());
    bytes[Math.floor(bytes.length * 0.75)]! ^= 0x01;
    await writeFile(snapshotPath(), bytes);

    const archive = await load();
    expect(archive.loadReport?.cache).toBe('rebuilt');
    expect(warnings).toEqual([`cache ${snapshotPath()} not used: checksum mismatch (corrupt)`]);
    expect(view(archive)).toEqual(await fresh());
    // …and the rebuilt index is good again.
    expect((await load()).loadReport?.cache).toBe('snapshot');
  });

  it('a truncated saved index', async () => {
    await load();
    const { size } = await stat(snapshotPath());
    await truncate(snapshotPath(), Math.floor(size / 2));
    const archive = await load();
    expect(archive.loadReport?.cache).toBe('rebuilt');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/not used: truncated \(\d+ of \d+ bytes\)$/);
    expect(view(archive)).toEqual(await fresh());
  });

  it('a saved index that is not a cache file at all, or empty', async () => {
    await load();
    await writeFile(snapshotPath(), 'hello');
    expect((await load()).loadReport?.cache).toBe('rebuilt');
    await writeFile(snapshotPath(), '');
    expect((await load()).loadReport?.cache).toBe('rebuilt');
    expect(warnings).toEqual([
      `cache ${snapshotPath()} not used: truncated (no header)`,
      `cache ${snapshotPath()} not used: truncated (no header)`,
    ]);
  });

  it('a saved index from another engine version, even one that is otherwise current', async () => {
    await load();
    const engine = engineKey();
    const { manifest, snapshot } = decodeSnapshot(decodeContainer(await readFile(snapshotPath())), engine, root);
    snapshot.documents[0]!.title = 'Tampered Title';

    // Sanity: under the current key, the tampered index would be used as it is…
    await writeFileAtomic(snapshotPath(), encodeSnapshot(engine, manifest, snapshot));
    expect((await load()).documents[0]!.title).toBe('Tampered Title');

    // …under another version it is not.
    await writeFileAtomic(snapshotPath(), encodeSnapshot('v0-old', manifest, snapshot));
    const archive = await load();
    expect(archive.loadReport?.cache).toBe('rebuilt');
    expect(archive.documents[0]!.title).toBe('Aardvarks at Dawn');
    expect(warnings).toEqual([`cache ${snapshotPath()} not used: written by another engine version (v0-old, now ${engine})`]);
    expect(view(archive)).toEqual(await fresh());
  });

  it('after an engine upgrade: everything is re-analysed, the old packs replaced, one warning', async () => {
    await load();
    const engine = engineKey();
    const { manifest, snapshot } = decodeSnapshot(decodeContainer(await readFile(snapshotPath())), engine, root);
    await writeFileAtomic(snapshotPath(), encodeSnapshot('v0-old', manifest, snapshot));
    for (const name of await readdir(packsDir())) {
      const path = join(packsDir(), name);
      await writeFileAtomic(path, encodePack('v0-old', await readPack(path, engine)));
    }

    const archive = await load();
    expect(archive.loadReport).toMatchObject({ cache: 'rebuilt', analyzed: 4, reused: 0, documentsAnalyzed: 5, saved: true });
    expect(warnings).toEqual([`cache ${snapshotPath()} not used: written by another engine version (v0-old, now ${engine})`]);
    expect(await entryKeys()).toHaveLength(5);
    expect((await load()).loadReport?.cache).toBe('snapshot');
  });

  it('corrupt packs of per-file entries: their files are re-analysed, with one warning', async () => {
    await load();
    for (const name of await readdir(packsDir())) {
      const bytes = await readFile(join(packsDir(), name));
      bytes[bytes.length - 3]! ^= 0xff;
      await writeFile(join(packsDir(), name), bytes);
    }
    await put('alpha.md', '# Aardvarks at Dusk\n\nThe aardvark ate apricots at dusk.\n'); // forces a rebuild

    const archive = await load();
    expect(archive.loadReport).toMatchObject({ cache: 'rebuilt', changed: 1, analyzed: 4, reused: 0, documentsAnalyzed: 5 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^cache packs not used, their files re-analysed instead: [0-9a-f]{2}\.bin \(checksum mismatch \(corrupt\)\)/,
    );
    expect(view(archive)).toEqual(await fresh());
    expect((await load()).loadReport?.cache).toBe('snapshot');
  });

  it('a per-file entry from another engine version under the current key', async () => {
    await load();
    // A well-formed entry for records.json, but written by another engine, with a doctored reading.
    const listing = await listArchive(root);
    const reading = await readArchiveFile(
      listing.files.find((f) => f.file === 'records.json')!,
      listing,
    );
    const doctored = { ...reading, documents: reading.documents.map((d) => ({ ...d, title: 'Doctored' })) };
    const encoder = new AnalysisEncoder();
    for (const document of doctored.documents) encoder.add(analyzeDocument(document));
    const key = fileEntryKey(engineKey(), 'records.json', reading.sha256!);
    const packPath = join(packsDir(), packFileName(packOf(key)));
    const pack = await readPack(packPath, engineKey());
    pack.set(key, encodeFileEntry('v0-old', doctored, [0, 1], encoder));
    await writeFileAtomic(packPath, encodePack(engineKey(), pack));
    await put('alpha.md', '# Aardvarks\n\nChanged.\n'); // forces a rebuild

    const archive = await load();
    expect(archive.document('r1')?.title).toBe('Harbour Report');
    expect(warnings).toEqual([
      `cache entries not used, re-analysed instead: records.json (written by another engine version (v0-old, now ${engineKey()}))`,
    ]);
    expect(view(archive)).toEqual(await fresh());
  });
});

describe('a cache that cannot be written', () => {
  it('only warns: the archive loads, and loads again', async () => {
    // A file where the cache folder should be: nothing can be created under it (even by root).
    await writeFile(cacheDir(), 'not a folder');
    const archive = await load();
    expect(archive.loadReport).toMatchObject({ cache: 'rebuilt', saved: false });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^cannot write the cache in ${cacheDir()}: (EEXIST|ENOTDIR); the archive loads without it$`));
    expect(view(archive)).toEqual(await fresh());
    expect((await load()).loadReport).toMatchObject({ cache: 'rebuilt', saved: false });
  });

  it('in a read-only archive folder (even for root, which permissions would not stop)', async () => {
    await chmod(root, 0o555);
    try {
      const archive = await load();
      expect(archive.loadReport).toMatchObject({ cache: 'rebuilt', saved: false });
      expect(warnings).toEqual([`cannot write the cache in ${cacheDir()}: ${root} is read-only; the archive loads without it`]);
      expect(view(archive)).toEqual(await fresh());
      await expect(readdir(cacheDir())).rejects.toThrow(/ENOENT/);
    } finally {
      await chmod(root, 0o755);
    }
  });

  it('a read-only cache folder: an existing cache is still used', async () => {
    // Files trusted by their times (see below), so that the load has nothing to write.
    const loadTrusting = () => loadCached(root, { warn: (message) => warnings.push(message), racyWindowMs: 0 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await loadTrusting();
    await chmod(cacheDir(), 0o555);
    try {
      expect((await loadTrusting()).report).toMatchObject({ cache: 'snapshot', read: 0, saved: true });
      expect(warnings).toEqual([]);
    } finally {
      await chmod(cacheDir(), 0o755);
    }
  });
});

describe('cache file plumbing', () => {
  it('an interrupted write leaves the old file and no temporary', async () => {
    const path = join(root, 'target.bin');
    await writeFile(path, 'old');
    function* failing() {
      yield new Uint8Array([1, 2, 3]);
      throw new Error('disk on fire');
    }
    await expect(writeFileAtomic(path, failing())).rejects.toThrow('disk on fire');
    expect(await readFile(path, 'utf8')).toBe('old');
    expect((await readdir(root)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('the JS CRC-32 agrees with zlib', () => {
    const data = new TextEncoder().encode('The quick brown fox jumps over the lazy dog');
    expect(crc32Js(data)).toBe(0x414fa339);
    expect(crc32(data)).toBe(0x414fa339);
    expect(crc32Js(data.subarray(10), crc32Js(data.subarray(0, 10)))).toBe(0x414fa339);
    // An empty piece (on an empty buffer) changes nothing: Node 20's zlib.crc32 returned 0 for it.
    expect(crc32(new Uint8Array(0), crc32(data))).toBe(0x414fa339);
  });
});
