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
  const model = JSON.parse(readFileSync(file, 'utf8')) as CoreModelJson;
  model.lexicon = uint32sFromBase64(model.lexicon as string);
  model.xpansions = uint32sFromBase64(model.xpansions as string);
  const { layout } = model.packing;
  const features = model.features;
  for (const name in layout) if (layout[name]![3] === 0) features[name]!.hash = hashOf(features[name]!.list as string[]);
  features.lexeme!.hash = hashOf(features.lexeme!.list as string[]);
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

/** A value → position table, as wink looks values up (a prototype-less object; a later duplicate wins). */
function hashOf(list: readonly string[]): Record<string, number> {
  const hash = Object.create(null) as Record<string, number>;
  for (let k = 0; k < list.length; k++) hash[list[k]!] = k;
  return hash;
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
