/**
 * /upload (admins): adds a file to the archive from Discord. The file is refused before it is
 * downloaded when the archive does not read its kind or it is over UPLOAD_MAX_MB; once downloaded
 * it is checked by the archive's own loader (in a worker, within RELOAD_TIMEOUT_S), saved under `uploads/` (never over another file), and
 * the archive is reloaded the way /reload does it. Every upload and refusal is logged with the user.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import {
  FRONT_MATTER_EXTENSIONS,
  MAX_FILE_BYTES,
  SUPPORTED_EXTENSIONS,
  parsePartialDate,
  type FrontMatterFields,
  type SkippedFile,
} from '../src/archive/index.js';
import {
  archiveExtension,
  safeFileName,
  type SaveResult,
  attachmentHosts,
  downloadWithin,
  formatSize,
  privateAttachmentHosts,
  reloadAfterChange,
  UPLOADS_OFF,
} from '../src/bot/admin/index.js';
import type { BotContext } from '../src/bot/context.js';
import { ADMIN_ONLY, allowAdmin, deferPrivately } from '../src/bot/access/index.js';
import type { ShardedReload } from '../src/bot/shards/index.js';
import { readArgs, type ArgsOf } from '../src/discord/command.js';
import { escapeText, plural, quoteInput, truncate } from '../src/discord/format.js';
import { reply } from '../src/discord/reply.js';
import { listWithin, skipGroupLines } from './archive.js';
import { formatReport, refs, shardLines } from './reload.js';

const FORMATS = SUPPORTED_EXTENSIONS.join(' ');

export const definition = {
  type: ApplicationCommandType.ChatInput,
  name: 'upload',
  description: 'Admins: add a document file to the archive, then reload it',
  ...ADMIN_ONLY,
  options: [
    {
      type: ApplicationCommandOptionType.Attachment,
      name: 'file',
      description: `The file: ${FORMATS}`,
      required: true,
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'title',
      description: 'Its title (Markdown and text files; JSON and HTML carry their own)',
      max_length: 200,
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'source',
      description: 'Where it comes from, e.g. a publication (Markdown and text files)',
      max_length: 100,
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'date',
      description: 'Its date: YYYY, YYYY-MM or YYYY-MM-DD (Markdown and text files)',
      max_length: 10,
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const REFUSAL = 'Only members with Manage Server, or the admins configured for this bot, can add documents.';

/** The largest file taken: UPLOAD_MAX_MB, and never more than the loader reads. */
export function uploadLimit(ctx: Pick<BotContext, 'config'>): number {
  return Math.min(ctx.config.uploadMaxBytes, MAX_FILE_BYTES);
}

/** What can be told from the attachment's description, before downloading it: what to write, or why not. */
type Plan = { ok: true; extension: string; fields: FrontMatterFields; limit: number } | { ok: false; reason: string; content: string };

