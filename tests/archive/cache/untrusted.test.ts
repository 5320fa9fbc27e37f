/**
 * The cache folder is untrusted input (issue 10): special files, symbolic links, implausible sizes
 * and crafted contents with a valid checksum must never hang, exhaust memory, write outside the
 * archive or put text in an answer that is not in the archive file. Each is rebuilt from the files.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Archive } from '../../../src/archive/archive.js';
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
  type Manifest,
} from '../../../src/archive/cache/cache-files.js';
import { decodeContainer, encodeContainer } from '../../../src/archive/wire/container.js';
import { engineKey } from '../../../src/archive/cache/engine-key.js';
import type { ArchiveSnapshot } from '../../../src/archive/wire/snapshot.js';
import { AnalysisEncoder } from '../../../src/archive/wire/analysis-codec.js';
import { analyzeDocument } from '../../../src/archive/postings/indexing.js';
import { listArchive, readArchiveFile } from '../../../src/archive/load/index.js';

let root: string;
let outside: string;
let warnings: string[];

const FILES: Record<string, string> = {
  'alpha.md': '# Aardvarks at Dawn\n\nThe aardvark ate apricots at dawn beside the old mill.\n',
  'beetles.md': '# Beetle Survey\n\nThe beetle survey counted four hundred stag beetles in the oak forest.\n',
  'records.json': JSON.stringify([{ id: 'r1', title: 'Harbour Report', text: 'The harbour master logged thirty ships with timber.' }]),
};

const load = () => Archive.load(root, { onCacheWarning: (message) => warnings.push(message) });
const cacheDir = () => join(root, '.archivist-cache');
const snapshotPath = () => join(cacheDir(), 'index.bin');
const packsDir = () => join(cacheDir(), 'packs');

/** What a user sees: every document and the answers to a few questions. */
function view(archive: Archive) {
  return {
    documents: archive.documents,
    answers: ['aardvark apricots', 'stag beetles', 'harbour timber'].map((q) => archive.search(q).hits.map((h) => [h.document.id, h.text])),
  };
}

const fresh = async () => view(await Archive.load(root, { cache: false }));

