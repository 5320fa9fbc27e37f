/**
 * Who may use what: allowed servers and DMs, admin checks, cooldowns.
 * The wing's entry: everything outside src/bot/access/ imports it from here.
 */
export { guardInteractions, guardMessages, leaveIfNotAllowed } from './access.js';
export { Cooldowns } from './cooldown.js';
export type { CooldownOptions } from './cooldown.js';
export { ADMIN_ONLY, allowAdmin, deferPrivately, isAdmin } from './permissions.js';
