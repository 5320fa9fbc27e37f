import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Archive } from '../../../src/archive/archive.js';
import { CacheFileError } from '../../../src/archive/wire/container.js';
import { LazyTexts, packTexts, unpackTexts } from '../../../src/archive/wire/lazy-texts.js';

const TEXTS = ['Première ligne, avec des accents.', '', 'Ein Drache 🐉 im Text.'];

function encoded(texts: readonly string[]): { bytes: Uint8Array; ends: Uint32Array } {
  const parts = texts.map((text) => new TextEncoder().encode(text));
  const ends = new Uint32Array(parts.length);
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let end = 0;
  parts.forEach((part, i) => {
    bytes.set(part, end);
    ends[i] = end += part.byteLength;
  });
  return { bytes, ends };
}

describe('texts of a saved index, decoded when asked', () => {
  it('gives each document its own text, however often it is asked', () => {
    const { bytes, ends } = encoded(TEXTS);
    const texts = new LazyTexts(bytes, ends);
    for (let round = 0; round < 2; round++) TEXTS.forEach((text, i) => expect(texts.text(i)).toBe(text));
  });

  it('an attached text reads as a plain field to spreading, JSON and structured cloning (a worker’s message)', () => {
    const { bytes, ends } = encoded(TEXTS);
    const document = new LazyTexts(bytes, ends).attach({ id: 'b', title: 'B' }, 2);
    expect(document.text).toBe(TEXTS[2]);
    expect({ ...document }).toEqual({ id: 'b', title: 'B', text: TEXTS[2] });
    expect(JSON.parse(JSON.stringify(document))).toEqual({ id: 'b', title: 'B', text: TEXTS[2] });
    expect(structuredClone(document)).toEqual({ id: 'b', title: 'B', text: TEXTS[2] });
  });

  it('a text that is not UTF-8 is a damaged cache', () => {
    const texts = new LazyTexts(new Uint8Array([0x41, 0xff, 0x42]), new Uint32Array([3]));
    expect(() => texts.text(0)).toThrow(new CacheFileError('a document text is not UTF-8'));
  });
});

describe('texts packed into one buffer to cross threads', () => {
  const documents = TEXTS.map((text, i) => ({ id: `d${i}`, title: `T${i}`, text }));

  it('come back as the same documents, each text read from the buffer', () => {
    const packed = packTexts(documents);
    expect(packed.documents).toEqual(documents.map(({ id, title }) => ({ id, title })));
    // What postMessage does to the message (the buffers are transferred, the rest cloned).
    const received = structuredClone(packed, {
      transfer: [packed.texts.bytes.buffer as ArrayBuffer, packed.texts.ends.buffer as ArrayBuffer],
    });
    const unpacked = unpackTexts(received.documents, received.texts);
    expect(unpacked).toEqual(documents);
    expect(Object.getOwnPropertyDescriptor(unpacked[0], 'text')?.get).toBeTypeOf('function');
  });

  it('documents started from a saved index pass their texts on as they are: the same buffer, nothing decoded', () => {
    const { bytes, ends } = encoded(TEXTS);
    const lazy = new LazyTexts(bytes, ends);
    const started = TEXTS.map((_, i) => lazy.attach({ id: `d${i}`, title: `T${i}` }, i));
    const decode = vi.spyOn(lazy, 'text');
    const packed = packTexts(started);
    expect(packed.texts.bytes).toBe(bytes);
    expect(packed.texts.ends).toBe(ends);
    expect(decode).not.toHaveBeenCalled();
    expect(unpackTexts(packed.documents, packed.texts)).toEqual(documents);
    // In another order they are packed afresh, and still come back right.
    const reordered = [started[2]!, started[0]!, started[1]!];
    const repacked = packTexts(reordered);
    expect(repacked.texts.bytes).not.toBe(bytes);
    expect(unpackTexts(repacked.documents, repacked.texts)).toEqual([documents[2], documents[0], documents[1]]);
  });

  it('refuse a buffer that does not match its documents', () => {
    const packed = packTexts(documents);
    expect(() => unpackTexts(packed.documents.slice(1), packed.texts)).toThrow('packed texts do not match their documents');
  });
});

describe('an archive started from its saved index', () => {
  let root: string | undefined;
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('reads documents’ texts from the saved bytes on demand and answers as the first load did', async () => {
    root = await mkdtemp(join(tmpdir(), 'archivist-lazy-texts-'));
    await writeFile(join(root, 'a.md'), '# Lighthouse\n\nThe keeper lit the lamp at dusk every evening.\n');
    await writeFile(join(root, 'b.md'), '# Ferry\n\nThe ferry crossed the strait twice a day in summer.\n');
    const first = await Archive.load(root);
    const started = await Archive.load(root);
    expect(started.loadReport?.cache).toBe('snapshot');
    const document = started.documents[0]!;
    expect(Object.getOwnPropertyDescriptor(document, 'text')?.get).toBeTypeOf('function');
    expect(started.documents).toEqual(first.documents);
    expect(started.search('ferry strait').hits[0]?.text).toBe('The ferry crossed the strait twice a day in summer.');
  });
});
