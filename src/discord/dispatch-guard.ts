/**
 * Repairs, before discord.js builds its objects from a gateway dispatch, the fields that would make
 * discord.js's own constructors throw: a permissions field that is not a number (`"abc"`) throws in
 * the Interaction constructor, outside every handler, as an unhandled rejection that nobody answers.
 * Discord never sends such a field; a forged or broken gateway could. Such a field is read as no
 * permissions at all, which can only refuse more, never allow more.
 */
import type { Client } from 'discord.js';

const PERMISSION_BITS = /^\d{1,40}$/;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;

function repairPermissions(owner: unknown, key: string): void {
  if (!isObject(owner) || owner[key] === undefined || owner[key] === null) return;
  const value = owner[key];
  if (typeof value !== 'string' || !PERMISSION_BITS.test(value)) owner[key] = '0';
}

/** Fixes an INTERACTION_CREATE payload in place; anything else is left alone. */
function repairDispatch(packet: unknown): void {
  if (!isObject(packet) || packet['t'] !== 'INTERACTION_CREATE' || !isObject(packet['d'])) return;
  const interaction = packet['d'];
  repairPermissions(interaction, 'app_permissions');
  repairPermissions(interaction['member'], 'permissions');
  repairPermissions(interaction['channel'], 'permissions');
}

/**
 * Runs {@link repairDispatch} on every dispatch. discord.js emits `raw` with the packet just before
 * it handles it, so the repair lands first. Call before logging in.
 */
export function guardDispatches(client: Client): void {
  // `raw` is not among discord.js's typed client events.
  (client as unknown as NodeJS.EventEmitter).on('raw', repairDispatch);
}
