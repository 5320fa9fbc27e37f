/**
 * A component's custom_id: `<command>:<part>:<part>…`, which the router splits on `:` to find the
 * command module and its arguments. Parts must not contain `:`; the whole fits Discord's limit.
 */
import { CUSTOM_ID_MAX } from './limits.js';

/** Joins the parts; throws when a part holds `:` or the id would be longer than {@link CUSTOM_ID_MAX}. */
export function customId(command: string, ...parts: Array<string | number>): string {
  const all = [command, ...parts.map(String)];
  if (all.some((p) => p.includes(':'))) throw new RangeError(`customId: a part contains ":" (${all.join(' | ')})`);
  const id = all.join(':');
  if (id.length > CUSTOM_ID_MAX) throw new RangeError(`customId: ${id.length} characters, over Discord's ${CUSTOM_ID_MAX}`);
  return id;
}
