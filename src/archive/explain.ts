/**
 * Plain data for whoever shows a result: which parts name a passage's source, and why a search
 * found nothing. The bot and the CLI render these differently (Markdown, a terminal) but take the
 * same facts and the same words from here.
 */
import type { LoadReport } from './pipeline/report.js';
import { SUPPORTED_EXTENSIONS } from './load/walk.js';
import type { ArchiveDocument, PageSection, SearchResponse, SkippedFile } from './types.js';

export type EmptyReason = NonNullable<SearchResponse['emptyReason']>;

/** Why a search has no result, in words for the person who asked. */
export const EMPTY_REASON_TEXT: Record<EmptyReason, string> = {
  'no-terms': 'The question has no words the archive can search for; ask with names, places, topics or other distinctive words.',
  'no-match': 'No passage in the archive contains those words.',
  'too-thin': 'The closest passages share too little with the question to be worth quoting.',
  filtered: 'Passages match those words, but none in a document the filters (dates, source) let through.',
  'empty-archive': 'The archive is empty: it holds no document to search. Add files to the archive folder, then load it again.',
};

/** Said when no passage held the question's quoted words in that order, so they were searched apart. */
export const PHRASES_RELAXED_TEXT = 'No passage has the quoted words in that order; these hold them apart.';

/**
 * Why a loaded archive holds no document, in words for its operator; undefined when it holds some.
 * Each file skipped carries its own reason; with none skipped, the folder has nothing the loader reads.
 */
export function emptyArchiveReason(archive: {
  documents: readonly unknown[];
  skipped: readonly SkippedFile[];
  loadReport?: Pick<LoadReport, 'files' | 'ignored'>;
}): string | undefined {
  if (archive.documents.length > 0) return undefined;
  const { skipped, loadReport } = archive;
  if (skipped.length > 0) {
    const first = skipped[0]!;
    return `every file was skipped (${skipped.length}), e.g. ${first.file}${first.line ? `:${first.line}` : ''}: ${first.reason}`;
  }
  const ignored = loadReport?.ignored ? `; ${loadReport.ignored} left out by .archivistignore` : '';
  return `it has no file the archive reads (${SUPPORTED_EXTENSIONS.join(' ')})${ignored}`;
}

/**
 * The line under a closest match's quote: what the question asked that the passage and its
 * document lack, as typed ("Closest match · Missing: qatar, 2022"); '' for a hit that answers.
 */
export function missingText(missing: readonly string[]): string {
  return missing.length ? `Closest match · Missing: ${missing.join(', ')}` : '';
}

/** What names a passage's source, in the order it is shown; absent parts are left out. */
export interface SourceParts {
  /** The document's title; for a page's passage, followed by its section's headings: "Page › Section". */
  title: string;
  source?: string;
  /** The date part (YYYY-MM-DD) of the document's date. */
  date?: string;
  /** 1-based position of the passage in its document. */
  passage?: number;
  /** The document's URL; for a page's passage, pointing at its section (`url#anchor`). */
  url?: string;
}

/** Joins a page title and its section headings in a source line. */
const SECTION_SEPARATOR = ' › ';

export function sourceParts(document: ArchiveDocument, position?: number, section?: PageSection): SourceParts {
  const url = document.url && section?.anchor ? `${document.url.replace(/#.*$/, '')}#${section.anchor}` : document.url;
  return {
    title: [document.title, ...(section?.headings ?? [])].join(SECTION_SEPARATOR),
    ...(document.source ? { source: document.source } : {}),
    ...(document.date ? { date: document.date.slice(0, 10) } : {}),
    ...(position !== undefined ? { passage: position } : {}),
    ...(url ? { url } : {}),
  };
}
