/**
 * Interactions with fields a real Discord would never send (issue 10, item 15): every field the bot
 * reads is read inside the error boundary, so a forged or malformed payload gets a short reply or
 * nothing, is logged, and never becomes an unhandled rejection.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { answerOf, startBot, unhandledRejections, type RunningBot } from '../../testing/fake-discord/harness.js';
import { fixtureLoad, makeFixtureDir } from '../../testing/fake-discord/fixture.js';
import { FakeDiscord, MEMBER_PERMISSIONS } from '../../testing/fake-discord/server.js';

let fake: FakeDiscord;
let running: RunningBot;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  running = await startBot(fake, { env: { DATA_DIR: await makeFixtureDir() }, load: fixtureLoad });
});

afterAll(async () => {
  await running?.stop();
  await fake?.close();
  expect(unhandledRejections).toEqual([]);
});

let users = 0;
const actor = (permissions = MEMBER_PERMISSIONS) => ({
  user: fake.makeUser(String(1600000000000000000n + BigInt(++users)), `user${users}`),
  permissions,
});

async function settle(): Promise<void> {
  // A round trip through the gateway and REST: whatever the bot does with a dispatch happens by then.
  await answerOf(fake, fake.slashCommand(actor(), 'help'));
}

test('a button press without a custom_id is answered "no longer works", not a crash', async () => {
  const search = await answerOf(fake, fake.slashCommand(actor(), 'search', { query: 'irrigation' }));
  const messageId = search.callback.created.id as string;
  const press = fake.pressButton(actor(), messageId, 'search:placeholder');
  await answerOf(fake, press);
  const { custom_id: _dropped, ...data } = press.data as Record<string, unknown>;
  const forged = { ...press, id: fake.nextId(), token: `itoken-${fake.nextId()}`, data };
  fake.dispatch('INTERACTION_CREATE', forged);
  const { message } = await answerOf(fake, forged);
  expect(message.content).toBe('This button no longer works; run the command again.');
  await settle();
  expect(unhandledRejections).toEqual([]);
});

test('an invalid permissions string on the member: the admin check refuses, the bot carries on', async () => {
  const { message } = await answerOf(fake, fake.slashCommand(actor('not-a-number'), 'reload'));
  expect(message.content).toMatch(/^Only members with Manage Server/);
  await settle();
  expect(unhandledRejections).toEqual([]);
  expect(running.logs.filter((l) => l.level === 'error' && /unhandled/.test(l.msg))).toEqual([]);
});
