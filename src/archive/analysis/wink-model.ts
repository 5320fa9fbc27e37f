/**
 * wink-nlp with the part of its English model the analysis uses: the core (tokenizer, lexicon,
 * stop words, token types) and sentence boundaries. The stock model (`wink-eng-lite-web-model`'s
 * entry) requires every part at import (3.5 MB of JSON: sentiment, entities, part of speech,
 * negation too), then deep-copies the 3 MB core through `JSON.parse(JSON.stringify(...))` before
 * building its hashes: that was a third of the CPU time of a one-question `archivist ask`. Here the
 * core is parsed once, and the parts no pipe here runs are empty machines (wink's `load()` builds
 * every part whatever the pipe; a part outside the pipe is never run).
 *
 * The analysis must not change: tests/archive/analysis/wink-model.test.ts compares every token's
 * value, id, type, stop flag, spaces and the sentences against the stock model's.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import winkNLP, { type Model, type WinkMethods } from 'wink-nlp';

const require = createRequire(import.meta.url);
const DIST = 'wink-eng-lite-web-model/dist/';

/** The fields of the core model's JSON that loading touches (the rest passes through to wink). */
interface CoreModelJson {
  lexicon: string | Uint32Array;
  xpansions: string | Uint32Array;
  pos: { hash: Record<string, number> };
  packing: { layout: Record<string, number[]>; efList?: string[] };
  features: Record<string, { list: unknown[]; hash?: Record<string, number>; intrinsicSize?: number; index?: number; maxIndex?: number }>;
}

/** The stock model's `load-core-model.js` and `read-core-model.js`, without the deep copy (the JSON is read fresh). */
function loadCoreModel(): CoreModelJson {
  const file = require.resolve(`${DIST}languages/cur/models/eng-core-web-model.json`);
  const model = readCoreJson(readFileSync(file));
  model.lexicon = uint32sFromBase64(model.lexicon as string);
  model.xpansions = uint32sFromBase64(model.xpansions as string);
  const { layout } = model.packing;
  const features = model.features;
  for (const name in layout) if (layout[name]![3] === 0) features[name]!.hash = hashOf(features[name]!.list as string[]);
  features.lexeme!.hash = lexemeTable(features.lexeme!.list as string[]);
  const clusters = features.posClusters!.list;
  for (let k = 0; k < clusters.length; k++) {
    clusters[k] = new Set((clusters[k] as string).split('_').map((tag) => model.pos.hash[tag] || 0));
  }
  model.packing.efList = [];
  for (const name in layout) {
    const [, mask, shift, intrinsic, extrinsic] = layout[name]!;
    if (intrinsic === 0) {
      const feature = features[name]!;
      feature.intrinsicSize = feature.list.length;
      feature.index = feature.list.length;
      feature.maxIndex = mask! >>> shift!;
    }
    if (extrinsic === 1) model.packing.efList.push(name);
  }
  features.lexeme!.intrinsicSize = features.lexeme!.list.length;
  features.lexeme!.index = features.lexeme!.list.length;
  return model;
}

/** Where the core model's JSON holds the lexicon, base64 in a string (1.9 MB of its 3 MB). */
const LEXICON_KEY = Buffer.from('"lexicon":"');

/**
 * The core model's JSON with its lexicon read straight from the bytes: the file is one line with a
 * non-ASCII word, so decoding it all makes a two-byte string of 3 M characters for JSON.parse to
 * scan, most of it base64. The lexicon's string is cut out (base64 holds no quote), the rest parsed
 * with an empty string in its place. A file laid out otherwise is parsed whole.
 */
export function readCoreJson(bytes: Buffer): CoreModelJson {
  const start = bytes.indexOf(LEXICON_KEY);
  const valueStart = start + LEXICON_KEY.length;
  const end = start < 0 ? -1 : bytes.indexOf(0x22, valueStart);
  // No string end, or one with escapes in it (`\"` or `\/`): not base64 as written, parsed whole.
  if (end < 0 || bytes.subarray(valueStart, end).includes(0x5c)) return JSON.parse(bytes.toString('utf8')) as CoreModelJson;
  const model = JSON.parse(bytes.toString('utf8', 0, valueStart) + bytes.toString('utf8', end)) as CoreModelJson;
  // The key found was another object's: the top level's lexicon was parsed whole, and is not empty.
  if (model.lexicon !== '') return JSON.parse(bytes.toString('utf8')) as CoreModelJson;
  model.lexicon = bytes.toString('latin1', valueStart, end);
  return model;
}

