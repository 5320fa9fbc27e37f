/**
 * Our own question set over a documentation archive (`docs-questions.json`, see docs-questions.md):
 * help-channel questions over the Vite docs with verbatim evidence and the answering page, split
 * into a `tune` half and a held-back `heldout` half. Scored as the KCNA own set is (kcna-own.ts:
 * evidence in the first quote, answer passage in the top 3, right page first, honest empties),
 * plus raw markup in what is shown.
 */
import { readFile } from 'node:fs/promises';
import { projectRoot } from '../paths.js';
import type { OwnQuestion } from './kcna-own.js';

export const DOCS_QUESTIONS_FILE = `${projectRoot}/bench/eval/docs-questions.json`;

export interface DocsQuestion extends OwnQuestion {
  /** The answering page, relative to the archive root; null for absent topics. */
  page: string | null;
}

export async function loadDocsQuestions(file = DOCS_QUESTIONS_FILE): Promise<DocsQuestion[]> {
  const parsed = JSON.parse(await readFile(file, 'utf8')) as { questions: DocsQuestion[] };
  return parsed.questions;
}

/** The documents that count as a question's page: those read from its file. */
export function pageFinder(documents: readonly { id: string; file: string }[]): (question: DocsQuestion) => Set<string> {
  return (question) => new Set(documents.filter((d) => d.file === question.page).map((d) => d.id));
}
