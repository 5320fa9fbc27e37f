/**
 * The lean wink model (core and sentence boundaries only, parsed once) must read text exactly as the
 * stock model does: every token's value, id, type, spaces and stop flag, and every sentence, over
 * tricky fixture texts and generated ones. Both instances read the same texts in the same order, so
 * the ids wink hands out to words it does not know match too.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCoreJson, sentenceNlp } from '../../../src/archive/analysis/wink-model.js';
import { fixtureDocuments, SUMMIT_MARKDOWN, TRAP_TEXT } from '../../../testing/fake-discord/fixture.js';

const lean = sentenceNlp('lean');
const stock = sentenceNlp('stock');

/** Everything the analysis reads out of a wink document, and a little more. */
function reading(nlp: typeof lean.nlp, text: string): unknown {
  const its = nlp.its;
  const doc = nlp.readDoc(text);
  const tokens = doc.tokens();
  return {
    values: tokens.out(its.value),
    ids: tokens.out(its.uniqueId),
    types: tokens.out(its.type),
    spaces: tokens.out(its.precedingSpaces),
    stops: tokens.out(its.stopWordFlag),
    normals: tokens.out(its.normal),
    shapes: tokens.out(its.shape),
    abbreviations: tokens.out(its.abbrevFlag),
    sentences: doc.sentences().out(its.span),
  };
}

const WORDS = [
  'Kim',
  'Jong',
  'Unvisited',
  'met',
  'Putin',
  'U.S.',
  'a.m.',
  'Dr.',
  'e.g.',
  "can't",
  "Putin's",
  'Soyuz-2',
  'ComradeKim',
  '1,000',
  '3.5',
  '1990s',
  '21st',
  '@everyone',
  '#tag',
  'https://example.org/a_b?q=1',
  'mail@example.org',
  '😀',
  '👨‍👩‍👧',
  'café',
  'naïve',
  'Straße',
  '김정은',
  'مرحبا',
  'the',
  'WHO',
  'US',
  'and',
  '—',
  '…',
  '"',
  '“',
  '”',
  '(',
  ')',
  '?',
  '!',
  '.',
  'qqzxjvk',
  'spaceport',
  'Aug.',
  'Sept.',
  'rockets',
  'LAUNCHING',
  '\u202e',
  '\u0301',
  '\ud800',
  'B-1B',
  'F-22',
  // Names an object table could confuse with its own machinery (wink's lexeme table is looked up by key).
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
];
const SEPARATORS = [' ', ' ', ' ', '  ', '\n', '\n\n', '\t', '', '\u00a0', '. ', '? ', ', '];

const generatedText = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 6 })),
      fc.constantFrom(...SEPARATORS),
    ),
    {
      maxLength: 60,
    },
  )
  .map((parts) => parts.map(([word, separator]) => word + separator).join(''));

const CORE_MODEL_FILE = createRequire(import.meta.url).resolve('wink-eng-lite-web-model/dist/languages/cur/models/eng-core-web-model.json');

/** Every word of the model's lexicon, as the model file lists them (read as data: only the analysis imports wink). */
function lexemes(): string[] {
  return (JSON.parse(readFileSync(CORE_MODEL_FILE, 'utf8')) as { features: { lexeme: { list: string[] } } }).features.lexeme.list;
}

describe('the lean wink model', () => {
  it('reads every word of the lexicon as the stock model does', () => {
    const words = lexemes().filter((word) => word.trim() !== '');
    expect(words.length).toBeGreaterThan(50_000);
    // In slices: one document of every word would take as long as all the rest of these tests.
    for (let at = 0; at < words.length; at += 5_000) {
      const text = words.slice(at, at + 5_000).join(' ');
      expect(reading(lean.nlp, text)).toEqual(reading(stock.nlp, text));
    }
  });

  it('reads the fixture texts exactly as the stock model does', () => {
    const texts = [SUMMIT_MARKDOWN, TRAP_TEXT, ...fixtureDocuments().flatMap((doc) => [doc.title, doc.text])];
    for (const text of texts) expect(reading(lean.nlp, text)).toEqual(reading(stock.nlp, text));
  });

  it('reads generated text exactly as the stock model does', () => {
    fc.assert(
      fc.property(generatedText, (text) => {
        expect(reading(lean.nlp, text)).toEqual(reading(stock.nlp, text));
      }),
      { numRuns: 400, seed: 18 },
    );
  });

  it('stems with the stock model stemmer', () => {
    for (const word of ['rockets', 'launching', 'generously', 'relational', 'meeting']) expect(lean.stem(word)).toBe(stock.stem(word));
  });
});

describe('reading the core model JSON with its lexicon cut from the bytes', () => {
  it('gives what parsing the whole file gives', () => {
    const bytes = readFileSync(CORE_MODEL_FILE);
    expect(readCoreJson(bytes)).toEqual(JSON.parse(bytes.toString('utf8')));
  });

  it('parses a file laid out otherwise whole', () => {
    const texts = [
      '{"header":{"lexicon":"AAAA"},"lexicon":"QUJD","word":"café"}',
      '{"lexicon":"QU\\/JD","word":"naïve"}',
      '{"lexicon":["QUJD"]}',
      '{"lexicon": "QUJD"}',
      '{"word":"\\"lexicon\\":\\"x"}',
      '{"lexicon":"QUJD',
    ];
    for (const text of texts.slice(0, -1)) expect(readCoreJson(Buffer.from(text))).toEqual(JSON.parse(text));
    expect(() => readCoreJson(Buffer.from(texts.at(-1)!))).toThrow(SyntaxError);
  });
});
