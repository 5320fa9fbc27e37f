/**
 * SQuAD v1.1 (half of dev) as a retrieval task, by the protocol in
 * ../shared/eval/README.md: every paragraph is a document (`TITLE#N`, N from 0),
 * every question a query whose gold is its own paragraph.
 */
import { readFile } from 'node:fs/promises';
import { sharedPath } from '../paths.js';
import type { BenchDocument, SquadQuery } from '../types.js';

export const SQUAD_FILE = sharedPath('eval/squad/squad-v1.1-dev-half.json');

interface SquadJson {
  data: Array<{
    title: string;
    paragraphs: Array<{ context: string; qas: Array<{ question: string; answers: Array<{ text: string }> }> }>;
  }>;
}

export interface SquadSet {
  documents: BenchDocument[];
  queries: SquadQuery[];
}

/**
 * Parse the SQuAD JSON text. Article titles are stored with underscores
 * ("Super_Bowl_50"); they become spaces so every tokenizer sees the same words
 * (lunr, for one, does not split on `_`). The id keeps the original title.
 */
export function parseSquad(json: string, articles?: number): SquadSet {
  const parsed = JSON.parse(json) as SquadJson;
  if (articles !== undefined) parsed.data = parsed.data.slice(0, articles);
  const documents: BenchDocument[] = [];
  const queries: SquadQuery[] = [];
  for (const article of parsed.data) {
    article.paragraphs.forEach((paragraph, n) => {
      const id = `${article.title}#${n}`;
      documents.push({ id, title: article.title.replace(/_/g, ' '), text: paragraph.context, file: 'squad' });
      for (const qa of paragraph.qas) {
        queries.push({ text: qa.question, gold: id, answers: qa.answers.map((a) => a.text) });
      }
    });
  }
  return { documents, queries };
}

/** Load the set; `articles` keeps only the first n articles (quick runs). */
export async function loadSquad(articles?: number, file = SQUAD_FILE): Promise<SquadSet> {
  return parseSquad(await readFile(file, 'utf8'), articles);
}
