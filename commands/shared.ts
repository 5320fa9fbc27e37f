/** Option definitions and helpers shared by several commands (/ask and /search; /source and /remove). */
import { ApplicationCommandOptionType, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { Archive, ArchiveDocument } from '../src/archive/index.js';
import { resolveDocument, documentChoiceName, documentValue, fitChoices, rank, rankDocuments } from '../src/bot/browse/index.js';
import { quoteInput } from '../src/discord/format.js';
import { reply } from '../src/discord/reply.js';
import type { BotContext } from '../src/bot/context.js';

export const fromOption = {
  type: ApplicationCommandOptionType.String,
  name: 'from',
  description: 'Only documents dated on or after this: a year, year-month or date (2023, 2023-09, 2023-09-14)',
  max_length: 10,
} as const;

export const toOption = {
  type: ApplicationCommandOptionType.String,
  name: 'to',
  description: 'Only documents dated on or before this: a year, year-month or date (2023, 2023-09, 2023-09-14)',
  max_length: 10,
} as const;

export const sourceOption = {
  type: ApplicationCommandOptionType.String,
  name: 'source',
  description: 'Only documents from this source',
  autocomplete: true,
  max_length: 100,
} as const;

/** Autocomplete for the `source` option: the archive's sources ranked against what was typed. */
export async function autocompleteSource(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  await respondFor(interaction, sourceOption.name, (typed) =>
    rank(ctx.archive.current.sources(), typed, (s) => s).map((s) => ({ name: s, value: s })),
  );
}

/** A document picked by title (autocompleted by {@link autocompleteDocument}): /source and /remove. */
export const documentOption = {
  type: ApplicationCommandOptionType.String,
  name: 'document',
  description: 'Start typing a title',
  required: true,
  autocomplete: true,
  max_length: 300,
} as const;

/** Autocomplete for a `document` option: title matches first, then documents whose text matches (at most 25). */
export async function autocompleteDocument(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  await respondFor(interaction, documentOption.name, (typed) =>
    rankDocuments(ctx.archive.current, typed).map((d) => ({ name: documentChoiceName(d), value: documentValue(d) })),
  );
}

/** Answers an autocomplete of the option `name` with `choices` for what was typed (as many as Discord takes); other options get none. */
async function respondFor(
  interaction: AutocompleteInteraction,
  name: string,
  choices: (typed: string) => Array<{ name: string; value: string }>,
): Promise<void> {
  const focused = interaction.options.getFocused(true);
  await interaction.respond(focused.name === name ? fitChoices(choices(focused.value)) : []);
}

/** The document a `document` option names; when it names none, the user is told privately (with `hint`) and this is undefined. */
export async function documentOrTell(
  interaction: ChatInputCommandInteraction,
  archive: Archive,
  value: string,
  hint = '',
): Promise<ArchiveDocument | undefined> {
  const document = resolveDocument(archive, value);
  if (!document) {
    await reply(
      interaction,
      { content: `No document ${quoteInput(value, 100)} in the archive. Pick one from the list that appears as you type${hint}.` },
      { ephemeral: true },
    );
  }
  return document;
}
