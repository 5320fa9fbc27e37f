/**
 * `npm run bench -- hash [--passages=20000] [--dump=FILE]` — a hash of everything the engine answers
 * to a fixed set of questions, for changes that must not move ranking or quoting (a faster loop,
 * pruning, a leaner model load): the same hash before and after is the proof.
 *
 *   generated   the generated archive (bench/data/generated.ts, `--passages`), its 1,000 questions
 *   kcna        the KCNA archive: 1,000 generated questions and the 249 of kcna-questions.json
 *
 * Each question is asked with both ranking profiles (answers and `search`'s keyword profile), top 3
 * and a second page (`offset` 10, `limit` 10). What is hashed: the query, `total`, the empty reason,
 * suggestions and corrections, and for every hit its document, passage, score (every bit), folded
 * duplicates and the whole excerpt. `--dump` writes one JSON line per answer, to diff two runs.
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { Archive, type SearchOptions, type SearchResponse } from '../src/archive/index.js';
import { generateArchive } from './data/generated.js';
import { kcnaQueries, loadKcna } from './data/kcna.js';
import { loadKcnaQuestions } from './eval/kcna-own.js';

interface Args {
  passages: number;
  dump: string | undefined;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { passages: 20_000, dump: undefined };
  for (const arg of argv) {
    const [key, value = ''] = arg.split('=', 2) as [string, string?];
    if (key === '--passages') args.passages = Number(value);
    else if (key === '--dump') args.dump = value;
    else throw new Error(`bench hash: unknown option ${arg}`);
  }
  if (!(args.passages >= 1)) throw new Error('bench hash: --passages must be at least 1');
  return args;
}

const ASKS: Array<{ name: string; options: SearchOptions }> = [
  { name: 'answer', options: { limit: 3 } },
  { name: 'answer page 2', options: { limit: 10, offset: 10 } },
  { name: 'keyword', options: { limit: 3, profile: 'keyword' } },
  { name: 'keyword page 2', options: { limit: 10, offset: 10, profile: 'keyword' } },
];

/** An answer as plain data: everything a user could see of it, scores to the last bit. */
function answerRecord(response: SearchResponse): unknown {
  return {
    query: response.query,
    total: response.total,
    emptyReason: response.emptyReason,
    suggestions: response.suggestions,
    corrections: response.corrections,
    hits: response.hits.map((hit) => ({
      doc: hit.document.id,
      passage: hit.passage.position,
      score: hit.score,
      duplicates: hit.duplicates?.map((d) => d.id),
      excerpt: hit.excerpt,
    })),
  };
}

export async function runResultsHash(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const generated = generateArchive({ passages: args.passages });
  const kcna = await loadKcna();
  const kcnaOwn = (await loadKcnaQuestions()).map((q) => q.question);
  const sets = [
    { name: `generated (${args.passages} passages)`, documents: generated.documents, questions: generated.queries(1000) },
    { name: 'kcna', documents: kcna, questions: [...kcnaQueries(kcna, 1000), ...kcnaOwn] },
  ];
  const all = createHash('sha256');
  const lines: string[] = [];
  for (const set of sets) {
    const archive = Archive.fromDocuments(set.documents);
    const hash = createHash('sha256');
    for (const question of set.questions) {
      for (const ask of ASKS) {
        const line = JSON.stringify({ ask: ask.name, ...(answerRecord(archive.search(question, ask.options)) as object) });
        hash.update(line).update('\n');
        all.update(line).update('\n');
        if (args.dump) lines.push(line);
      }
    }
    process.stdout.write(`${set.name}: ${set.questions.length} questions × ${ASKS.length} asks  ${hash.digest('hex')}\n`);
  }
  process.stdout.write(`all: ${all.digest('hex')}\n`);
  if (args.dump) await writeFile(args.dump, `${lines.join('\n')}\n`);
}