export function planUpload(args: ArgsOf<typeof definition>, ctx: Pick<BotContext, 'config'>): Plan {
  const { file } = args;
  const shownName = quoteInput(file.name, 100);
  const extension = archiveExtension(file.name);
  if (!extension) {
    return {
      ok: false,
      reason: 'unsupported file type',
      content: `The archive reads ${FORMATS} files; ${shownName} is none of these, so nothing was added.`,
    };
  }
  const limit = uploadLimit(ctx);
  if (file.size > limit) {
    return {
      ok: false,
      reason: 'too large',
      content: `${shownName} is ${formatSize(file.size)}; files up to ${formatSize(limit)} can be added (UPLOAD_MAX_MB). Nothing was downloaded.`,
    };
  }
  const fields: FrontMatterFields = {};
  if (args.title !== undefined) fields.title = args.title;
  if (args.source !== undefined) fields.source = args.source;
  if (args.date !== undefined) {
    const date = parsePartialDate(args.date);
    if (date === undefined) {
      return {
        ok: false,
        reason: 'bad date',
        content: `The date ${quoteInput(args.date, 20)} is not one the archive reads: use YYYY, YYYY-MM or YYYY-MM-DD.`,
      };
    }
    fields.date = date;
  }
  if (Object.keys(fields).length > 0 && !FRONT_MATTER_EXTENSIONS.includes(extension)) {
    return {
      ok: false,
      reason: 'metadata for a format without front matter',
      content: `title, source and date can be set for Markdown and text files only: a ${extension} file carries its own (a JSON record's fields, an HTML page's <title> and <meta> tags). Upload it without them.`,
    };
  }
  return { ok: true, extension, fields, limit };
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  if (!(await allowAdmin(interaction, ctx, REFUSAL))) return;
  if (!ctx.config.uploads) {
    ctx.logger.info('upload refused: UPLOADS=off', { userId: interaction.user.id, guildId: interaction.guildId });
    await reply(interaction, { content: UPLOADS_OFF }, { ephemeral: true });
    return;
  }
  const args = readArgs(interaction, definition);
  const attachment = args.file;
  const who = { userId: interaction.user.id, guildId: interaction.guildId, attachment: attachment.name, bytes: attachment.size };
  const refuse = async (reason: string, content: string): Promise<void> => {
    ctx.logger.warn('upload refused', { ...who, reason });
    await reply(interaction, { content }, { ephemeral: true });
  };
  const notSaved = (reason: string, more = '') =>
    refuse(reason, `Could not add ${quoteInput(attachment.name, 100)}: ${escapeText(reason)}, so nothing was saved.${more}`);

  const plan = planUpload(args, ctx);
  if (!plan.ok) {
    await refuse(plan.reason, plan.content);
    return;
  }
  ctx.logger.info('upload requested', who);
  await deferPrivately(interaction);
  const downloaded = await downloadWithin(attachment.url, {
    maxBytes: plan.limit,
    allowedHosts: attachmentHosts(ctx.config.apiUrl),
    privateHosts: privateAttachmentHosts(ctx.config.apiUrl),
  });
  if (!downloaded.ok) {
    await notSaved(downloaded.reason);
    return;
  }
  // Front matter is set and the file checked in a worker, within the reload's deadline: a hostile file stalls no answer.
  const saved = await ctx.archiveStore.saveUpload(safeFileName(attachment.name, plan.extension), downloaded.bytes, interaction.user.id, {
    frontMatter: plan.fields,
    ...(ctx.config.reloadTimeoutMs === undefined ? {} : { timeoutMs: ctx.config.reloadTimeoutMs }),
  });
  if (!saved.ok) {
    await notSaved(saved.reason, saved.skipped?.length ? `\n${skippedList(saved.skipped)}` : '');
    return;
  }
  ctx.logger.info('document uploaded', { ...who, file: saved.file, documents: saved.documents.length, skipped: saved.skipped.length });
  const reloaded = await reloadAfterChange(ctx);
  // Sharing the archive (PostgreSQL), every machine reloads: the reply names each one's outcome.
  const machines = await ctx.archiveStore.machineLines(saved.version);
  await reply(interaction, { content: uploadReport(saved, reloaded, machines) }, { ephemeral: true });
}

function skippedList(skipped: readonly SkippedFile[]): string {
  return listWithin(
    skipGroupLines(skipped).map((line) => `- ${line}`),
    '\n',
    500,
  );
}

/**
 * What the admin is told once the file is saved: what it added (after the reload), or why it added
 * nothing; `machines`, when the archive is shared, says what every machine did.
 */
export function uploadReport(
  saved: Extract<SaveResult, { ok: true }>,
  { report, shards }: ShardedReload,
  machines: readonly string[] = [],
): string {
  const lines: string[] = [];
  if (!report.ok) {
    lines.push(`**Saved** \`${saved.file}\`, but the archive was not reloaded:`, formatReport(report, shards));
  } else {
    const added = report.archive.documents.filter((d) => d.file === saved.file);
    if (added.length === 0) {
      lines.push(
        `**Saved** \`${saved.file}\`, but the reloaded archive has no document from it: its text repeats documents already in the archive, or \`.archivistignore\` leaves it out. Move it out of the archive folder if it is not wanted.`,
      );
    } else {
      const described = added.map(
        (d) => `**${escapeText(truncate(d.title, 100))}** (${plural(report.archive.passages(d.id).length, 'passage')})`,
      );
      lines.push(
        `**Added** \`${saved.file}\`: ${added.length === 1 ? described[0] : `${plural(added.length, 'document')}: ${listWithin(described, '; ', 900)}`}.`,
      );
    }
    lines.push(
      `Reloaded in ${(report.durationMs / 1000).toFixed(1)} s: ${plural(report.archive.documents.length, 'document')} in all. It answers /ask and /search now; /remove takes it out again.`,
    );
    // A repeat of an earlier document's text keeps the first in path order: an upload can displace one.
    const gone = report.diff.removed;
    if (gone.length) {
      lines.push(
        `**No longer in the archive** (the new file repeats their text and comes first, or they changed on disk meanwhile): ${refs(gone)}`,
      );
    }
    if (shards) lines.push(...shardLines(shards));
  }
  lines.push(...machines);
  if (saved.skipped.length) lines.push(`Skipped in the file:\n${skippedList(saved.skipped)}`);
  return lines.join('\n');
}
