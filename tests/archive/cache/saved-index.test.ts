/**
 * A large saved index is opened for reads on demand (`cache/saved-index.ts`): its core at start,
 * each posting list, passage and text when a search needs it. These tests pin that it answers
 * exactly as the same index read whole (the same hits in the same order, scores to the bit, totals,
 * excerpts, suggestions), that damage is found when the damaged part is read (never garbage, never a
 * crash), and that the file it holds open is released.
 */
import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Archive, RACY_WINDOW_MS, type SearchOptions, type SearchResponse } from '../../../src/archive/index.js';
import { decodeSnapshot, encodeSnapshot } from '../../../src/archive/cache/cache-files.js';
import { engineKey } from '../../../src/archive/cache/engine-key.js';
import { BLOCK_BYTES, CacheFileError, decodeContainer } from '../../../src/archive/wire/container.js';
import { prng } from '../../fixtures/generated-archive.js';

const VOCABULARY = Array.from(
  { length: 300 },
  (_, i) => `${['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi'][i % 8]}${['ber', 'dal', 'fen', 'gor', 'hil'][Math.floor(i / 8) % 5]}${i}`,
);

/** A word of Zipf-like frequency. */
const wordOf = (next: () => number) => VOCABULARY[Math.floor(VOCABULARY.length * next() ** 2.5)]!;
const sentence = (next: () => number) => {
  const words = Array.from({ length: 4 + Math.floor(next() * 10) }, () => (next() < 0.2 ? 'the' : wordOf(next)));
  return `${words.join(' ').replace(/^./, (c) => c.toUpperCase())}.`;
};
const paragraph = (next: () => number) => Array.from({ length: 1 + Math.floor(next() * 3) }, () => sentence(next)).join(' ');

/** Pages with a title, a lead, sections and code blocks; stories of plain paragraphs. */
function generatedFile(next: () => number): string {
  const title = Array.from({ length: 2 + Math.floor(next() * 3) }, () => wordOf(next)).join(' ');
  const parts = [`# ${title}`, paragraph(next)];
  for (let s = 0, sections = next() < 0.5 ? 1 + Math.floor(next() * 3) : 0; s < sections; s++) {
    parts.push(`## ${wordOf(next)} ${wordOf(next)}`);
    for (let p = 0, count = 1 + Math.floor(next() * 3); p < count; p++) {
      parts.push(next() < 0.15 ? `\`\`\`js\nconst ${wordOf(next)} = ${wordOf(next)}(${wordOf(next)});\n\`\`\`` : paragraph(next));
    }
  }
  for (let p = 0, count = Math.floor(next() * 5); p < count; p++) parts.push(paragraph(next));
  return `${parts.join('\n\n')}\n`;
}

/** Questions of 1–5 words, some with a quoted phrase, a word the archive lacks, or a misspelling. */
function generatedQuestions(count: number): string[] {
  const next = prng(11);
  return Array.from({ length: count }, () => {
    const words = Array.from({ length: 1 + Math.floor(next() * 5) }, () => wordOf(next));
    const roll = next();
    if (roll < 0.1 && words.length > 1) return `"${words[0]} ${words[1]}" ${words.slice(2).join(' ')}`;
    if (roll < 0.2) return `${words.join(' ')} zzyzx`;
    if (roll < 0.3) return `${words[0]!.slice(0, -1)}q`;
    return `what is ${words.join(' ')}?`;
  });
}

const ASKS: SearchOptions[] = [{ limit: 3 }, { limit: 10, offset: 10 }, { limit: 5, profile: 'keyword' }];

/** Everything a search answers, scores as their bits. */
function answer(response: SearchResponse) {
  return {
    total: response.total,
    emptyReason: response.emptyReason,
    suggestions: response.suggestions,
    corrections: response.corrections,
    phrasesRelaxed: response.phrasesRelaxed,
    hits: response.hits.map((hit) => ({
      document: hit.document.id,
      passage: hit.passage,
      text: hit.text,
      section: hit.section,
      score: new Float64Array([hit.score])[0] === hit.score ? hit.score : Number.NaN,
      missing: hit.missing,
      duplicates: hit.duplicates?.map((d) => d.id),
      excerpt: hit.excerpt,
      within: hit.excerptWithin({ maxChars: 120 }),
    })),
  };
}

