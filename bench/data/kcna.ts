/**
 * The KCNA 2024 archive (../shared/archive/kcna-2024): a real, messy archive of
 * 2,111 JSON records (empty stories, repeats, glued words). Loaded with the
 * engine's own loader; peers index the documents it produced.
 */
import { loadArchive } from '../../src/archive/index.js';
import { sharedPath } from '../paths.js';
import type { BenchDocument } from '../types.js';
import { mulberry32, randomInt } from './prng.js';

export const KCNA_DIR = sharedPath('archive/kcna-2024');

/** Guards against measuring an archive the loader did not read (only its README, say). */
export function assertRecordsRead(documents: readonly BenchDocument[]): void {
  if (!documents.some((d) => d.file.endsWith('.json'))) {
    throw new Error(`bench: the loader read no JSON records from ${KCNA_DIR}`);
  }
}

export async function loadKcna(dir = KCNA_DIR): Promise<BenchDocument[]> {
  const { documents } = await loadArchive(dir);
  assertRecordsRead(documents);
  return documents;
}

/**
 * Questions for latency only (KCNA has no judgements): a few consecutive words
 * of a random sentence of a random article, asked as a question.
 */
export function kcnaQueries(documents: readonly BenchDocument[], count: number, seed = 7): string[] {
  const random = mulberry32(seed);
  const starters = ['What did', 'Who', 'When did', 'Where was', 'Why did', 'How'];
  const out: string[] = [];
  while (out.length < count && documents.length > 0) {
    const document = documents[Math.floor(random() * documents.length)]!;
    const sentences = document.text.split(/(?<=[.!?])\s+/).filter((s) => s.split(' ').length >= 6);
    const sentence = sentences[Math.floor(random() * sentences.length)];
    if (!sentence) continue;
    const words = sentence.replace(/[^\p{L}\p{N}' -]/gu, ' ').split(/\s+/).filter(Boolean);
    const length = randomInt(random, 3, 7);
    const from = randomInt(random, 0, Math.max(0, words.length - length));
    out.push(`${starters[randomInt(random, 0, starters.length - 1)]} ${words.slice(from, from + length).join(' ')}?`);
  }
  return out;
}
