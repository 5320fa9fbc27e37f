/**
 * Who may use admin commands: Manage Server, or the configured ADMIN_USER_IDS / ADMIN_ROLE_IDS.
 * Admin commands have two gates: `default_member_permissions` hides them from members without
 * Manage Server ({@link ADMIN_ONLY}), and {@link allowAdmin} checks again when one runs.
 */
import {
  ApplicationIntegrationType,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Logger } from '../../discord/logger.js';
import { reply } from '../../discord/reply.js';
import type { Config } from '../config.js';

/** The definition fields every admin command shares: servers only, hidden from members without Manage Server. */
export const ADMIN_ONLY: Required<
  Pick<RESTPostAPIChatInputApplicationCommandsJSONBody, 'contexts' | 'integration_types' | 'default_member_permissions'>
> = {
  contexts: [InteractionContextType.Guild],
  integration_types: [ApplicationIntegrationType.GuildInstall],
  // First gate: only members with Manage Server see the command by default. The second is isAdmin().
  default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
};

export function isAdmin(interaction: ChatInputCommandInteraction, config: Pick<Config, 'adminUserIds' | 'adminRoleIds'>): boolean {
  if (config.adminUserIds.has(interaction.user.id)) return true;
  if (!interaction.inGuild()) return false;
  // Checked at run time too: a server admin may have removed the command's default permission gate.
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return true;
  const roles = interaction.member.roles;
  const roleIds = Array.isArray(roles) ? roles : [...roles.cache.keys()];
  return roleIds.some((id) => config.adminRoleIds.has(id));
}

/**
 * The run-time gate: true for an admin; anyone else gets `refusal` privately, and the refusal is
 * logged with who tried.
 */
export async function allowAdmin(
  interaction: ChatInputCommandInteraction,
  ctx: { readonly config: Pick<Config, 'adminUserIds' | 'adminRoleIds'>; readonly logger: Logger },
  refusal: string,
): Promise<boolean> {
  if (isAdmin(interaction, ctx.config)) return true;
  ctx.logger.warn('admin command refused', { command: interaction.commandName, userId: interaction.user.id, guildId: interaction.guildId });
  await reply(interaction, { content: refusal }, { ephemeral: true });
  return false;
}

/** Defers an admin command's reply privately: its report is for the admin, and the work may take over 3 s. */
export async function deferPrivately(interaction: ChatInputCommandInteraction): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
}
