/**
 * A load has a deadline (RELOAD_TIMEOUT_S, issue 10 item 6): a reload that hangs is stopped when it
 * passes, the archive in use keeps answering, the admin is told why, /archive stops saying "a reload
 * is running", and the next /reload starts a load of its own instead of joining the hung one.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { LoadArchive } from '../../src/bot/holder.js';
import { answerOf, startBot, unhandledRejections, type RunningBot } from '../../testing/fake-discord/harness.js';
import { fixtureLoad, makeFixtureDir } from '../../testing/fake-discord/fixture.js';
import { FakeDiscord, MANAGE_GUILD, MEMBER_PERMISSIONS } from '../../testing/fake-discord/server.js';

/** The first load works; every later one hangs until aborted (and records that it was). */
const loads: { signals: AbortSignal[] } = { signals: [] };
const hangAfterFirst: LoadArchive = (dir, signal) => {
  if (!signal) throw new Error('the holder passes every load a signal');
  loads.signals.push(signal);
  if (loads.signals.length === 1) return fixtureLoad(dir);
  return new Promise(() => undefined); // ignores the signal too: the holder must move on regardless
};

let fake: FakeDiscord;
let running: RunningBot;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  running = await startBot(fake, { env: { DATA_DIR: await makeFixtureDir(), RELOAD_TIMEOUT_S: '1' }, load: hangAfterFirst });
});

afterAll(async () => {
  await running?.stop();
  await fake?.close();
  expect(unhandledRejections).toEqual([]);
});

const admin = () => ({
  user: fake.makeUser(String(1500000000000000000n + BigInt(loads.signals.length)), 'admin'),
  permissions: String(BigInt(MEMBER_PERMISSIONS) | MANAGE_GUILD),
});

test('a hung reload is stopped at the deadline; the old archive answers and the next reload starts afresh', async () => {
  const before = running.bot.context.archive.current;
  const first = await answerOf(fake, fake.slashCommand(admin(), 'reload'), { timeoutMs: 15_000 });
  expect(first.message.content).toContain(
    '**Reload failed**: Cannot load archive: loading took longer than the 1 s limit (RELOAD\\_TIMEOUT\\_S) and was stopped',
  );
  expect(first.message.content).toContain('Nothing changed: still answering from the archive loaded');
  expect(loads.signals[1]?.aborted).toBe(true);
  expect(running.bot.context.archive.current).toBe(before);

  const status = await answerOf(fake, fake.slashCommand(admin(), 'archive'));
  expect(status.message.embeds[0].fields.find((f: { name: string }) => f.name === 'Loaded').value).not.toContain('a reload is running');

  const second = await answerOf(fake, fake.slashCommand(admin(), 'reload'), { timeoutMs: 15_000 });
  expect(loads.signals).toHaveLength(3); // its own load, not the hung one joined
  expect(second.message.content).not.toContain('joined a reload');
  expect(second.message.content).toContain('took longer than the 1 s limit');
});
