/**
 * Our own question set over the KCNA archive (`kcna-questions.json`, see kcna-questions.md):
 * realistic questions with verbatim evidence strings, split into a `tune` half and a held-back
 * `heldout` half that is only ever measured, never diagnosed or tuned on.
 *
 * Figures, per half:
 *  - eie1: evidence-in-excerpt@1 — the first quote holds one evidence string (answerable only);
 *  - passage3: a passage holding the evidence is among the first 3 hits (ours only: peers
 *    return documents, not passages);
 *  - article1: the first result is the question's article (or a copy of it: a document whose
 *    text holds the evidence);
 *  - honestEmpty: share of absent questions that get no result;
 *  - falseEmpty: share of answerable questions that get no result;
 *  - honest: share of absent questions answered honestly: no result, or a first result flagged as a
 *    closest match (its `missing` words non-empty; ours only, peers cannot say so);
 *  - flagged: share of answerable questions with no result or a first result flagged so.
 */
import { readFile } from 'node:fs/promises';
import { answerInExcerpt, normaliseForMatch } from './metrics.js';
import type { BenchDocument } from '../types.js';
import { projectRoot } from '../paths.js';

export const KCNA_QUESTIONS_FILE = `${projectRoot}/bench/eval/kcna-questions.json`;

export type KcnaSplit = 'tune' | 'heldout';
export const KCNA_SPLITS: readonly KcnaSplit[] = ['tune', 'heldout'];

/** A question of one of our own sets (KCNA, docs): its half, how it is asked, and its evidence. */
export interface OwnQuestion {
  id: string;
  question: string;
  split: KcnaSplit;
  style: string;
  kind: string;
  answerable: boolean;
  evidence: string[];
}

export interface KcnaQuestion extends OwnQuestion {
  article: { headline: string; date: string; link: string } | null;
}

/** "249 questions: 124 tune, 125 held out". */
export function splitNote(questions: readonly OwnQuestion[]): string {
  const half = (split: KcnaSplit) => questions.filter((q) => q.split === split).length;
  return `${questions.length} questions: ${half('tune')} tune, ${half('heldout')} held out`;
}

export async function loadKcnaQuestions(file = KCNA_QUESTIONS_FILE): Promise<KcnaQuestion[]> {
  const parsed = JSON.parse(await readFile(file, 'utf8')) as { questions: KcnaQuestion[] };
  return parsed.questions;
}

/** What one system answered for one question. */
export interface KcnaAnswer {
  /** Document ids, best first. */
  documents: string[];
  /** The first quote (own excerpt, or the shared rule's cut of the top document). */
  quote: string | undefined;
  /** Passage texts of the first three hits (ours only). */
  passages?: string[];
  /** The first result says what the question asked that it lacks: a closest match, not an answer (ours only). */
  flagged?: boolean;
}

/**
 * Which documents count as a question's article: its own record, or any copy holding the
 * evidence. The documents' texts are normalised once for all questions.
 */
export function goldFinder(documents: readonly BenchDocument[]): (question: KcnaQuestion) => Set<string> {
  const normalised = documents.map((document) => normaliseForMatch(document.text));
  return (question) => {
    const gold = new Set<string>();
    const article = question.article;
    if (!article) return gold;
    const evidence = question.evidence.map(normaliseForMatch);
    documents.forEach((document, i) => {
      const sameRecord =
        document.url === article.link || (document.title === article.headline && document.date?.slice(0, 10) === article.date);
      if (sameRecord || evidence.some((e) => normalised[i]!.includes(e))) gold.add(document.id);
    });
    return gold;
  };
}

export interface KcnaCounts {
  answerable: number;
  absent: number;
  eie1: number;
  passage3: number;
  article1: number;
  honestEmpty: number;
  falseEmpty: number;
  honest: number;
  flagged: number;
}

export function emptyCounts(): KcnaCounts {
  return { answerable: 0, absent: 0, eie1: 0, passage3: 0, article1: 0, honestEmpty: 0, falseEmpty: 0, honest: 0, flagged: 0 };
}

/** Add one question's outcome to the counts; returns whether the first quote held the evidence. */
export function scoreAnswer(
  counts: KcnaCounts,
  question: Pick<OwnQuestion, 'answerable' | 'evidence'>,
  answer: KcnaAnswer,
  gold: ReadonlySet<string>,
): boolean {
  const empty = answer.documents.length === 0;
  if (!question.answerable) {
    counts.absent++;
    if (empty) counts.honestEmpty++;
    if (empty || answer.flagged) counts.honest++;
    return false;
  }
  counts.answerable++;
  if (empty) counts.falseEmpty++;
  if (empty || answer.flagged) counts.flagged++;
  const first = answer.documents[0];
  if (first !== undefined && gold.has(first)) counts.article1++;
  if (answer.passages?.some((text) => answerInExcerpt(text, question.evidence))) counts.passage3++;
  const hit = answerInExcerpt(answer.quote, question.evidence);
  if (hit) counts.eie1++;
  return hit;
}

/** The figures of one half, as the job reports them (`<split>.<figure>`). */
export function figures(split: KcnaSplit, counts: KcnaCounts, withPassages: boolean): Record<string, number> {
  const share = (x: number, n: number) => (n === 0 ? Number.NaN : x / n);
  return {
    [`${split}.eie1`]: share(counts.eie1, counts.answerable),
    ...(withPassages ? { [`${split}.passage3`]: share(counts.passage3, counts.answerable) } : {}),
    [`${split}.article1`]: share(counts.article1, counts.answerable),
    [`${split}.honestEmpty`]: share(counts.honestEmpty, counts.absent),
    [`${split}.falseEmpty`]: share(counts.falseEmpty, counts.answerable),
    [`${split}.honest`]: share(counts.honest, counts.absent),
    [`${split}.flagged`]: share(counts.flagged, counts.answerable),
    [`${split}.n`]: counts.answerable + counts.absent,
  };
}
