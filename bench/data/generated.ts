/**
 * A generated archive for scale: documents of blank-line-separated paragraphs,
 * each paragraph one passage (a few sentences, well under the engine's 1,000
 * character passage cap). Words follow a Zipf distribution over a vocabulary
 * whose head is real English function words and whose tail is pronounceable
 * made-up words, so postings lists have realistic skew. Deterministic from a seed.
 */
import type { BenchDocument } from '../types.js';
import { mulberry32, randomInt, type Random } from './prng.js';

export const DEFAULT_SEED = 20240611;

/** The most frequent words of English text, in rough frequency order: the head of the Zipf curve. */
const FUNCTION_WORDS = (
  'the of and to a in is that for it as was with be by on not he this are or his from at which but have an ' +
  'they you were their one all we can her has there been if more when will would who so no its also after ' +
  'into than other only some could these two may first then do any like my now over such our man me even most ' +
  'made after also did many before must through back years where much your way well down should because each ' +
  'just those people how too little state good very make world still own see men work long get here between ' +
  'both life being under never day same another know while last might us great old year off come since against'
).split(' ');

const ONSETS = ['b', 'c', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'z', 'br', 'ch', 'cl', 'dr', 'fl', 'gr', 'pl', 'pr', 'sh', 'st', 'str', 'th', 'tr'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'io', 'ou', 'y'];
const CODAS = ['', '', '', 'n', 'r', 's', 't', 'l', 'm', 'nd', 'st', 'ng', 'rk', 'x'];

export interface GeneratedArchiveOptions {
  /** Passages (paragraphs) to generate. @defaultValue 100_000 */
  passages?: number;
  /** Distinct words in the vocabulary. @defaultValue 50_000 */
  vocabulary?: number;
  /** Zipf exponent. @defaultValue 1.05 */
  zipf?: number;
  /** @defaultValue DEFAULT_SEED */
  seed?: number;
}

export interface GeneratedArchive {
  documents: BenchDocument[];
  /** Questions: half from a passage's own words (they have an answer), half of random vocabulary. */
  queries(count: number, seed?: number): string[];
  passages: number;
}

function makeVocabulary(random: Random, size: number): string[] {
  const words = [...FUNCTION_WORDS];
  const seen = new Set(words);
  while (words.length < size) {
    const syllables = randomInt(random, 1, 3);
    let word = '';
    for (let s = 0; s < syllables; s++) {
      word += ONSETS[randomInt(random, 0, ONSETS.length - 1)]! + VOWELS[randomInt(random, 0, VOWELS.length - 1)]!;
    }
    word += CODAS[randomInt(random, 0, CODAS.length - 1)]!;
    if (!seen.has(word)) {
      seen.add(word);
      words.push(word);
    }
  }
  return words;
}

/** Samples vocabulary ranks by Zipf's law through the cumulative distribution. */
function zipfSampler(random: Random, size: number, exponent: number): () => number {
  const cdf = new Float64Array(size);
  let sum = 0;
  for (let r = 0; r < size; r++) cdf[r] = sum += 1 / Math.pow(r + 1, exponent);
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = size - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export function generateArchive(options: GeneratedArchiveOptions = {}): GeneratedArchive {
  const { passages = 100_000, vocabulary = 50_000, zipf = 1.05, seed = DEFAULT_SEED } = options;
  const random = mulberry32(seed);
  const words = makeVocabulary(random, vocabulary);
  const rank = zipfSampler(random, words.length, zipf);
  const capital = (w: string) => w[0]!.toUpperCase() + w.slice(1);

  const sentence = (): string => {
    const length = randomInt(random, 6, 26);
    const parts: string[] = [];
    for (let i = 0; i < length; i++) {
      const r = rank();
      let word = words[r]!;
      // Rare words are sometimes names; now and then a number.
      if (r > 2000 && random() < 0.08) word = capital(word);
      else if (random() < 0.01) word = String(randomInt(random, 1900, 2030));
      parts.push(word);
      if (i > 2 && i < length - 2 && random() < 0.06) parts[parts.length - 1] += ',';
    }
    return capital(parts.join(' ')) + (random() < 0.05 ? '?' : '.');
  };

  const paragraph = (): string => {
    const target = randomInt(random, 250, 850);
    let text = sentence();
    while (text.length < target) {
      const next = sentence();
      if (text.length + 1 + next.length > 950) break;
      text += ' ' + next;
    }
    return text;
  };

  const documents: BenchDocument[] = [];
  const paragraphsByDocument: string[][] = [];
  let made = 0;
  while (made < passages) {
    const count = Math.min(passages - made, randomInt(random, 1, 8));
    const paragraphs = Array.from({ length: count }, paragraph);
    made += count;
    const titleWords = Array.from({ length: randomInt(random, 3, 7) }, () => words[rank()]!);
    const id = `generated/${String(documents.length).padStart(6, '0')}.md`;
    documents.push({ id, file: id, title: capital(titleWords.join(' ')), text: paragraphs.join('\n\n') });
    paragraphsByDocument.push(paragraphs);
  }

  const queries = (count: number, querySeed = seed + 1): string[] => {
    const qr = mulberry32(querySeed);
    const qrank = zipfSampler(qr, words.length, zipf);
    const out: string[] = [];
    const starters = ['What', 'Who', 'When', 'Where', 'How', 'Why', 'Which'];
    for (let i = 0; i < count; i++) {
      if (i % 2 === 0) {
        // Words from one sentence of a real passage.
        const d = paragraphsByDocument[Math.floor(qr() * paragraphsByDocument.length)]!;
        const p = d[Math.floor(qr() * d.length)]!;
        const tokens = p.replace(/[.,?]/g, '').split(' ');
        const length = randomInt(qr, 3, 8);
        const from = randomInt(qr, 0, Math.max(0, tokens.length - length));
        out.push(`${starters[randomInt(qr, 0, starters.length - 1)]} ${tokens.slice(from, from + length).join(' ').toLowerCase()}?`);
      } else {
        const length = randomInt(qr, 2, 6);
        out.push(Array.from({ length }, () => words[qrank()]!).join(' '));
      }
    }
    return out;
  };

  return { documents, queries, passages: made };
}
