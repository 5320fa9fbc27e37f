import {
  ApplicationCommandType,
  TimestampStyles,
  time,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { describeProgress, type DocumentRef, isArchiveLoadError, type LoadProgress } from '../src/archive/index.js';
import type { ReloadReport } from '../src/bot/holder.js';
import type { BotContext } from '../src/bot/context.js';
import type { ShardReloadOutcome } from '../src/bot/shards/index.js';
import { escapeText, plural, truncate } from '../src/discord/format.js';
import { MESSAGE_CONTENT_MAX } from '../src/discord/limits.js';
import { ADMIN_ONLY, allowAdmin, deferPrivately } from '../src/bot/access/index.js';
import { DATABASE_DOWN, reloadEverywhere } from '../src/bot/admin/index.js';
import { reply } from '../src/discord/reply.js';
import { listWithin, skipGroupLines } from './archive.js';

export const definition = {
  type: ApplicationCommandType.ChatInput,
  name: 'reload',
  description: 'Admins: re-read the archive folder and switch to it once it has loaded',
  ...ADMIN_ONLY,
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const REFUSAL = 'Only members with Manage Server, or the admins configured for this bot, can reload the archive.';

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  if (!(await allowAdmin(interaction, ctx, REFUSAL))) return;
  ctx.logger.info('reload requested', { command: definition.name, userId: interaction.user.id, guildId: interaction.guildId });
  await deferPrivately(interaction);
  // Sharing the archive (PostgreSQL), every machine reloads, and the reply names each one's outcome.
  let version: number | undefined;
  try {
    version = await ctx.archiveStore.announceReload(interaction.user.id);
  } catch (err) {
    ctx.logger.warn('reload refused', { userId: interaction.user.id, err });
    await reply(interaction, { content: `**Reload failed**: ${DATABASE_DOWN}. Nothing changed.` }, { ephemeral: true });
    return;
  }
  // A long load edits the reply with how far it has got, then the report replaces it.
  const progress = progressEdits(interaction, ctx);
  // Sharded, the reload reaches every shard process through the launcher, and this is the one report.
  const { report, shards } = await reloadEverywhere(ctx, progress.onProgress);
  await progress.stop();
  const machines = await ctx.archiveStore.machineLines(version);
  await reply(interaction, { content: [formatReport(report, shards), ...machines].join('\n') }, { ephemeral: true, replace: true });
}

/** Least time between two progress edits of the reply: Discord rate-limits edits of one message. */
export const PROGRESS_EDIT_INTERVAL_MS = 3000;

/** The progress line of a reload's reply, until its report replaces it. */
export const progressText = (progress: LoadProgress): string => `**Reloading…** ${describeProgress(progress)}`;

/**
 * Edits of the deferred reply with the load's progress: one at a time, {@link PROGRESS_EDIT_INTERVAL_MS}
 * apart at least, none after `stop` (which waits for the last one, so the report is the last edit).
 */
function progressEdits(interaction: ChatInputCommandInteraction, ctx: BotContext) {
  let lastEdit = -Infinity;
  let stopped = false;
  let chain = Promise.resolve();
  return {
    onProgress: (progress: LoadProgress): void => {
      const now = Date.now();
      if (stopped || now - lastEdit < PROGRESS_EDIT_INTERVAL_MS) return;
      lastEdit = now;
      chain = chain.then(async () => {
        if (stopped) return;
        await reply(interaction, { content: progressText(progress) }, { ephemeral: true, replace: true }).catch((err: unknown) =>
          ctx.logger.debug('reload progress edit failed', { err }),
        );
      });
    },
    stop: async (): Promise<void> => {
      stopped = true;
      await chain;
    },
  };
}

const LIST_CHARS = 400;

/** Documents as a list that fits a report: title (id when it differs); …and N more. */
export function refs(refs: readonly DocumentRef[]): string {
  return listWithin(
    refs.map((r) => `${escapeText(truncate(r.title, 80))}${r.title !== r.id ? ` (${escapeText(truncate(r.id, 80))})` : ''}`),
    '; ',
    LIST_CHARS,
  );
}

/**
 * What every shard did, when the bot runs as shard processes: one line when all agree, the exceptions
 * otherwise. Counted in shards, not processes: one process may run several (SHARDS_PER_PROCESS).
 */
export function shardLines(shards: readonly ShardReloadOutcome[]): string[] {
  const failed = shards.filter((s) => !s.ok);
  const switched = shards.filter((s) => s.ok);
  const count = (outcomes: readonly ShardReloadOutcome[]): number => outcomes.reduce((n, s) => n + s.shardIds.length, 0);
  // Every shard reads the index the launcher saved just before; one that analysed documents itself, or
  // ended with another count, read files that changed meanwhile.
  const diverged = new Set(switched.map((s) => s.documents)).size > 1 || switched.some((s) => (s.documentsAnalyzed ?? 0) > 0);
  const lines = [
    failed.length === 0
      ? `**Shards:** all ${count(shards)} switched to the new index.`
      : `**Shards:** ${count(switched)} of ${count(shards)} switched to the new index.`,
  ];
  for (const s of failed) {
    lines.push(
      `- Shard${s.shardIds.length > 1 ? 's' : ''} ${s.shardIds.join(', ')} did not: ${escapeText(truncate(s.error ?? 'no reason given', 200))} It answers from its previous archive until it reloads.`,
    );
  }
  if (diverged) lines.push('- The archive changed while the shards reloaded, so they may not hold the same index: run /reload again.');
  return lines;
}

/** The reload report an admin sees; `shards` is every shard process's outcome when the bot is sharded. */
export function formatReport(report: ReloadReport, shards?: readonly ShardReloadOutcome[]): string {
  const shardPart = shards ? shardLines(shards) : [];
  const seconds = (report.durationMs / 1000).toFixed(1);
  const joined = report.joined ? ' (joined a reload that was already running)' : '';
  if (!report.ok) {
    // Engine load errors are written for people ("Cannot load archive: …"); anything else stays in the log.
    const why = isArchiveLoadError(report.error)
      ? escapeText(truncate(report.error.message, 500))
      : 'an unexpected error; the details are in the bot log.';
    return [
      `**Reload failed**${joined}: ${why}`,
      `Nothing changed: still answering from the archive loaded ${time(report.archive.loadedAt, TimestampStyles.RelativeTime)} (${plural(report.archive.documents.length, 'document')}).`,
      ...shardPart,
    ].join('\n');
  }
  const { diff } = report;
  const lines = [
    `**Reloaded** in ${seconds} s${joined}: ${plural(report.archive.documents.length, 'document')}; ${diff.added.length} added, ${diff.changed.length} changed, ${diff.removed.length} removed, ${diff.unchanged} unchanged, ${report.skipped.length} skipped.`,
    ...shardPart,
  ];
  if (diff.added.length) lines.push(`**Added:** ${refs(diff.added)}`);
  if (diff.changed.length) lines.push(`**Changed:** ${refs(diff.changed)}`);
  if (diff.removed.length) lines.push(`**Removed:** ${refs(diff.removed)}`);
  if (report.skipped.length) {
    // The skipped files get whatever room the message has left (every one of them matters to an admin).
    const room = MESSAGE_CONTENT_MAX - lines.join('\n').length - '\n**Skipped:**\n'.length;
    lines.push(
      `**Skipped:**\n${listWithin(
        skipGroupLines(report.skipped).map((line) => `- ${line}`),
        '\n',
        Math.max(200, room),
      )}`,
    );
  }
  return lines.join('\n');
}
