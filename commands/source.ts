import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIEmbed,
  type APIEmbedField,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { ArchiveDocument, Passage } from '../src/archive/index.js';
import { documentChoiceName, documentValue, fitChoices, rankDocuments, resolveDocument } from '../src/bot/autocomplete.js';
import { readArgs } from '../src/discord/command.js';
import type { BotContext } from '../src/bot/context.js';
import { chunkText, escapeText, maskedLink, plural, quoteInput, shortDate, truncate } from '../src/discord/format.js';
import { EMBED_DESCRIPTION_MAX } from '../src/discord/limits.js';
import { reply } from '../src/discord/reply.js';

export const definition = {
  type: ApplicationCommandType.ChatInput,
  name: 'source',
  description: "A document's details and passage list, or one passage in full",
  contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
  integration_types: [ApplicationIntegrationType.GuildInstall],
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'document',
      description: 'Start typing a title',
      required: true,
      autocomplete: true,
      max_length: 300,
    },
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'passage',
      description: 'Show this passage (its number in the passage list) in full',
      min_value: 1,
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

/** Characters of each passage's opening in the passage list. */
const OPENING_CHARS = 90;

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const args = readArgs(interaction, definition);
  const archive = ctx.archive.current;
  const document = resolveDocument(archive, args.document);
  if (!document) {
    await reply(
      interaction,
      {
        content: `No document ${quoteInput(args.document, 100)} in the archive. Pick one from the list that appears as you type, or find it with \`/search\`.`,
      },
      { ephemeral: true },
    );
    return;
  }
  const passages = archive.passages(document.id);
  if (args.passage === undefined) {
    await reply(interaction, { embeds: [overview(document, passages)] });
    return;
  }
  const found = passages.find((p) => p.passage.position === args.passage);
  if (!found) {
    await reply(
      interaction,
      {
        content: `${quoteInput(document.title, 100)} has ${plural(passages.length, 'passage')}; choose a passage number from 1 to ${passages.length}.`,
      },
      { ephemeral: true },
    );
    return;
  }
  // The whole passage, verbatim: split over several messages if one cannot hold it.
  const chunks = chunkText(escapeText(found.text), EMBED_DESCRIPTION_MAX);
  const url = embedUrl(document);
  for (const [i, chunk] of chunks.entries()) {
    const embed: APIEmbed = { description: chunk };
    if (i === 0) {
      embed.title = truncate(document.title, 256);
      if (url) embed.url = url;
    }
    if (i === chunks.length - 1) embed.footer = { text: footer(document, `Passage ${found.passage.position} of ${passages.length}`) };
    await reply(interaction, { embeds: [embed] });
  }
}

export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (focused.name !== 'document') {
    await interaction.respond([]);
    return;
  }
  const documents = rankDocuments(ctx.archive.current, focused.value);
  await interaction.respond(fitChoices(documents.map((d) => ({ name: documentChoiceName(d), value: documentValue(d) }))));
}

function overview(document: ArchiveDocument, passages: ReadonlyArray<{ passage: Passage; text: string }>): APIEmbed {
  const fields: APIEmbedField[] = [];
  if (document.source) fields.push({ name: 'Source', value: escapeText(document.source), inline: true });
  const date = shortDate(document.date);
  if (date) fields.push({ name: 'Date', value: date, inline: true });
  fields.push({ name: 'Passages', value: String(passages.length), inline: true });
  if (document.tags?.length) fields.push({ name: 'Tags', value: escapeText(document.tags.join(', ')) });
  fields.push({ name: 'File', value: escapeText(document.file), inline: true });
  if (document.id !== document.file) fields.push({ name: 'Id', value: escapeText(document.id), inline: true });
  const url = embedUrl(document);
  if (url) fields.push({ name: 'Link', value: maskedLink('The original', url) });

  const lines: string[] = [];
  let length = 0;
  for (const [i, { passage, text }] of passages.entries()) {
    const opening = escapeText(truncate(text.replace(/\s+/g, ' ').trim(), OPENING_CHARS));
    const line = `**${passage.position}.** ${opening}`;
    const rest = passages.length - i;
    const tail = `…and ${plural(rest, 'more passage')}.`;
    if (length + line.length + 1 + tail.length + 1 > EMBED_DESCRIPTION_MAX - 100) {
      lines.push(tail);
      break;
    }
    lines.push(line);
    length += line.length + 1;
  }
  const embed: APIEmbed = {
    title: truncate(document.title, 256),
    description: lines.join('\n') || 'This document has no passages.',
    fields,
    footer: { text: 'Use the passage option to read one passage in full.' },
  };
  if (url) embed.url = url;
  return embed;
}

function footer(document: ArchiveDocument, what: string): string {
  return [what, document.source, shortDate(document.date)].filter(Boolean).join(' · ');
}

function embedUrl(document: ArchiveDocument): string | undefined {
  if (!document.url) return undefined;
  try {
    const url = new URL(document.url);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
