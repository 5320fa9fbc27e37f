/**
 * The answer to a question, as /ask and a question in a channel give it: the best passages as block
 * quotes with the matched terms in bold, each followed by its source; or an honest "nothing found"
 * with something to try. The whole answer fits one message.
 */
import {
  EMPTY_REASON_TEXT,
  PHRASES_RELAXED_TEXT,
  missingText,
  type SearchFilters,
  type SearchResponse,
  type Archive,
} from '../../archive/index.js';
import { blockQuote, escapeText, plural, quoteInput, truncate } from '../../discord/format.js';
import { DISCORD_QUOTE_COST, linkCost, renderExcerpt, sourceLine } from './quote.js';
import { MESSAGE_CONTENT_MAX } from '../../discord/limits.js';

/** Passages an answer shows unless asked otherwise. */
export const DEFAULT_RESULTS = 3;
export const MAX_RESULTS = 5;

export interface AnswerRequest {
  question: string;
  /** 1–5. @defaultValue {@link DEFAULT_RESULTS} */
  results?: number | undefined;
  filters?: SearchFilters;
  /** Human description of the filters, for the reply. */
  filterDescription?: string | undefined;
}

/** An answer as rendered: its content, and the search behind it with how many hits the content shows. */
interface RenderedAnswer {
  content: string;
  found: boolean;
  response: SearchResponse;
  /** Hits quoted in `content` (the first `shown` of `response.hits`). */
  shown: number;
}

/** Searches `archive` and renders the answer as message content. */
export function answer(archive: Archive, request: AnswerRequest): RenderedAnswer {
  const limit = Math.min(MAX_RESULTS, Math.max(1, request.results ?? DEFAULT_RESULTS));
  const response = archive.search(request.question, { ...request.filters, limit });
  if (!response.hits.length) return { content: formatNoResult(response, request), found: false, response, shown: 0 };
  return { ...layoutAnswer(response, request), found: true, response };
}

/**
 * The hits as quotes with sources, within `max` characters: each hit gets an equal share, its source
 * line first, and the engine quotes within the rest (rendered whole, never cut, so every highlight
 * the engine chose is shown). Should the shares be too small for even short quotes, the last hits
 * are left out (and counted in the "more" line) rather than cut mid-quote.
 */
export function formatAnswer(response: SearchResponse, request: AnswerRequest, max = MESSAGE_CONTENT_MAX): string {
  return layoutAnswer(response, request, max).content;
}

/** Least room a quote is given (its "> " included); with less, the answer shows fewer hits. */
const MIN_QUOTE_ROOM = 60;

/** {@link formatAnswer}, and how many hits it quotes. */
function layoutAnswer(response: SearchResponse, request: AnswerRequest, max = MESSAGE_CONTENT_MAX): { content: string; shown: number } {
  const filters = request.filterDescription ? ` (${escapeText(request.filterDescription)})` : '';
  const notes = [correctionLine(response), response.phrasesRelaxed ? PHRASES_RELAXED_TEXT : ''].filter(Boolean);
  const header = `From the archive, for ${quoteInput(request.question)}${filters}:${notes.map((note) => `\n${note}`).join('')}`;
  for (let n = response.hits.length; n >= 1; n--) {
    const plan = layout(n);
    if (plan.every((hit) => hit.room >= MIN_QUOTE_ROOM) || n === 1) return { content: render(plan), shown: n };
  }
  return { content: header, shown: 0 };

  function footerFor(n: number): string {
    const more = response.total - n;
    return more > 0 ? `-# ${plural(more, 'more matching passage')}: **More results** lists them.` : '';
  }

  /** Each of the first `n` hits with its source line and the room left for its quote ("> " included). */
  function layout(n: number) {
    const footer = footerFor(n);
    const separators = 2 * n + (footer ? 2 : 0);
    const perHit = Math.floor((max - header.length - footer.length - separators) / n);
    return response.hits.slice(0, n).map((hit) => {
      // The link's URL is not seen but counts against the limit: budget for it (and a short title) so
      // every source keeps its link; the quote gets the rest.
      const sourceMax = Math.max(60, Math.floor(perHit / 2), Math.min(perHit - MIN_QUOTE_ROOM, linkCost(hit.document, hit.section) + 100));
      const missing = missingLine(hit.missing);
      const source = `${missing ? `${missing}\n` : ''}— ${sourceLine(hit.document, hit.passage.position, sourceMax, hit.section)}`;
      return { hit, source, room: perHit - source.length - 1 };
    });
  }

  function render(plan: ReturnType<typeof layout>): string {
    const footer = footerFor(plan.length);
    const blocks = plan.map(({ hit, source, room }) => {
      // "> " takes two characters of the room; the engine fits the quote to the rest as Discord renders it.
      const excerpt = hit.excerptWithin({ maxChars: Math.max(MIN_QUOTE_ROOM, room) - 2, cost: DISCORD_QUOTE_COST });
      return `${blockQuote(renderExcerpt(excerpt))}\n${source}`;
    });
    return [header, ...blocks, ...(footer ? [footer] : [])].join('\n\n');
  }
}

/** Longest "Missing:" line: four long words at most, before escaping. */
const MISSING_LINE_MAX = 160;

/**
 * Under a closest match's quote, small: what the question asked that the passage and its document
 * lack ("-# Closest match · Missing: qatar, 2022"); '' for a hit that answers.
 */
function missingLine(missing: readonly string[]): string {
  return missing.length ? `-# ${escapeText(truncate(missingText(missing), MISSING_LINE_MAX))}` : '';
}

/** The words searched in place of misspelt ones: "Showing results for **roscosmos**" ('' when none). */
function correctionLine(response: SearchResponse): string {
  const corrections = response.corrections ?? [];
  if (!corrections.length) return '';
  return `Showing results for ${corrections.map((c) => `**${escapeText(c.to)}**`).join(', ')}`;
}

/** An honest "nothing found", with the archive's closest terms and what to try next. */
export function formatNoResult(response: SearchResponse, request: AnswerRequest): string {
  const lines = [`I found nothing in the archive for ${quoteInput(request.question)}.`];
  const corrected = correctionLine(response);
  if (corrected) lines.push(`${corrected}.`);
  lines.push(EMPTY_REASON_TEXT[response.emptyReason ?? 'no-match']);
  const suggestions = (response.suggestions ?? []).slice(0, 8);
  if (suggestions.length) lines.push(`Closest words in the archive: ${suggestions.map((s) => `**${escapeText(s)}**`).join(', ')}.`);
  if (request.filterDescription) lines.push(`Filters applied: ${escapeText(request.filterDescription)}; try without them.`);
  lines.push('Try other or fewer words, or `/search` for a ranked list of everything that matches.');
  return lines.join('\n');
}
