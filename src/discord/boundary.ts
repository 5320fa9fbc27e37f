/**
 * The one error boundary. Every command, autocomplete, button and channel question runs inside
 * `guarded`: a failure is logged in full with the command and the user, and the user sees a short
 * message — never a stack trace or an internal error text.
 */
import type { Logger } from './logger.js';

/** What the user sees when something fails. */
export const USER_ERROR_MESSAGE =
  'Sorry, something went wrong on my side while answering. It has been logged; please try again in a moment.';

/** Who did what, for the log. */
export interface Happening {
  kind: 'command' | 'autocomplete' | 'button' | 'message';
  /** Command name (or the button's command). */
  command?: string;
  userId: string;
  guildId: string | null;
  channelId: string | null;
}

/**
 * Runs `work`; if it throws, logs the error with `what` and calls `tellUser` with a short message
 * (a failure to tell the user is logged too, and never escapes).
 */
export async function guarded(
  logger: Logger,
  what: Happening,
  work: () => Promise<void>,
  tellUser: (message: string) => Promise<void>,
): Promise<void> {
  const started = Date.now();
  try {
    await work();
    logger.debug('handled', { ...what, durationMs: Date.now() - started });
  } catch (err) {
    logger.error(`${what.kind} failed`, { ...what, durationMs: Date.now() - started, err });
    try {
      await tellUser(USER_ERROR_MESSAGE);
    } catch (tellErr) {
      logger.warn('could not tell the user about the failure', { ...what, err: tellErr });
    }
  }
}
