import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { DEFAULT_RESULTS, MAX_RESULTS, HELPFUL_ACTION, UNHELPFUL_ACTION, sendAnswer, readFilters } from '../src/bot/answers/index.js';
import type { VoteOutcome } from '../src/feedback/store.js';
import { readArgs } from '../src/discord/command.js';
import type { BotContext } from '../src/bot/context.js';
import { deferIfBehind, reply } from '../src/discord/reply.js';
import { autocompleteSource, fromOption, sourceOption, toOption } from './shared.js';

export const definition = {
  type: ApplicationCommandType.ChatInput,
  name: 'ask',
  description: 'Ask the archive a question: the best passages, quoted word for word, with their sources',
  contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
  integration_types: [ApplicationIntegrationType.GuildInstall],
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'question',
      description: 'What you want to know, in your own words',
      required: true,
      max_length: 500,
    },
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'results',
      description: `How many passages to show (default ${DEFAULT_RESULTS})`,
      min_value: 1,
      max_value: MAX_RESULTS,
    },
    fromOption,
    toOption,
    sourceOption,
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

/** Counts against the per-user cooldown. */
export const cooldown = true;

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const started = performance.now();
  const args = readArgs(interaction, definition);
  const archive = ctx.archive.current;
  const filters = readFilters(args, archive);
  if (!filters.ok) {
    await reply(interaction, { content: filters.message }, { ephemeral: true });
    return;
  }
  await deferIfBehind(interaction);
  await sendAnswer(
    interaction,
    ctx,
    {
      question: args.question,
      results: args.results,
      filters: filters.filters,
      filterDescription: filters.description,
      userId: interaction.user.id,
    },
    definition.name,
    started,
  );
}

/** How long a vote in a shared database (PostgreSQL) may take before the button's reply is deferred. */
const VOTE_WAIT_MS = 1_500;

export const VOTE_NOT_SAVED = 'Your vote could not be saved just now; please try again in a minute.';

/** 👍/👎 under an answer: `ask:up:<answer>` / `ask:down:<answer>`. A second vote replaces the first. */
export async function button(interaction: ButtonInteraction, ctx: BotContext, args: string[]): Promise<void> {
  const [action = '', answerId = ''] = args;
  if ((action !== HELPFUL_ACTION && action !== UNHELPFUL_ACTION) || args.length !== 2 || !ctx.feedback) {
    await reply(interaction, { content: 'This button no longer works; ask again.' }, { ephemeral: true });
    return;
  }
  const helpful = action === HELPFUL_ACTION;
  let outcome: VoteOutcome;
  try {
    const voting = ctx.feedback.vote(answerId, interaction.user.id, helpful);
    if (voting instanceof Promise) {
      // A shared database answers in milliseconds; one that is slow to connect must not miss Discord's 3 s.
      const late = await Promise.race([
        voting.then(() => false),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(true), VOTE_WAIT_MS).unref()),
      ]).catch(() => false);
      if (late) await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      outcome = await voting;
    } else {
      outcome = voting;
    }
  } catch (err) {
    // Busy (another process holds the SQLite file's lock), failing, or the shared database (DATABASE_URL)
    // unreachable: votes are optional, so say so kindly; the vote can be cast again later.
    ctx.logger.warn('vote not recorded', { userId: interaction.user.id, answerId, err });
    await reply(interaction, { content: VOTE_NOT_SAVED }, { ephemeral: true });
    return;
  }
  const messages: Record<VoteOutcome, string> = {
    recorded: helpful ? 'Thanks: noted as helpful 👍.' : 'Thanks: noted as not helpful 👎. It helps improve the archive’s answers.',
    replaced: `Changed your vote to ${helpful ? 'helpful 👍' : 'not helpful 👎'}.`,
    'unknown-answer': 'This answer is too old to rate; ask again to rate the new answer.',
  };
  await reply(interaction, { content: messages[outcome] }, { ephemeral: true });
}

export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  await autocompleteSource(interaction, ctx);
}