/** Rewrites the saved index with `change` applied, under the current engine key (a valid checksum). */
async function craftSnapshot(change: (snapshot: ArchiveSnapshot, manifest: Manifest) => void): Promise<void> {
  const engine = engineKey();
  const { manifest, snapshot } = decodeSnapshot(decodeContainer(await readFile(snapshotPath())), engine, root);
  change(snapshot, manifest);
  await writeFileAtomic(snapshotPath(), encodeSnapshot(engine, manifest, snapshot));
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'archivist-untrusted-'));
  outside = await mkdtemp(join(tmpdir(), 'archivist-outside-'));
  warnings = [];
  for (const [file, content] of Object.entries(FILES)) await writeFile(join(root, file), content);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('special files in the cache folder', () => {
  it('a FIFO as the saved index or as a pack: refused at once, not waited on', async () => {
    await load();
    const pack = join(packsDir(), (await readdir(packsDir()))[0]!);
    for (const path of [snapshotPath(), pack]) {
      await rm(path);
      execFileSync('mkfifo', [path]);
    }
    await writeFile(join(root, 'alpha.md'), '# Aardvarks\n\nChanged, to force a rebuild that reads the packs.\n');
    const archive = await load();
    expect(archive.loadReport).toMatchObject({ cache: 'rebuilt', saved: true });
    expect(warnings.join('\n')).toMatch(/index\.bin not used: ENOTREG/);
    expect(warnings.join('\n')).toMatch(/packs not used.*ENOTREG/);
    expect(view(archive)).toEqual(await fresh());
  });

  it('a pack or saved index that is a symbolic link (to /dev/zero) is never followed', async () => {
    await load();
    const pack = join(packsDir(), (await readdir(packsDir()))[0]!);
    for (const path of [snapshotPath(), pack]) {
      await rm(path);
      await symlink('/dev/zero', path);
    }
    await writeFile(join(root, 'alpha.md'), '# Aardvarks\n\nChanged, to force a rebuild that reads the packs.\n');
    const archive = await load();
    expect(archive.loadReport).toMatchObject({ cache: 'rebuilt', saved: true });
    expect(warnings.join('\n')).toMatch(/index\.bin not used: ELOOP/);
    expect(warnings.join('\n')).toMatch(/packs not used.*ELOOP/);
    expect(view(archive)).toEqual(await fresh());
  });

  it('a sparse 1.5 GB pack whose header declares its size is not read (implausible for this archive)', async () => {
    await load();
    const path = join(packsDir(), (await readdir(packsDir()))[0]!);
    const size = 1.5 * 2 ** 30;
    const header = encodeContainer({ kind: 'pack', engine: engineKey() }, {});
    const prefix = Buffer.concat(header);
    prefix.writeBigUInt64LE(BigInt(size - prefix.length), 16); // the body the prefix declares fills the file
    await writeFile(path, prefix);
    await truncate(path, size);
    await writeFile(join(root, 'alpha.md'), '# Aardvarks\n\nChanged, to force a rebuild that reads the packs.\n');
    const heapBefore = process.memoryUsage().arrayBuffers;
    const archive = await load();
    expect(process.memoryUsage().arrayBuffers - heapBefore).toBeLessThan(256 * 2 ** 20);
    expect(warnings.join('\n')).toMatch(/packs not used.*more than this archive's cache can hold/);
    expect(view(archive)).toEqual(await fresh());
  });
});

describe('a symbolic link for the cache folder', () => {
  it('is refused: nothing is read, written or deleted where it points', async () => {
    await writeFile(join(outside, 'precious.txt'), 'keep me');
    await mkdir(join(outside, 'packs'));
    await writeFile(join(outside, 'packs', '00.bin'), 'not a pack');
    await symlink(outside, cacheDir());
    const archive = await load();
    expect(archive.loadReport).toMatchObject({ cache: 'rebuilt', saved: false });
    expect(warnings).toEqual([`cache not used: ${cacheDir()} is a symbolic link (refused, never followed); the archive loads without it`]);
    expect((await readdir(outside, { recursive: true })).sort()).toEqual(['packs', 'packs/00.bin', 'precious.txt']);
    expect(await readFile(join(outside, 'packs', '00.bin'), 'utf8')).toBe('not a pack');
    expect(view(archive)).toEqual(await fresh());
  });

  it('a symbolic link for the packs folder is refused too', async () => {
    await load();
    await rm(packsDir(), { recursive: true });
    await symlink(outside, packsDir());
    await writeFile(join(root, 'alpha.md'), '# Aardvarks\n\nChanged, to force a rebuild.\n');
    const archive = await load();
    expect(archive.loadReport).toMatchObject({ saved: false });
    expect(await readdir(outside)).toEqual([]);
    expect(view(archive)).toEqual(await fresh());
  });
});

describe('a crafted saved index with a valid checksum is rebuilt, never used', () => {
  const crafted: [string, (snapshot: ArchiveSnapshot, manifest: Manifest) => void, RegExp][] = [
    ['a numeric date', (s) => Object.assign(s.documents[0]!, { date: 20240101 }), /date is not text/],
    ['a posting past the last passage', (s) => (s.index.postingPassage[0] = 1_000_000), /body postings point outside/],
    ['postings out of order', (s) => (s.index.postingStart[1] = s.index.postingPassage.length + 5), /body postings out of order/],
    ['a passage past its text', (s) => (s.passageEnd[0] = 1_000_000), /passage lies outside its text/],
    ['a word outside its passage', (s) => (s.index.positionOffset[0] = 900_000), /word lies outside its passage/],
    ['a term id out of range', (s) => (s.index.positionTerm[0] = 1_000_000), /position names no term/],
    ['a sentence outside its passage', (s) => (s.index.sentenceSpan[1] = 900_000), /sentence lies outside/],
    ['a passage of another document', (s) => (s.index.passageDocument[0] = 2), /names the wrong document/],
    ['a title posting past the last document', (s) => (s.index.titleDocument[0] = 77), /title postings point outside/],
    ['a document of a file that was not read', (s) => (s.documents[0]!.file = 'elsewhere.md'), /not read/],
    ['a malformed manifest entry', (_, m) => (m.files[0]!.sha256 = 'x'), /malformed manifest entry/],
  ];
  for (const [what, change, reason] of crafted) {
    it(what, async () => {
      await load();
      await craftSnapshot(change);
      const archive = await load();
      expect(archive.loadReport?.cache).toBe('rebuilt');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(reason);
      expect(view(archive)).toEqual(await fresh());
    });
  }
});

describe('a crafted pack entry with a valid checksum', () => {
  it('never puts text in an answer that is not in the archive file', async () => {
    await load();
    // An entry under alpha.md's real key (its path and hash), holding other text and its analysis.
    const listing = await listArchive(root);
    const reading = await readArchiveFile(
      listing.files.find((f) => f.file === 'alpha.md')!,
      listing,
    );
    const forged = { ...reading, documents: reading.documents.map((d) => ({ ...d, text: 'The zebra sold counterfeit zebra stamps.' })) };
    const encoder = new AnalysisEncoder();
    for (const document of forged.documents) encoder.add(analyzeDocument(document));
    const key = fileEntryKey(engineKey(), 'alpha.md', reading.sha256!);
    const packPath = join(packsDir(), packFileName(packOf(key)));
    const pack = await readPack(packPath, engineKey());
    pack.set(key, encodeFileEntry(engineKey(), forged, [0], encoder));
    await writeFileAtomic(packPath, encodePack(engineKey(), pack));
    await writeFile(join(root, 'beetles.md'), '# Beetles\n\nChanged, to force a rebuild that reads the packs.\n');

    const archive = await load();
    // The entry's text is never used (the file is read); its analysis may still sway ranking, but
    // every quote is cut from the file's own text.
    expect(archive.documents.map((d) => d.text).join()).not.toContain('zebra');
    for (const hit of archive.search('zebra stamps').hits) {
      expect(FILES[hit.document.file]).toContain(hit.text);
      expect(hit.text).toContain(hit.excerpt.text.replace(/^…|…$/g, ''));
    }
    expect(archive.document('alpha.md')?.text).toContain('aardvark');
  });
});

describe('large archives', () => {
  it('a saved index of 200,000 documents is written and read back (no spread of large arrays into a call)', () => {
    const count = 200_000;
    const documents = Array.from({ length: count }, (_, i) => ({ id: `d${i}`, title: 'T', text: 'x', file: 'a.md' }));
    const zeros = new Uint32Array(count);
    const snapshot: ArchiveSnapshot = {
      root: '',
      documents,
      skipped: [],
      duplicates: 0,
      passageStart: new Uint32Array(0),
      passageEnd: new Uint32Array(0),
      index: {
        terms: [],
        termWords: [],
        postingStart: new Uint32Array(1),
        postingPassage: new Uint32Array(0),
        postingFrequency: new Uint16Array(0),
        titleStart: new Uint32Array(1),
        titleDocument: new Uint32Array(0),
        titleFrequency: new Uint16Array(0),
        sectionStart: new Uint32Array(1),
        sectionPassage: new Uint32Array(0),
        sectionFrequency: new Uint16Array(0),
        sectionLength: new Uint16Array(0),
        passageSection: new Int32Array(0),
        passageKind: new Uint16Array(0),
        passageLength: new Uint32Array(0),
        titleLength: zeros,
        positionStart: new Uint32Array(1),
        positionTerm: new Int32Array(0),
        positionOffset: new Uint32Array(0),
        positionLength: new Uint16Array(0),
        sentenceStart: new Uint32Array(1),
        sentenceSpan: new Uint32Array(0),
        passageDocument: new Uint32Array(0),
        documentFirstPassage: zeros,
        documentPassageCount: zeros,
      },
    };
    const manifest: Manifest = {
      checkedAt: 0,
      files: [{ file: 'a.md', size: 1, mtimeMs: 0, ctimeMs: 0, sha256: '0'.repeat(64) }],
      listingSkipped: [],
    };
    const bytes = Buffer.concat(encodeSnapshot('k', manifest, snapshot));
    const back = decodeSnapshot(decodeContainer(bytes), 'k', '');
    expect(back.snapshot.documents).toHaveLength(count);
    expect(back.snapshot.documents[count - 1]).toEqual(documents[count - 1]);
  });
});