/** A value → position table, as wink looks values up (a prototype-less object; a later duplicate wins). */
function hashOf(list: readonly string[]): Record<string, number> {
  const hash = Object.create(null) as Record<string, number>;
  for (let k = 0; k < list.length; k++) hash[list[k]!] = k;
  return hash;
}

/** Buckets of {@link lexemeTable}'s index: a power of two, a few lexemes each. */
const LEXEME_BUCKETS = 1 << 15;

/** A lexeme's bucket, from its length and three of its code units (no hash of the whole string). */
function lexemeBucket(word: string): number {
  const n = word.length;
  let h = Math.imul(n, 0x9e3779b1) ^ (word.charCodeAt(0) | 0);
  h = Math.imul(h, 0x01000193) ^ (word.charCodeAt(1) | 0);
  h = Math.imul(h, 0x01000193) ^ (word.charCodeAt(n - 1) | 0);
  return (Math.imul(h, 0x01000193) >>> 17) & (LEXEME_BUCKETS - 1);
}

/**
 * {@link hashOf} the lexicon's 87,593 words, filled as words are looked up: building that table up
 * front was a fifth of a one-question `archivist ask` (each key hashed and interned), which reads a
 * dozen words. wink only reads `table[word]` and adds `table[word] = id` for a word it does not
 * know. Here a word is an own property once it has been read; a word that is not (yet) one falls
 * through to the prototype, a proxy that finds it in a bucket index of the list (built in one pass
 * over the words, a few of their characters each) and keeps it as an own property. Same answers as
 * the eager table, a later duplicate winning: tests/archive/analysis/wink-model.test.ts reads every
 * lexeme through both.
 */
function lexemeTable(list: readonly string[]): Record<string, number> {
  const starts = new Int32Array(LEXEME_BUCKETS + 1);
  const buckets = new Int32Array(list.length);
  for (let k = 0; k < list.length; k++) starts[lexemeBucket(list[k]!) + 1]!++;
  for (let b = 0; b < LEXEME_BUCKETS; b++) starts[b + 1]! += starts[b]!;
  const filled = starts.slice(0, LEXEME_BUCKETS);
  for (let k = 0; k < list.length; k++) buckets[filled[lexemeBucket(list[k]!)]!++] = k;
  const find = (word: string): number | undefined => {
    const bucket = lexemeBucket(word);
    for (let at = starts[bucket + 1]! - 1; at >= starts[bucket]!; at--) if (list[buckets[at]!] === word) return buckets[at]!;
    return undefined;
  };
  const lookups = new Proxy(Object.create(null) as Record<string, number>, {
    get(_target, word) {
      if (typeof word !== 'string') return undefined;
      const index = find(word);
      if (index !== undefined) Object.defineProperty(table, word, { value: index, writable: true, enumerable: true, configurable: true });
      return index;
    },
  });
  const table = Object.create(lookups) as Record<string, number>;
  return table;
}

function uint32sFromBase64(data: string): Uint32Array {
  const bytes = Buffer.from(data, 'base64');
  // A copy of its own: a Buffer may sit at any offset of a shared pool, and a Uint32Array needs 4-byte alignment.
  return new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** A state machine that recognises nothing, in wink's exported form, for the parts no pipe here runs. */
const EMPTY_MACHINE = JSON.stringify([100, 0, { 0: {} }, {}, {}, {}]);
const nothing = (): void => undefined;

/** The model with the core and sentence boundaries only. Any pipe but `['sbd']` would silently do nothing. */
function sentencesOnlyModel(): Model {
  return {
    core: loadCoreModel,
    sbd: require(`${DIST}load-sbd-model.js`) as unknown,
    ner: () => ({ machines: [], transformers: [] }),
    negation: () => ({ machines: [EMPTY_MACHINE], setter: nothing }),
    sa: () => ({ machines: [EMPTY_MACHINE], setter: nothing }),
    pos: () => ({ machines: [], transformers: [], setter: nothing, updater: nothing }),
    metaCER: () => ({ machines: EMPTY_MACHINE, transformers: [] }),
    featureFn: require(`${DIST}feature.js`) as unknown,
    addons: { stem: require(`${DIST}porter-stemmer.js`) as unknown },
  };
}

/**
 * wink-nlp for tokens and sentences: `lean` (the default) with only the parts the analysis uses,
 * or the stock model as wink ships it (the reference the lean one is tested against).
 */
export function sentenceNlp(model: 'lean' | 'stock' = 'lean'): { nlp: WinkMethods; stem: (word: string) => string } {
  const loaded = model === 'lean' ? sentencesOnlyModel() : (require('wink-eng-lite-web-model') as Model);
  return { nlp: winkNLP(loaded, ['sbd']), stem: (loaded.addons as { stem: (word: string) => string }).stem };
}
