import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ButtonStyle,
  ComponentType,
  InteractionContextType,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type ButtonInteraction,
  type APIEmbed,
  type APIEmbedField,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { ArchiveDocument, Passage } from '../src/archive/index.js';
import { PASSAGE_ACTION, READ_ACTION } from '../src/bot/answers/index.js';
import { resolveDocument, documentRef } from '../src/bot/browse/index.js';
import { autocompleteDocument, documentOption, documentOrTell } from './shared.js';
import { customId } from '../src/discord/custom-id.js';
import { readArgs } from '../src/discord/command.js';
import type { BotContext } from '../src/bot/context.js';
import { chunkText, escapeText, maskedLink, plural, quoteInput, shortDate, truncate } from '../src/discord/format.js';
import { EMBED_DESCRIPTION_MAX } from '../src/discord/limits.js';
import { reply, type ReplyBody } from '../src/discord/reply.js';

export const definition = {
  type: ApplicationCommandType.ChatInput,
  name: 'source',
  description: "A document's details and passage list, or one passage in full",
  contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
  integration_types: [ApplicationIntegrationType.GuildInstall],
  options: [
    documentOption,
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
  const document = await documentOrTell(interaction, archive, args.document, ', or find it with `/search`');
  if (!document) return;
  const passages = archive.passages(document.id);
  if (args.passage === undefined) {
    await reply(interaction, overviewPage(document, passages, 0));
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
  // The whole passage, verbatim: split over several messages if one cannot hold it; the last one
  // carries Previous/Next.
  const chunks = chunkText(escapeText(found.text), EMBED_DESCRIPTION_MAX);
  const url = embedUrl(document);
  for (const [i, chunk] of chunks.entries()) {
    const embed: APIEmbed = { description: chunk };
    if (i === 0) {
      embed.title = truncate(document.title, 256);
      if (url) embed.url = url;
    }
    const last = i === chunks.length - 1;
    if (last) embed.footer = { text: footer(document, `Passage ${found.passage.position} of ${passages.length}`) };
    await reply(interaction, {
      embeds: [embed],
      components: last ? [passageButtons(document, found.passage.position, passages.length)] : [],
    });
  }
}

/**
 * Buttons: `source:read:<document>:<passage>` shows a passage privately (from an answer);
 * `source:p:<document>:<passage>` turns the passage view it is on to another passage;
 * `source:l:<document>:<page>` turns a passage list to another page. The document is a
 * {@link documentRef}, stable across reloads; anything stale or forged gets a short private note.
 */
export async function button(interaction: ButtonInteraction, ctx: BotContext, args: string[]): Promise<void> {
  const [action = '', ref = '', numberText = ''] = args;
  const archive = ctx.archive.current;
  const number = /^\d{1,9}$/.test(numberText) ? Number(numberText) : undefined;
  if (![READ_ACTION, PASSAGE_ACTION, LIST_ACTION].includes(action) || number === undefined || args.length !== 3) {
    await reply(interaction, { content: 'This button no longer works; run the command again.' }, { ephemeral: true });
    return;
  }
  const document = resolveDocument(archive, ref);
  if (!document) {
    await reply(
      interaction,
      {
        content: 'That document is no longer in the archive (it was removed or renamed since). Find it again with `/search` or `/source`.',
      },
      { ephemeral: true },
    );
    return;
  }
  const passages = archive.passages(document.id);
  if (action === LIST_ACTION) {
    await reply(interaction, overviewPage(document, passages, number), { update: true });
    return;
  }
  const found = passages.find((p) => p.passage.position === number);
  if (!found) {
    await reply(
      interaction,
      {
        content: `${quoteInput(document.title, 100)} now has ${plural(passages.length, 'passage')} and no passage ${number}; the archive changed since. Open it again with \`/source\`.`,
      },
      { ephemeral: true },
    );
    return;
  }
  const body: ReplyBody = {
    embeds: [passageEmbed(document, found.text, found.passage.position, passages.length)],
    components: [passageButtons(document, found.passage.position, passages.length)],
  };
  if (action === READ_ACTION) await reply(interaction, body, { ephemeral: true });
  else await reply(interaction, body, { update: true });
}

/** Documents ranked against what was typed: shared with /remove. */
export const autocomplete = autocompleteDocument;

/** Passages per page of a document's passage list. */
const LIST_PAGE_SIZE = 15;

/** One page of a document's details and passage list, with Previous/Next page buttons when there are more. */
function overviewPage(
  document: ArchiveDocument,
  passages: ReadonlyArray<{ passage: Passage; text: string }>,
  wantedPage: number,
): ReplyBody {
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

  const pages = Math.max(1, Math.ceil(passages.length / LIST_PAGE_SIZE));
  const page = Math.min(Math.max(0, wantedPage), pages - 1);
  const lines = passages.slice(page * LIST_PAGE_SIZE, (page + 1) * LIST_PAGE_SIZE).map(({ passage, text }) => {
    const opening = escapeText(truncate(text.replace(/\s+/g, ' ').trim(), OPENING_CHARS));
    return `**${passage.position}.** ${opening}`;
  });
  const first = page * LIST_PAGE_SIZE + 1;
  const shown = pages > 1 ? `Passages ${first}–${first + lines.length - 1} of ${passages.length} · ` : '';
  const embed: APIEmbed = {
    title: truncate(document.title, 256),
    description: lines.join('\n') || 'This document has no passages.',
    fields,
    footer: { text: `${shown}Use the passage option to read one passage in full.` },
  };
  if (url) embed.url = url;
  const ref = documentRef(document);
  return {
    embeds: [embed],
    components:
      pages > 1
        ? [
            previousNext(
              customId('source', LIST_ACTION, ref, page - 1),
              customId('source', LIST_ACTION, ref, page + 1),
              page <= 0,
              page >= pages - 1,
            ),
          ]
        : [],
  };
}

/** A passage in full as one embed (what a button shows); a passage too long for one is cut, and says where to read the rest. */
function passageEmbed(document: ArchiveDocument, text: string, position: number, count: number): APIEmbed {
  const chunks = chunkText(escapeText(text), EMBED_DESCRIPTION_MAX - 200);
  const rest = chunks.length > 1 ? `\n\n*The passage goes on: \`/source\` with \`passage:${position}\` shows all of it.*` : '';
  const embed: APIEmbed = {
    title: truncate(document.title, 256),
    description: chunks[0]! + rest,
    footer: { text: footer(document, `Passage ${position} of ${count}`) },
  };
  const url = embedUrl(document);
  if (url) embed.url = url;
  return embed;
}

function passageButtons(document: ArchiveDocument, position: number, count: number): Row {
  const ref = documentRef(document);
  return previousNext(
    customId('source', PASSAGE_ACTION, ref, position - 1),
    customId('source', PASSAGE_ACTION, ref, position + 1),
    position <= 1,
    position >= count,
    'passage',
  );
}

/** A row with Previous and Next buttons. */
function previousNext(previousId: string, nextId: string, atStart: boolean, atEnd: boolean, what = 'page'): Row {
  return {
    type: ComponentType.ActionRow,
    components: [
      // A disabled button still needs an id that differs from its neighbour's.
      { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: previousId, label: `Previous ${what}`, disabled: atStart },
      { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: nextId, label: `Next ${what}`, disabled: atEnd },
    ],
  };
}

type Row = APIActionRowComponent<APIComponentInMessageActionRow>;

/** Turns a passage list to another page. */
const LIST_ACTION = 'l';

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
