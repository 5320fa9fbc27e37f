import {
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  TimestampStyles,
  time,
  type APIEmbedField,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { BotContext } from '../src/bot/context.js';
import { escapeText, plural, shortDate, truncate } from '../src/discord/format.js';
import { isAdmin } from '../src/bot/access/index.js';
import type { FeedbackReport } from '../src/feedback/store.js';
import { EMBED_FIELD_VALUE_MAX } from '../src/discord/limits.js';
import { reply } from '../src/discord/reply.js';
import { describeSkipGroup, groupSkipped, type SkippedFile } from '../src/archive/index.js';

export const definition = {
  type: ApplicationCommandType.ChatInput,
  name: 'archive',
  description: 'What the archive holds: documents, passages, sources, dates, and files skipped at the last load',
  contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
  integration_types: [ApplicationIntegrationType.GuildInstall],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const archive = ctx.archive.current;
  const stats = archive.stats();
  const fields: APIEmbedField[] = [
    { name: 'Documents', value: String(stats.documents), inline: true },
    { name: 'Passages', value: String(stats.passages), inline: true },
    { name: 'Distinct terms', value: String(stats.terms), inline: true },
  ];
  if (archive.duplicates) fields.push({ name: 'Duplicates dropped', value: String(archive.duplicates), inline: true });
  const ignored = archive.loadReport?.ignored ?? 0;
  if (ignored) fields.push({ name: 'Ignored (.archivistignore)', value: String(ignored), inline: true });
  const first = shortDate(stats.firstDate);
  const last = shortDate(stats.lastDate);
  fields.push({ name: 'Dates', value: first && last ? (first === last ? first : `${first} to ${last}`) : 'No dated documents' });
  fields.push({
    name: `Sources (${stats.sources.length})`,
    value: stats.sources.length ? listWithin(stats.sources.map(escapeText), ', ', EMBED_FIELD_VALUE_MAX) : 'None named',
  });
  fields.push({
    name: 'Loaded',
    value: `${time(archive.loadedAt, TimestampStyles.LongDateTime)} (${time(archive.loadedAt, TimestampStyles.RelativeTime)})${ctx.archive.reloading ? ' · a reload is running' : ''}`,
  });
  fields.push({
    name: `Skipped at the last load (${archive.skipped.length})`,
    value: archive.skipped.length ? listWithin(skipGroupLines(archive.skipped), '\n', EMBED_FIELD_VALUE_MAX) : 'Nothing',
  });
  // Admins also see how the answers are received (members see the archive only).
  if (ctx.feedback && isAdmin(interaction, ctx.config)) {
    let value: string;
    try {
      const reading = ctx.feedback.report({ since: new Date(Date.now() - FEEDBACK_WINDOW_MS) });
      // A shared votes database (PostgreSQL) may be unreachable: the archive's own fields still show, at once.
      const report =
        reading instanceof Promise
          ? await Promise.race([
              reading.catch((err: unknown) => void ctx.logger.warn('feedback report not read', { err })),
              new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), FEEDBACK_WAIT_MS).unref()),
            ])
          : reading;
      value = report ? feedbackSummary(report) : 'The votes database cannot be reached right now.';
    } catch (err) {
      ctx.logger.warn('feedback report not read', { err });
      value = 'Not available just now (the votes database is busy or unreadable; see the log).';
    }
    fields.push({ name: 'Feedback, last 30 days (admins see this)', value });
  }
  await reply(interaction, { embeds: [{ title: 'The archive', fields }] });
}

const FEEDBACK_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;
/** How long /archive waits for the votes before answering without them (Discord allows 3 s). */
const FEEDBACK_WAIT_MS = 1_500;

/** "75% helpful: 9 👍, 3 👎 on 10 answers", or that nobody has voted. */
function feedbackSummary(report: FeedbackReport): string {
  if (report.helpfulShare === undefined) return 'No votes yet.';
  return `${Math.round(report.helpfulShare * 100)}% helpful: ${report.helpful} 👍, ${report.unhelpful} 👎 on ${plural(report.answersRated, 'answer')}`;
}

/** One escaped line per reason: "249 records: no text (e.g. …)", or "`file` (line 3): reason" for a reason met once. */
export function skipGroupLines(skipped: readonly SkippedFile[]): string[] {
  return groupSkipped(skipped).map((group) => escapeText(truncate(describeSkipGroup(group), 400)));
}

/** As many items as fit in `max` characters, then "…and N more". */
export function listWithin(items: readonly string[], separator: string, max: number): string {
  let out = '';
  for (const [i, item] of items.entries()) {
    const next = (out ? out + separator : '') + item;
    const remaining = items.length - i - 1;
    const tail = remaining ? `${separator}…and ${remaining} more` : '';
    const moreIfStop = `${out ? separator : ''}…and ${items.length - i} more`;
    if (next.length + tail.length > max) return out + moreIfStop;
    out = next;
  }
  return out;
}
