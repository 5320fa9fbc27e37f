/**
 * "Ask the archive", a message context-menu command: right-click (or long-press) any message →
 * Apps → Ask the archive, and its text is asked as /ask would ask it. The message comes with the
 * interaction (resolved by Discord), so this needs no privileged intent.
 */
import {
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type MessageContextMenuCommandInteraction,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { BotContext } from '../src/bot/context.js';
import { questionText, sendAnswer } from '../src/bot/answers/index.js';
import { deferIfBehind, reply } from '../src/discord/reply.js';

export const definition = {
  type: ApplicationCommandType.Message,
  name: 'Ask the archive',
  contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
  integration_types: [ApplicationIntegrationType.GuildInstall],
} as const satisfies RESTPostAPIContextMenuApplicationCommandsJSONBody;

/** Counts against the per-user cooldown, like /ask. */
export const cooldown = true;

const EMPTY_MESSAGE =
  'That message has no text to ask about (only attachments, embeds or mentions). Pick a message with words in it, or use `/ask`.';

export async function execute(interaction: MessageContextMenuCommandInteraction, ctx: BotContext): Promise<void> {
  const started = performance.now();
  // Mentions are markup, not words of the question (and the bot's own mention is no topic).
  const question = questionText(interaction.targetMessage.content, interaction.client.user.id);
  if (!question) {
    await reply(interaction, { content: EMPTY_MESSAGE }, { ephemeral: true });
    return;
  }
  await deferIfBehind(interaction);
  await sendAnswer(interaction, ctx, { question, userId: interaction.user.id }, 'ask-message', started);
}
