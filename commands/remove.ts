/**
 * /remove (admins): takes a document's file out of the archive from Discord. The file is moved to
 * `.archivist-trash/` inside the archive folder (the loader never reads it; nothing is deleted), the
 * archive is reloaded the way /reload does it, and the admin is told how to put it back. Every
 * removal is logged with the user.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { reloadAfterChange, UPLOADS_OFF } from '../src/bot/admin/index.js';
import type { BotContext } from '../src/bot/context.js';
import { ADMIN_ONLY, allowAdmin, deferPrivately } from '../src/bot/access/index.js';
import { readArgs } from '../src/discord/command.js';
import { escapeText, plural, truncate } from '../src/discord/format.js';
import { reply } from '../src/discord/reply.js';
import { formatReport, shardLines } from './reload.js';
import { autocompleteDocument, documentOption, documentOrTell } from './shared.js';

export const definition = {
  type: ApplicationCommandType.ChatInput,
  name: 'remove',
  description: "Admins: move a document's file to the archive's trash folder, then reload",
  ...ADMIN_ONLY,
  options: [
    documentOption,
    {
      type: ApplicationCommandOptionType.Boolean,
      name: 'whole_file',
      description: 'The file holds other documents too: remove them all with it',
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const REFUSAL = 'Only members with Manage Server, or the admins configured for this bot, can remove documents.';

export const autocomplete = autocompleteDocument;

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  if (!(await allowAdmin(interaction, ctx, REFUSAL))) return;
  if (!ctx.config.uploads) {
    ctx.logger.info('remove refused: UPLOADS=off', { userId: interaction.user.id, guildId: interaction.guildId });
    await reply(interaction, { content: UPLOADS_OFF }, { ephemeral: true });
    return;
  }
  const args = readArgs(interaction, definition);
  const archive = ctx.archive.current;
  const document = await documentOrTell(interaction, archive, args.document);
  if (!document) return;
  const title = `**${escapeText(truncate(document.title, 100))}**`;
  const inFile = archive.documents.filter((d) => d.file === document.file).length;
  if (inFile > 1 && !args.whole_file) {
    await reply(
      interaction,
      {
        content: `${title} is one of ${inFile} documents in \`${escapeText(document.file)}\`, and /remove moves whole files. Run it again with \`whole_file: True\` to remove all ${inFile}, or edit the file and /reload to remove just this one.`,
      },
      { ephemeral: true },
    );
    return;
  }

  const who = { userId: interaction.user.id, guildId: interaction.guildId, document: document.id, file: document.file };
  ctx.logger.info('removal requested', who);
  await deferPrivately(interaction);
  const moved = await ctx.archiveStore.remove(document.file, interaction.user.id);
  if (!moved.ok) {
    ctx.logger.warn('removal refused', { ...who, reason: moved.reason });
    await reply(
      interaction,
      { content: `Could not remove ${title}: ${escapeText(moved.reason)}. Nothing was moved.` },
      { ephemeral: true },
    );
    return;
  }
  ctx.logger.info('document removed', { ...who, trashedAs: moved.trashedAs, documents: inFile });

  const what = inFile > 1 ? `${title} and the ${plural(inFile - 1, 'other document')} in it` : title;
  const lines = [
    moved.trashedAs === undefined
      ? `**Removed** \`${escapeText(document.file)}\` (${what}) from the shared archive: every machine takes it out of its copy; its bytes stay in the database.`
      : `**Removed** \`${escapeText(document.file)}\` (${what}): moved to \`${escapeText(moved.trashedAs)}\` in the archive folder; nothing was deleted.`,
  ];
  const { report, shards } = await reloadAfterChange(ctx);
  if (report.ok) {
    lines.push(`Reloaded in ${(report.durationMs / 1000).toFixed(1)} s: ${plural(report.archive.documents.length, 'document')} in all.`);
    if (shards) lines.push(...shardLines(shards));
  } else {
    lines.push('But the archive was not reloaded, so it still answers from the file:', formatReport(report, shards));
  }
  if (moved.trashedAs === undefined) {
    lines.push(...(await ctx.archiveStore.machineLines(moved.version)), '**To restore it:** /upload the file again.');
  } else {
    lines.push(
      `**To restore it:** move \`${escapeText(moved.trashedAs)}\` back to \`${escapeText(document.file)}\` in the archive folder, then run /reload.`,
    );
  }
  await reply(interaction, { content: lines.join('\n') }, { ephemeral: true });
}
