/**
 * Command registration (slash commands and context menus), run by `npm run register` (never on every start): compares the
 * definitions in commands/index.ts with what Discord has, overwrites them in one bulk PUT — to one
 * server when DISCORD_GUILD_ID is set, else globally, never both — and reports what changed.
 */
import { ApplicationCommandType, REST, Routes, type APIApplicationCommand, type RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';

/** Where and as whom to register: the bot's settings of the same names. */
interface RegistrationTarget {
  token?: string | undefined;
  clientId?: string | undefined;
  /** Register to this server only; globally when unset. */
  guildId?: string | undefined;
  apiUrl: string;
}

interface RegisterResult {
  scope: 'guild' | 'global';
  /** The guild id, for a guild registration. */
  guildId?: string;
  added: string[];
  updated: string[];
  removed: string[];
  unchanged: string[];
  /** Which of the names above are context-menu commands (shown by name, not as `/name`). */
  menus: string[];
}

/** A slash command's or a context-menu command's definition (the latter has no description or options). */
type Definition = RESTPostAPIApplicationCommandsJSONBody;

export async function registerCommands(
  config: RegistrationTarget,
  definitions: readonly Definition[],
  rest: REST = new REST({ api: config.apiUrl }),
): Promise<RegisterResult> {
  if (!config.token) throw new Error('DISCORD_TOKEN is not set.');
  if (!config.clientId) throw new Error('DISCORD_CLIENT_ID is not set.');
  rest.setToken(config.token);
  const route = config.guildId
    ? Routes.applicationGuildCommands(config.clientId, config.guildId)
    : Routes.applicationCommands(config.clientId);
  const existing = (await rest.get(route)) as APIApplicationCommand[];
  const before = new Map(existing.map((c) => [c.name, c]));
  const result: RegisterResult = {
    scope: config.guildId ? 'guild' : 'global',
    ...(config.guildId ? { guildId: config.guildId } : {}),
    added: [],
    updated: [],
    removed: [],
    unchanged: [],
    menus: [...definitions, ...existing]
      .filter((c) => (c.type ?? ApplicationCommandType.ChatInput) !== ApplicationCommandType.ChatInput)
      .map((c) => c.name),
  };
  for (const definition of definitions) {
    const old = before.get(definition.name);
    if (!old) result.added.push(definition.name);
    else if (JSON.stringify(normalizeCommand(old)) === JSON.stringify(normalizeCommand(definition))) result.unchanged.push(definition.name);
    else result.updated.push(definition.name);
  }
  const names = new Set(definitions.map((d) => d.name));
  for (const c of existing) if (!names.has(c.name)) result.removed.push(c.name);
  await rest.put(route, { body: definitions });
  return result;
}

/** What `npm run register` prints. */
export function formatRegisterResult(result: RegisterResult): string {
  const where = result.scope === 'guild' ? `to server ${result.guildId}` : 'globally (all servers the bot is in)';
  const total = result.added.length + result.updated.length + result.unchanged.length;
  const lines = [total ? `Registered ${total} commands ${where}.` : `Cleared the commands registered ${where}.`];
  const shown = (name: string) => (result.menus.includes(name) ? `“${name}” (menu)` : `/${name}`);
  for (const key of ['added', 'updated', 'removed', 'unchanged'] as const) {
    if (result[key].length) lines.push(`  ${key.padEnd(9)} ${result[key].map(shown).join(', ')}`);
  }
  if (!result.added.length && !result.updated.length && !result.removed.length) lines.push('  Nothing changed.');
  return lines.join('\n');
}

// The fields Discord echoes back, with its defaults filled in, in a fixed key order.
function normalizeCommand(c: Partial<APIApplicationCommand> | Definition): unknown {
  return {
    type: c.type ?? 1,
    name: c.name,
    description: 'description' in c ? (c.description ?? '') : '',
    default_member_permissions: c.default_member_permissions ?? null,
    contexts: c.contexts ? [...c.contexts].sort() : null,
    integration_types: c.integration_types ? [...c.integration_types].sort() : [0],
    nsfw: c.nsfw ?? false,
    options: ('options' in c ? (c.options ?? []) : []).map(normalizeOption),
  };
}

function normalizeOption(o: object): unknown {
  const v = o as Record<string, unknown>;
  const out: Record<string, unknown> = {
    type: v.type,
    name: v.name,
    description: v.description,
    required: v.required ?? false,
    autocomplete: v.autocomplete ?? false,
  };
  for (const key of ['min_value', 'max_value', 'min_length', 'max_length', 'choices', 'channel_types']) {
    if (v[key] !== undefined && v[key] !== null) out[key] = v[key];
  }
  if (Array.isArray(v.options)) out.options = (v.options as object[]).map(normalizeOption);
  return out;
}
