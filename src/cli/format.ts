/**
 * Terminal rendering of answers and index reports. Laid out like the bot's replies:
 * numbered quotes with the matched words emphasised, and the source under each.
 */
import type { FeedbackReport } from '../feedback/store.js';
import {
  describeSkipGroup,
  EMPTY_REASON_TEXT,
  groupSkipped,
  sourceParts,
  type Archive,
  type LoadReport,
  type Excerpt,
  type SearchHit,
  type SearchResponse,
} from '../archive/index.js';

const useAnsi = process.stdout.isTTY === true && !process.env.NO_COLOR;
const bold = (text: string) => (useAnsi ? `\x1b[1m${text}\x1b[22m` : `**${text}**`);
const dim = (text: string) => (useAnsi ? `\x1b[2m${text}\x1b[22m` : text);

export function emphasise(excerpt: Excerpt, mark: (text: string) => string = bold): string {
  let out = '';
  let at = 0;
  for (const { start, end } of excerpt.highlights) {
    if (start < at) continue;
    out += excerpt.text.slice(at, start) + mark(excerpt.text.slice(start, end));
    at = end;
  }
  return out + excerpt.text.slice(at);
}

/** "Title · Source · 2023-09-14 · passage 3 · url", as plain text. */
export function sourceText(hit: SearchHit): string {
  const { title, source, date, passage, url } = sourceParts(hit.document, hit.passage.position);
  return [title, source, date, passage === undefined ? undefined : `passage ${passage}`, url].filter(Boolean).join(' · ');
}

/** The answer as terminal text: numbered quotes with the matched words emphasised, each with its source. */
export function answerText(response: SearchResponse): string {
  const lines = [`Q: ${response.query.trim()}`, ''];
  if (response.corrections?.length) lines.push(`Showing results for ${response.corrections.map((c) => bold(c.to)).join(', ')}`, '');
  if (response.hits.length === 0) {
    lines.push(EMPTY_REASON_TEXT[response.emptyReason ?? 'no-match']);
    if (response.suggestions?.length) lines.push(`Closest words in the archive: ${response.suggestions.join(', ')}.`);
    return lines.join('\n');
  }
  response.hits.forEach((hit, i) => {
    lines.push(`${i + 1}. “${emphasise(hit.excerpt)}”`, `   ${dim(`— ${sourceText(hit)}`)}`, '');
  });
  if (response.total > response.hits.length) lines.push(dim(`${response.total - response.hits.length} more passages match.`));
  return lines.join('\n').trimEnd();
}

export function formatIndexReport(archive: Archive): string {
  const stats = archive.stats();
  const { load, analyze, index } = archive.timings;
  const ms = (value: number | undefined) => (value === undefined ? '-' : `${value.toFixed(0)} ms`);
  const report = archive.loadReport;
  const save = report && report.cache !== 'off' ? `, save ${ms(report.timings.save)}` : '';
  const lines = [
    `Archive:   ${archive.root}`,
    `Documents: ${stats.documents}${archive.duplicates ? ` (${archive.duplicates} duplicate texts indexed once)` : ''}`,
    `Passages:  ${stats.passages}`,
    `Terms:     ${stats.terms}`,
    `Sources:   ${stats.sources.length ? stats.sources.join(', ') : '-'}`,
    `Dates:     ${stats.firstDate ? `${stats.firstDate} .. ${stats.lastDate}` : '-'}`,
    ...(report ? formatCacheReport(report) : []),
    `Time:      load ${ms(load)}, analyse ${ms(analyze)}, index ${ms(index)}${save}`,
    `Skipped:   ${archive.skipped.length}`,
    ...groupSkipped(archive.skipped).map((group) => `  ${describeSkipGroup(group)}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** What the load did with the on-disk cache, in a line or two (and one per warning). */
export function formatCacheReport(report: LoadReport): string[] {
  const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  const since = `since the saved index: ${report.added} added, ${report.changed} changed, ${report.removed} removed`;
  let line: string;
  switch (report.cache) {
    case 'off':
      return ['Cache:     off'];
    case 'snapshot':
      line = `saved index used, nothing analysed (${count(report.files, 'file')} unchanged, ${report.read} read to check)`;
      break;
    case 'rebuilt':
      line =
        `rebuilt: ${count(report.analyzed, 'file')} analysed (${count(report.documentsAnalyzed, 'document')}), ` +
        `${report.reused} reused from the cache; ${since}`;
      break;
  }
  return [
    `Cache:     ${line}`,
    `           ${report.saved ? 'in' : 'NOT saved to'} ${report.cacheDir ?? '-'}`,
    ...report.warnings.map((warning) => `  warning: ${warning}`),
  ];
}

/** The feedback report: how many answers were rated, the share found helpful, and the worst questions. */
export function formatFeedbackReport(report: FeedbackReport, path: string): string {
  const share = report.helpfulShare === undefined ? 'no votes yet' : `${Math.round(report.helpfulShare * 100)}% helpful`;
  const lines = [
    `Feedback:  ${path}`,
    `Answers:   ${report.answersRated} rated, ${report.votes} vote${report.votes === 1 ? '' : 's'}: ${share} (${report.helpful} up, ${report.unhelpful} down)`,
  ];
  if (report.worst.length) {
    lines.push('Worst questions (down, up):');
    // Questions come from Discord users: no control characters reach the terminal.
    for (const q of report.worst) lines.push(`  ${q.down} down, ${q.up} up: ${q.question.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')}`);
  }
  return `${lines.join('\n')}\n`;
}
