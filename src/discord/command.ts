/**
 * What a command module exports, generic over the context its handlers get, and typed arguments read from a
 * command's own definition (so a handler's `args.question` is a `string` because the definition says
 * the option is a required STRING).
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type Attachment,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type MessageContextMenuCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';

/** A slash command. */
export interface Command<Ctx> {
  readonly definition: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, ctx: Ctx): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: Ctx): Promise<void>;
  /** Handles buttons whose custom_id is `<command name>:<args…>` (colon separated). */
  button?(interaction: ButtonInteraction, ctx: Ctx, args: string[]): Promise<void>;
  /** Subject to the per-user cooldown. @defaultValue false */
  readonly cooldown?: boolean;
}

/** A message context-menu command (Apps → name, on a message): no options, no description; it gets the message. */
interface MessageCommand<Ctx> {
  readonly definition: RESTPostAPIContextMenuApplicationCommandsJSONBody & { readonly type: ApplicationCommandType.Message };
  execute(interaction: MessageContextMenuCommandInteraction, ctx: Ctx): Promise<void>;
  /** Subject to the per-user cooldown. @defaultValue false */
  readonly cooldown?: boolean;
}

/** Any command module a bot serves and registers. */
export type AnyCommand<Ctx> = Command<Ctx> | MessageCommand<Ctx>;

export function isMessageCommand<Ctx>(command: AnyCommand<Ctx>): command is MessageCommand<Ctx> {
  return command.definition.type === ApplicationCommandType.Message;
}

interface OptionDefinition {
  readonly name: string;
  readonly type: ApplicationCommandOptionType;
  readonly required?: boolean;
}

type OptionValue<T extends ApplicationCommandOptionType> = T extends ApplicationCommandOptionType.String
  ? string
  : T extends ApplicationCommandOptionType.Integer | ApplicationCommandOptionType.Number
    ? number
    : T extends ApplicationCommandOptionType.Boolean
      ? boolean
      : T extends ApplicationCommandOptionType.Attachment
        ? Attachment
        : never;

/** The arguments a definition declares: required options are always present, the others may be undefined. */
export type ArgsOf<D> = D extends { readonly options: readonly (infer O extends OptionDefinition)[] }
  ? {
      [K in O as K['name']]: K extends { readonly required: true } ? OptionValue<K['type']> : OptionValue<K['type']> | undefined;
    }
  : Record<string, never>;

/** Reads the options `definition` declares from the interaction, typed by the definition. */
export function readArgs<D extends { readonly options?: readonly OptionDefinition[] }>(
  interaction: ChatInputCommandInteraction | AutocompleteInteraction,
  definition: D,
): ArgsOf<D> {
  const args: Record<string, string | number | boolean | Attachment | undefined> = {};
  for (const option of definition.options ?? []) {
    const { name } = option;
    // While autocompleting, required options the user has not reached yet are absent.
    const required = option.required === true && interaction.isChatInputCommand();
    switch (option.type) {
      case ApplicationCommandOptionType.String:
        args[name] = interaction.options.getString(name, required) ?? undefined;
        break;
      case ApplicationCommandOptionType.Integer:
        args[name] = interaction.options.getInteger(name, required) ?? undefined;
        break;
      case ApplicationCommandOptionType.Number:
        args[name] = interaction.options.getNumber(name, required) ?? undefined;
        break;
      case ApplicationCommandOptionType.Boolean:
        args[name] = interaction.options.getBoolean(name, required) ?? undefined;
        break;
      case ApplicationCommandOptionType.Attachment:
        // An autocomplete carries no attachments (Discord resolves them only when the command is sent).
        args[name] = interaction.isChatInputCommand() ? (interaction.options.getAttachment(name, required) ?? undefined) : undefined;
        break;
      default:
        throw new Error(`readArgs: option type ${option.type} of "${name}" is not supported`);
    }
  }
  return args as ArgsOf<D>;
}