let root: string;
const cacheDir = () => join(root, '.archivist-cache');
const snapshotPath = () => join(cacheDir(), 'index.bin');
const quiet = { onCacheWarning: () => undefined };
const eager = () => Archive.load(root, { ...quiet, lazyIndexBytes: Number.POSITIVE_INFINITY });
const lazy = () => Archive.load(root, { ...quiet, lazyIndexBytes: 0 });
const questions = generatedQuestions(400);
let reference: ReturnType<typeof answer>[];

/** The open descriptors of this process. */
const openDescriptors = () => readdirSync('/proc/self/fd').length;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'archivist-saved-index-'));
  const next = prng(20261207);
  for (let folder = 0; folder < 4; folder++) {
    await mkdir(join(root, `f${folder}`));
    for (let n = 0; n < 60; n++) await writeFile(join(root, `f${folder}`, `p${n}.md`), generatedFile(next));
  }
  // Files written this moment are re-read by each load until their times are past the racy window.
  await new Promise((resolve) => setTimeout(resolve, RACY_WINDOW_MS + 100));
  await Archive.load(root, quiet); // builds and saves the index
  const whole = await eager();
  expect(whole.loadReport?.cache).toBe('snapshot');
  expect(whole.savedIndexRead()).toBeUndefined();
  reference = questions.flatMap((q) => ASKS.map((options) => answer(whole.search(q, options))));
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A saved index as written, to restore after a test damages it. */
async function keepingSnapshot(run: () => Promise<void>): Promise<void> {
  const bytes = await readFile(snapshotPath());
  try {
    await run();
  } finally {
    await writeFile(snapshotPath(), bytes);
  }
}

/** Where in the file the blocks wholly inside a section of the saved index start and end (blocks at its edges may hold another section too). */
function sectionBlocks(bytes: Uint8Array, name: string): { start: number; end: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const headerLength = view.getUint32(12, true);
  const bodyLength = Number(view.getBigUint64(16, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(32, 32 + headerLength))) as {
    sections: Record<string, [string, number, number]>;
  };
  const table = 4 * Math.ceil(bodyLength / BLOCK_BYTES);
  const [, offset, length] = header.sections[name]!;
  const body = 32 + headerLength + table + (table % 8);
  return {
    start: body + Math.ceil(offset / BLOCK_BYTES) * BLOCK_BYTES,
    end: body + Math.floor((offset + length) / BLOCK_BYTES) * BLOCK_BYTES,
  };
}

