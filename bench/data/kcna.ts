/**
 * The KCNA 2024 archive (../shared/archive/kcna-2024): a real, messy archive of
 * 2,111 JSON records. Loaded with the engine's own loader; until that loader
 * reads JSON record files, a stand-in reader here maps the records the way the
 * archive's README describes (headline → title, story_text → text, empty and
 * identical texts dropped) so the index can still be measured — the report says
 * which reader was used.
 */
import { readFile } from 'node:fs/promises';
import { loadArchive } from '../../src/archive/load/index.js';
import { sharedPath } from '../paths.js';
import type { BenchDocument } from '../types.js';
import { mulberry32, randomInt } from './prng.js';

export const KCNA_DIR = sharedPath('archive/kcna-2024');
const KCNA_FILE = 'headlines_2024-11-11.json';

export type KcnaReader = 'engine loader' | 'benchmark stand-in reader';

/** Whether the engine's loader reads the archive's JSON records (not just its README). */
export function engineReadsRecords(documents: readonly BenchDocument[]): boolean {
  return documents.some((d) => d.file.endsWith('.json'));
}

interface KcnaRecord {
  topic?: string;
  headline?: string;
  link?: string;
  date?: number;
  story_text?: string;
}

/** The stand-in reader: one document per record with text; a repeated text is kept once. */
export async function readKcnaRecords(dir = KCNA_DIR): Promise<BenchDocument[]> {
  const records = JSON.parse(await readFile(`${dir}/${KCNA_FILE}`, 'utf8')) as KcnaRecord[];
  const seen = new Set<string>();
  const documents: BenchDocument[] = [];
  records.forEach((record, i) => {
    const text = record.story_text?.trim();
    if (!text || seen.has(text)) return;
    seen.add(text);
    documents.push({
      id: `${KCNA_FILE}#${i + 1}`,
      title: record.headline ?? '',
      text,
      file: KCNA_FILE,
      source: 'KCNA',
      date: record.date === undefined ? undefined : new Date(record.date).toISOString().slice(0, 10),
      url: record.link,
    });
  });
  return documents;
}

/** The archive's documents and which reader produced them. */
export async function loadKcna(dir = KCNA_DIR): Promise<{ documents: BenchDocument[]; reader: KcnaReader }> {
  const loaded = await loadArchive(dir);
  if (engineReadsRecords(loaded.documents)) return { documents: loaded.documents, reader: 'engine loader' };
  return { documents: await readKcnaRecords(dir), reader: 'benchmark stand-in reader' };
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
