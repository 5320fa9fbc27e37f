/** Option definitions and helpers shared by /ask and /search. */
import { ApplicationCommandOptionType, type AutocompleteInteraction } from 'discord.js';
import { fitChoices, rank } from '../src/bot/autocomplete.js';
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
  const focused = interaction.options.getFocused(true);
  if (focused.name !== sourceOption.name) {
    await interaction.respond([]);
    return;
  }
  const sources = rank(ctx.archive.current.sources(), focused.value, (s) => s);
  await interaction.respond(fitChoices(sources.map((s) => ({ name: s, value: s }))));
}