describe('a saved index read on demand', () => {
  it('answers exactly as the same index read whole, reading a part of the file at start', async () => {
    const archive = await lazy();
    expect(archive.loadReport?.cache).toBe('snapshot');
    const atStart = archive.savedIndexRead()!;
    expect(atStart.bytesRead).toBeLessThan(atStart.size / 2);
    const answers = questions.flatMap((q) => ASKS.map((options) => answer(archive.search(q, options))));
    expect(answers.filter((a) => a.hits.length > 0).length).toBeGreaterThan(questions.length);
    expect(answers.some((a) => a.corrections)).toBe(true);
    expect(answers.some((a) => a.emptyReason)).toBe(true);
    for (let i = 0; i < answers.length; i++) expect(answers[i], questions[Math.floor(i / ASKS.length)]).toEqual(reference[i]);
    expect(archive.savedIndexRead()!.bytesRead).toBeGreaterThan(atStart.bytesRead);
    // Texts, and a whole snapshot for another thread, come from the file too.
    const whole = await eager();
    expect(archive.documents.map((d) => d.text)).toEqual(whole.documents.map((d) => d.text));
    expect(archive.toSnapshot()).toEqual(whole.toSnapshot());
    archive.close();
  });

  for (const section of ['postingPassage', 'positionTerm', 'sentenceSpan', 'texts']) {
    it(`a damaged block of ${section} is found when it is read: the search fails with that, the file is removed, the next load rebuilds`, async () => {
      await keepingSnapshot(async () => {
        const bytes = await readFile(snapshotPath());
        const { start, end } = sectionBlocks(bytes, section);
        expect(end).toBeGreaterThan(start);
        for (let at = start + 3; at < end; at += 997) bytes[at]! ^= 0x20;
        await writeFile(snapshotPath(), bytes);

        const archive = await lazy();
        expect(archive.loadReport?.cache).toBe('snapshot');
        let failure: unknown;
        let answered = 0;
        for (const [i, q] of questions.entries()) {
          try {
            const got = answer(archive.search(q, ASKS[0]));
            // Whatever is answered before the damage is met is the sound index's answer.
            expect(got).toEqual(reference[i * ASKS.length]);
            answered++;
          } catch (error) {
            failure = error;
            break;
          }
        }
        expect(failure).toBeInstanceOf(CacheFileError);
        expect((failure as Error).message).toBe(
          `the saved index ${snapshotPath()} is damaged (checksum mismatch (corrupt)); it was removed, and a reload rebuilds it`,
        );
        expect(answered).toBeLessThan(questions.length);
        await expect(stat(snapshotPath())).rejects.toMatchObject({ code: 'ENOENT' });
        archive.close();
        expect((await lazy()).loadReport?.cache).toBe('rebuilt');
      });
    });
  }

  it('a list that is out of order in a file whose checksums hold is refused when read, never used', async () => {
    await keepingSnapshot(async () => {
      const engine = engineKey();
      const { manifest, snapshot } = decodeSnapshot(decodeContainer(await readFile(snapshotPath())), engine, root);
      // The commonest term's body postings: its second posting made to point before its first.
      const { postingStart, postingPassage } = snapshot.index;
      let term = 0;
      for (let t = 0; t < snapshot.index.terms.length; t++) {
        if (postingStart[t + 1]! - postingStart[t]! > postingStart[term + 1]! - postingStart[term]!) term = t;
      }
      postingPassage[postingStart[term]! + 1] = postingPassage[postingStart[term]!]!;
      await writeFile(snapshotPath(), Buffer.concat(encodeSnapshot(engine, manifest, snapshot)));

      const archive = await lazy();
      expect(archive.loadReport?.cache).toBe('snapshot');
      expect(() => archive.search(snapshot.index.termWords[term]!)).toThrow(
        `the saved index ${snapshotPath()} is damaged (body postings point outside the index); it was removed, and a reload rebuilds it`,
      );
      archive.close();
    });
  });

  it('holds one descriptor while open and releases it on close; a search after close says so', async () => {
    const before = openDescriptors();
    const archives: Archive[] = [];
    for (let i = 0; i < 5; i++) archives.push(await lazy());
    expect(openDescriptors()).toBe(before + 5);
    for (const archive of archives) archive.close();
    expect(openDescriptors()).toBe(before);
    expect(() => archives[0]!.search(VOCABULARY[0]!)).toThrow(/was closed with its archive/);
    const whole = await eager();
    whole.close(); // nothing held: nothing to release
    expect(openDescriptors()).toBe(before);
  });

  it('a file whose times changed is recorded anew: the saved index is rewritten from its own body, and answers the same', async () => {
    await keepingSnapshot(async () => {
      const file = join(root, 'f0', 'p0.md');
      const past = new Date(Date.now() - 60_000);
      await utimes(file, past, past);
      // Its ctime is now: only past the racy window are its times trusted enough to record.
      await new Promise((resolve) => setTimeout(resolve, RACY_WINDOW_MS + 100));
      const archive = await lazy();
      expect(archive.loadReport).toMatchObject({ cache: 'snapshot', read: 1, saved: true });
      archive.close();
      const again = await lazy();
      expect(again.loadReport).toMatchObject({ cache: 'snapshot', read: 0 });
      const answers = questions.slice(0, 50).map((q) => answer(again.search(q, ASKS[0])));
      expect(answers).toEqual(questions.slice(0, 50).map((_, i) => reference[i * ASKS.length]));
      again.close();
    });
  });

  it('reads the file it opened while another is renamed over it', async () => {
    await keepingSnapshot(async () => {
      const archive = await lazy();
      const bytes = await readFile(snapshotPath());
      await writeFile(`${snapshotPath()}.new`, bytes.subarray(0, 100));
      await rename(`${snapshotPath()}.new`, snapshotPath());
      expect(answer(archive.search(questions[0]!, ASKS[0]))).toEqual(reference[0]);
      archive.close();
    });
  });
});
