/** Who may use admin commands: Manage Server, or the configured ADMIN_USER_IDS / ADMIN_ROLE_IDS. */
import { PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import type { Config } from './config.js';

export function isAdmin(interaction: ChatInputCommandInteraction, config: Pick<Config, 'adminUserIds' | 'adminRoleIds'>): boolean {
  if (config.adminUserIds.has(interaction.user.id)) return true;
  if (!interaction.inGuild()) return false;
  // Checked at run time too: a server admin may have removed the command's default permission gate.
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return true;
  const roles = interaction.member.roles;
  const roleIds = Array.isArray(roles) ? roles : [...roles.cache.keys()];
  return roleIds.some((id) => config.adminRoleIds.has(id));
}
