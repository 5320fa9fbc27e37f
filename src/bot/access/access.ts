/**
 * Who may use the bot at all: the servers in ALLOWED_GUILD_IDS (every server when it is unset), and
 * direct messages only with ALLOW_DMS. Checked before any command runs, so the host's archive is not
 * exposed, nor /reload run, in a server the bot was added to without the host's say.
 */
import type { Guild, Interaction, Message } from 'discord.js';
import type { Logger } from '../../discord/logger.js';
import { reply } from '../../discord/reply.js';
import type { Config } from '../config.js';

type Refusal = 'guild not allowed' | 'direct messages off';

export const GUILD_REFUSAL = 'This bot answers only in the servers its host set it up for.';
export const DM_REFUSAL = 'I answer in the servers I was set up for, not in direct messages: ask me there.';

/** Whether a server may use the bot. */
function guildAllowed(config: Pick<Config, 'allowedGuildIds'>, guildId: string): boolean {
  return config.allowedGuildIds === undefined || config.allowedGuildIds.has(guildId);
}

/**
 * Why an interaction is refused, or undefined when it may go on. An admin command in a DM goes on:
 * it refuses itself there, and says why in its own words (its autocomplete does not: the caller
 * passes `adminCommand: false` for one, so it is refused with DMs off).
 */
function refusalOf(
  config: Pick<Config, 'allowedGuildIds' | 'allowDms'>,
  where: { guildId: string | null; adminCommand: boolean },
): Refusal | undefined {
  if (where.guildId !== null) return guildAllowed(config, where.guildId) ? undefined : 'guild not allowed';
  return config.allowDms || where.adminCommand ? undefined : 'direct messages off';
}

/** The command (or button's command) an interaction is for, for the log. */
function commandOf(interaction: Interaction): string | undefined {
  if (interaction.isCommand() || interaction.isAutocomplete()) return interaction.commandName;
  if (interaction.isMessageComponent()) {
    // A forged press may carry no custom_id: this runs before the error boundary, so it must not throw.
    const id: unknown = interaction.customId;
    return typeof id === 'string' ? id.split(':')[0] : undefined;
  }
  return undefined;
}

/**
 * Wraps the interaction handler: a refused interaction gets a short private reply (an empty list for
 * an autocomplete), one log line naming the server, the user and the command, and nothing else.
 */
export function guardInteractions(
  config: Pick<Config, 'allowedGuildIds' | 'allowDms'>,
  logger: Logger,
  isAdminCommand: (name: string) => boolean,
  handle: (interaction: Interaction) => Promise<void>,
  onRefused: (command: string | undefined, reason: Refusal) => void = () => {},
): (interaction: Interaction) => Promise<void> {
  return async (interaction) => {
    const command = commandOf(interaction);
    // An admin command refuses itself in a DM, but its autocomplete would list the archive first: that is refused here.
    const adminCommand = command !== undefined && isAdminCommand(command) && !interaction.isAutocomplete();
    const reason = refusalOf(config, { guildId: interaction.guildId, adminCommand });
    if (reason === undefined) return handle(interaction);
    logger.warn('interaction refused', { reason, guildId: interaction.guildId, userId: interaction.user.id, command });
    onRefused(command, reason);
    try {
      if (interaction.isAutocomplete()) await interaction.respond([]);
      else if (interaction.isRepliable()) {
        await reply(interaction, { content: reason === 'guild not allowed' ? GUILD_REFUSAL : DM_REFUSAL }, { ephemeral: true });
      }
    } catch (err) {
      logger.warn('could not tell a refused user', { guildId: interaction.guildId, userId: interaction.user.id, command, err });
    }
  };
}

/** Wraps the message handler: a message from a server not allowed is ignored, and logged. */
export function guardMessages(
  config: Pick<Config, 'allowedGuildIds'>,
  logger: Logger,
  handle: (message: Message) => Promise<void>,
): (message: Message) => Promise<void> {
  return async (message) => {
    if (message.guildId === null || guildAllowed(config, message.guildId)) return handle(message);
    if (message.author.bot || !message.mentions.users.has(message.client.user.id)) return;
    logger.warn('message refused', {
      reason: 'guild not allowed',
      guildId: message.guildId,
      userId: message.author.id,
      command: 'mention',
    });
  };
}

/** Leaves a server not in ALLOWED_GUILD_IDS (the bot was added there, or was in it before the setting). */
export async function leaveIfNotAllowed(config: Pick<Config, 'allowedGuildIds'>, logger: Logger, guild: Guild): Promise<void> {
  if (guildAllowed(config, guild.id)) return;
  logger.warn('leaving a server not in ALLOWED_GUILD_IDS', { guildId: guild.id, guildName: guild.name, ownerId: guild.ownerId });
  try {
    await guild.leave();
  } catch (err) {
    logger.error('could not leave a server not in ALLOWED_GUILD_IDS', { guildId: guild.id, err });
  }
}
