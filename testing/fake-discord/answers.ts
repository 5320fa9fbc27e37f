/**
 * Reading the bot's answer to an interaction off the fake's recorded requests. Free of the test
 * runner, so `npm run try` (testing/try.ts) reads answers the way the tests do.
 */
import type { FakeDiscord, RecordedRequest } from './server.js';

/** The bot's answer to an interaction: its initial callback and the message it finally showed. */
export interface Answer {
  /** The interaction callback body (type 4 message, 5 deferred, 7 update, 8 autocomplete). */
  callback: RecordedRequest;
  /** The message body the user ends up seeing (the callback's data, or the edit of a deferred reply). */
  message: any;
  /** All follow-up message bodies sent so far. */
  followUps: any[];
}

const callbackPath = (i: any) => `/interactions/${i.id}/${i.token}/callback`;

/**
 * How a long /reload's progress edits begin (commands/reload.ts `progressText`): they come before
 * its answer, which replaces them, so they are not the answer.
 */
export const PROGRESS_EDIT_PREFIX = '**Reloading…**';

/** Waits for the bot's complete answer to `interaction`. */
export async function answerOf(fake: FakeDiscord, interaction: any, { timeoutMs = 10_000 } = {}): Promise<Answer> {
  const callback = await fake.waitForRequest((r) => r.method === 'POST' && r.path === callbackPath(interaction), { timeoutMs });
  let message = callback.body?.data;
  if (callback.body?.type === 5 || callback.body?.type === 6) {
    const edit = await fake.waitForRequest(
      (r) =>
        (r.method === 'PATCH' &&
          r.path === `/webhooks/${fake.applicationId}/${interaction.token}/messages/@original` &&
          !String(r.body?.content ?? '').startsWith(PROGRESS_EDIT_PREFIX)) ||
        (r.method === 'POST' && r.path === `/webhooks/${fake.applicationId}/${interaction.token}`),
      { timeoutMs },
    );
    message = edit.body;
  }
  return { callback, message, followUps: followUpsOf(fake, interaction) };
}

export function followUpsOf(fake: FakeDiscord, interaction: any): any[] {
  return fake.requests
    .filter((r) => r.status < 300 && r.method === 'POST' && r.path === `/webhooks/${fake.applicationId}/${interaction.token}`)
    .map((r) => r.body);
}
