/**
 * Terminal rendering of answers and index reports. Laid out like the bot's replies:
 * numbered quotes with the matched words emphasised, and the source under each.
 */
import type { FeedbackReport } from '../feedback/store.js';
import {
  describeSkipGroup,
  EMPTY_REASON_TEXT,
  PHRASES_RELAXED_TEXT,
  groupSkipped,
  missingText,
  sourceParts,
  type Archive,
  type LoadReport,
  type Excerpt,
  type SearchFilters,
  type SearchHit,
  type SearchResponse,
} from '../archive/index.js';

const toTerminal = process.stdout.isTTY === true;
const useAnsi = toTerminal && !process.env.NO_COLOR;

/**
 * C0 controls but tab and newline, DEL, and C1 controls (U+0080–U+009F, where U+009B is a one-byte
 * CSI to some terminals). Archive text is untrusted: an ESC in a quote could clear the screen,
 * retitle the window or rewrite lines above, so text bound for a terminal loses them. Text bound for
 * a pipe or a file, and --json output, stay exact.
 */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `text` with control characters removed. */
function withoutControls(text: string): string {
  return text.replace(CONTROL_CHARACTERS, '');
}

/** `text` without Unicode's bidirectional formatting characters (overrides, embeddings, isolates, marks). */
function withoutBidiControls(text: string): string {
  return text.replace(/\p{Bidi_Control}/gu, '');
}

/** Archive text as this process shows it: without control characters on a terminal, exact otherwise. */
const shown = toTerminal ? withoutControls : (text: string) => text;
const bold = (text: string) => (useAnsi ? `\x1b[1m${text}\x1b[22m` : `**${text}**`);
const dim = (text: string) => (useAnsi ? `\x1b[2m${text}\x1b[22m` : text);

/** The excerpt as terminal text, piece by piece, its highlights marked; whole, never cut. */
export function emphasise(excerpt: Excerpt, mark: (text: string) => string = bold): string {
  const pieces = excerpt.pieces.length ? excerpt.pieces : [{ kind: 'text' as const, start: 0, end: excerpt.text.length }];
  return pieces
    .map((piece) => (piece.kind === 'gap' ? shown(excerpt.text.slice(piece.start, piece.end)) : marked(excerpt, piece, mark)))
    .join('');
}

/** A text piece with the highlights inside it marked. */
function marked(excerpt: Excerpt, piece: { start: number; end: number }, mark: (text: string) => string): string {
  let out = '';
  let at = piece.start;
  for (const { start, end } of excerpt.highlights) {
    if (start < at || end > piece.end) continue;
    out += shown(excerpt.text.slice(at, start)) + mark(shown(excerpt.text.slice(start, end)));
    at = end;
  }
  return out + shown(excerpt.text.slice(at, piece.end));
}

/** "Title · Source · 2023-09-14 · passage 3 · url", as plain text. */
function sourceText(hit: SearchHit): string {
  const { title, source, date, passage, url } = sourceParts(hit.document, hit.passage.position, hit.section);
  return shown([title, source, date, passage === undefined ? undefined : `passage ${passage}`, url].filter(Boolean).join(' · '));
}

/**
 * The answer as terminal text: numbered quotes with the matched words emphasised, each with its source.
 * `filterNote` says which filters applied and what the archive holds, for an answer they emptied.
 */
export function answerText(response: SearchResponse, filterNote?: string): string {
  const lines = [`Q: ${shown(response.query.trim())}`, ''];
  if (response.corrections?.length) lines.push(`Showing results for ${response.corrections.map((c) => bold(shown(c.to))).join(', ')}`, '');
  if (response.phrasesRelaxed) lines.push(PHRASES_RELAXED_TEXT, '');
  if (response.hits.length === 0) {
    lines.push(EMPTY_REASON_TEXT[response.emptyReason ?? 'no-match']);
    if (response.emptyReason === 'filtered' && filterNote) lines.push(shown(filterNote));
    if (response.suggestions?.length) lines.push(`Closest words in the archive: ${shown(response.suggestions.join(', '))}.`);
    return lines.join('\n');
  }
  response.hits.forEach((hit, i) => {
    lines.push(`${i + 1}. “${emphasise(hit.excerpt)}”`);
    if (hit.missing.length) lines.push(`   ${shown(missingText(hit.missing))}`);
    lines.push(`   ${dim(`— ${sourceText(hit)}`)}`, '');
  });
  if (response.total > response.hits.length) lines.push(dim(`${response.total - response.hits.length} more passages match.`));
  return lines.join('\n').trimEnd();
}

/** "Filters applied: from 2030; try without them. The archive's documents are dated 2023-09-14 to 2024-01-02; its sources: KCNA." */
export function filterNote(archive: Archive, filters: SearchFilters): string | undefined {
  const applied = [
    filters.from ? `from ${filters.from}` : '',
    filters.to ? `to ${filters.to}` : '',
    filters.source ? `source ${filters.source}` : '',
  ].filter(Boolean);
  if (!applied.length) return undefined;
  const { firstDate, lastDate, sources } = archive.stats();
  const held = [
    firstDate ? `the archive's documents are dated ${firstDate} to ${lastDate}` : 'no document in the archive has a date',
    sources.length ? `its sources: ${sources.slice(0, 10).join(', ')}${sources.length > 10 ? ', …' : ''}` : 'it names no source',
  ];
  return `Filters applied: ${applied.join(', ')}; try without them (${held.join('; ')}).`;
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
    ...(report?.ignored ? [`Ignored:   ${report.ignored} (by .archivistignore)`] : []),
    `Skipped:   ${archive.skipped.length}`,
    ...groupSkipped(archive.skipped).map((group) => `  ${describeSkipGroup(group)}`),
  ];
  return `${shown(lines.join('\n'))}\n`;
}

/** What the load did with the on-disk cache, in a line or two (and one per warning). */
function formatCacheReport(report: LoadReport): string[] {
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
    // Questions come from Discord users: no control characters reach the terminal, nor bidi
    // controls, which would reorder the rest of the line (and the lines a terminal wraps it into).
    for (const q of report.worst)
      lines.push(`  ${q.down} down, ${q.up} up: ${withoutBidiControls(q.question).replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')}`);
  }
  return `${lines.join('\n')}\n`;
}
