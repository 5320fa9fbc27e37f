/**
 * The CLI's JSON answer: a public contract that scripts and evaluations read.
 * Fields may be added, never renamed or removed.
 */
import type { Highlight, SearchResponse } from '../archive/index.js';

interface JsonResult {
  docId: string;
  title: string;
  source: string | null;
  date: string | null;
  url: string | null;
  /** 1-based position of the passage in its document. */
  passage: number;
  score: number;
  /** The verbatim quote (at most 350 characters). */
  excerpt: string;
  /** The whole passage. */
  text: string;
  /** Matched words as [start, end) ranges into `excerpt`. */
  highlights: Highlight[];
  /** A Markdown page's passage: the headings of its section below the page title, and the section's anchor. */
  section?: { headings: string[]; anchor: string | null };
  /**
   * The question's weighty words, as typed, that this passage and its context (its document) lack,
   * when the result is a closest match rather than an answer; [] when it answers.
   */
  missing: string[];
  /** Other documents telling the same story almost word for word, folded into this result. */
  duplicates?: Array<{ docId: string; title: string; date: string | null; url: string | null }>;
}

interface JsonAnswer {
  query: string;
  results: JsonResult[];
  /** Qualifying passages in all (results holds the first `--limit`). */
  total: number;
  /** Why `results` is empty: no-terms, no-match or too-thin. */
  emptyReason?: string;
  /** For an empty answer: archive words spelled like the question's unknown words. */
  suggestions?: string[];
  /** Question words searched as the archive's words instead: `from` as typed, `to` as searched. */
  corrections?: Array<{ from: string; to: string }>;
  /** True when no passage holds the quoted words in that order: they were searched apart. */
  phrasesRelaxed?: boolean;
}

export function toJsonAnswer(response: SearchResponse): JsonAnswer {
  const answer: JsonAnswer = {
    query: response.query,
    results: response.hits.map((hit) => ({
      docId: hit.document.id,
      title: hit.document.title,
      source: hit.document.source ?? null,
      date: hit.document.date ?? null,
      url: hit.document.url ?? null,
      passage: hit.passage.position,
      score: Math.round(hit.score * 1e4) / 1e4,
      excerpt: hit.excerpt.text,
      text: hit.text,
      highlights: hit.excerpt.highlights,
      ...(hit.section ? { section: { headings: [...hit.section.headings], anchor: hit.section.anchor ?? null } } : {}),
      missing: hit.missing,
      ...(hit.duplicates
        ? { duplicates: hit.duplicates.map((d) => ({ docId: d.id, title: d.title, date: d.date ?? null, url: d.url ?? null })) }
        : {}),
    })),
    total: response.total,
  };
  if (response.emptyReason) answer.emptyReason = response.emptyReason;
  if (response.suggestions) answer.suggestions = response.suggestions;
  if (response.corrections) answer.corrections = response.corrections.map(({ from, to }) => ({ from, to }));
  if (response.phrasesRelaxed) answer.phrasesRelaxed = true;
  return answer;
}
