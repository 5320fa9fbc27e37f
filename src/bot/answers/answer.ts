/**
 * The answer to a question, as /ask and a question in a channel give it: the best passages as block
 * quotes with the matched terms in bold, each followed by its source; or an honest "nothing found"
 * with something to try. The whole answer fits one message.
 */
import { EMPTY_REASON_TEXT, missingText, type SearchFilters, type SearchResponse, type Archive } from '../../archive/index.js';
import { blockQuote, escapeText, plural, quoteInput, truncate } from '../../discord/format.js';
import { formatExcerpt, linkCost, sourceLine } from './quote.js';
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
export interface RenderedAnswer {
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
 * line first, the quote the rest. Should even short quotes not fit, the last hits are left out (and
 * counted in the "more" line) rather than cut mid-quote.
 */
export function formatAnswer(response: SearchResponse, request: AnswerRequest, max = MESSAGE_CONTENT_MAX): string {
  return layoutAnswer(response, request, max).content;
}

/** {@link formatAnswer}, and how many hits it quotes. */
export function layoutAnswer(
  response: SearchResponse,
  request: AnswerRequest,
  max = MESSAGE_CONTENT_MAX,
): { content: string; shown: number } {
  const filters = request.filterDescription ? ` (${escapeText(request.filterDescription)})` : '';
  const corrected = correctionLine(response);
  const header = `From the archive, for ${quoteInput(request.question)}${filters}:${corrected ? `\n${corrected}` : ''}`;
  for (let n = response.hits.length; n >= 1; n--) {
    const content = render(n);
    if (content.length <= max || n === 1) return { content, shown: n };
  }
  return { content: header, shown: 0 };

  function render(n: number): string {
    const more = response.total - n;
    const footer = more > 0 ? `-# ${plural(more, 'more matching passage')}: **More results** lists them.` : '';
    const separators = 2 * n + (footer ? 2 : 0);
    const perHit = Math.floor((max - header.length - footer.length - separators) / n);
    const blocks = response.hits.slice(0, n).map((hit) => {
      // The link's URL is not seen but counts against the limit: budget for it (and a short title) so
      // every source keeps its link; the quote gets the rest, at least 60 characters.
      const sourceMax = Math.max(60, Math.floor(perHit / 2), Math.min(perHit - 60, linkCost(hit.document, hit.section) + 100));
      const missing = missingLine(hit.missing);
      const source = `${missing ? `${missing}\n` : ''}— ${sourceLine(hit.document, hit.passage.position, sourceMax, hit.section)}`;
      const room = Math.max(40, perHit - source.length - 1);
      let budget = room;
      let quote = '';
      for (let i = 0; i < 8; i++) {
        quote = blockQuote(formatExcerpt(hit.excerpt, { max: Math.max(1, budget - 2) }));
        if (quote.length <= room) break;
        budget -= quote.length - room;
      }
      return `${quote}\n${source}`;
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
export function missingLine(missing: readonly string[]): string {
  return missing.length ? `-# ${escapeText(truncate(missingText(missing), MISSING_LINE_MAX))}` : '';
}

/** The words searched in place of misspelt ones: "Showing results for **roscosmos**" ('' when none). */
export function correctionLine(response: SearchResponse): string {
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
