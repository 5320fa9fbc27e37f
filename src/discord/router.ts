/**
 * Dispatches interactions to the command modules, inside the one error boundary, and applies the
 * per-user cooldown to the commands that ask for it.
 */
import type { Interaction, RepliableInteraction } from 'discord.js';
import { guarded, type Happening } from './boundary.js';
import { isMessageCommand, type AnyCommand, type Command } from './command.js';
import type { Logger } from './logger.js';
import { reply } from './reply.js';

/** What the router itself needs of a context: a log, and a per-user turn for commands with a cooldown. */
interface RouterContext {
  readonly logger: Logger;
  readonly cooldowns: { take(userId: string): { ok: true } | { ok: false; retryAfterMs: number } };
  /** Per-user turns for autocomplete: past them a keystroke gets no suggestions (and costs no search). */
  readonly autocompleteTurns?: { take(userId: string): { ok: boolean } };
}

/** A friendly "slow down" for the cooldown. */
export function cooldownNotice(retryAfterMs: number): string {
  return `You're asking quickly; please wait ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s before the next question.`;
}

export function createInteractionHandler<Ctx extends RouterContext>(
  ctx: Ctx,
  commands: readonly AnyCommand<Ctx>[],
): (interaction: Interaction) => Promise<void> {
  const slashCommands = commands.filter((c): c is Command<Ctx> => !isMessageCommand(c));
  const byName = new Map(slashCommands.map((c) => [c.definition.name, c]));
  const messageCommands = new Map(commands.filter(isMessageCommand).map((c) => [c.definition.name, c]));

  const tell = (interaction: RepliableInteraction) => (message: string) => reply(interaction, { content: message }, { ephemeral: true });

  /** Runs a command's handler, unless it has a cooldown and the user has no turn left. */
  const run = async <I extends RepliableInteraction>(
    interaction: I,
    what: Happening,
    command: { readonly cooldown?: boolean; execute(interaction: I, ctx: Ctx): Promise<void> } | undefined,
  ): Promise<void> => {
    if (!command) {
      ctx.logger.warn('unknown command', { ...what });
      await reply(
        interaction,
        { content: 'I no longer know this command; an admin may need to run `npm run register` again.' },
        { ephemeral: true },
      );
      return;
    }
    if (command.cooldown) {
      const turn = ctx.cooldowns.take(interaction.user.id);
      if (!turn.ok) {
        await reply(interaction, { content: cooldownNotice(turn.retryAfterMs) }, { ephemeral: true });
        return;
      }
    }
    await command.execute(interaction, ctx);
  };

  return async (interaction) => {
    const base = { userId: interaction.user.id, guildId: interaction.guildId, channelId: interaction.channelId };

    if (interaction.isChatInputCommand()) {
      const what: Happening = { kind: 'command', command: interaction.commandName, ...base };
      await guarded(ctx.logger, what, () => run(interaction, what, byName.get(interaction.commandName)), tell(interaction));
    } else if (interaction.isMessageContextMenuCommand()) {
      const what: Happening = { kind: 'command', command: interaction.commandName, ...base };
      await guarded(ctx.logger, what, () => run(interaction, what, messageCommands.get(interaction.commandName)), tell(interaction));
    } else if (interaction.isAutocomplete()) {
      await guarded(
        ctx.logger,
        { kind: 'autocomplete', command: interaction.commandName, ...base },
        async () => {
          const command = byName.get(interaction.commandName);
          if (ctx.autocompleteTurns && !ctx.autocompleteTurns.take(interaction.user.id).ok) await interaction.respond([]);
          else if (command?.autocomplete) await command.autocomplete(interaction, ctx);
          else await interaction.respond([]);
        },
        // An autocomplete cannot show a message; an empty list is the honest answer.
        async () => {
          if (!interaction.responded) await interaction.respond([]);
        },
      );
    } else if (interaction.isButton()) {
      // A forged press may carry no custom_id at all: read it as no command rather than throw here,
      // outside the boundary.
      const customId: unknown = interaction.customId;
      const [name = '', ...args] = typeof customId === 'string' ? customId.split(':') : [];
      await guarded(
        ctx.logger,
        { kind: 'button', command: name, ...base },
        async () => {
          const command = byName.get(name);
          if (!command?.button) {
            await reply(interaction, { content: 'This button no longer works; run the command again.' }, { ephemeral: true });
            return;
          }
          await command.button(interaction, ctx, args);
        },
        tell(interaction),
      );
    }
  };
}
