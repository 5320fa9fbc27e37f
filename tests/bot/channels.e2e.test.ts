/**
 * The bot with the real archive loader on a folder of files, and with ANSWER_CHANNEL_IDS set:
 * questions answered without a mention, and reloads that read the folder again (or cannot).
 */
import { mkdtemp, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { answerOf, unhandledRejections, expectNoPings, startBot, type RunningBot } from '../../testing/fake-discord/harness.js';
import { FakeDiscord } from '../../testing/fake-discord/server.js';

let fake: FakeDiscord;
let running: RunningBot;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'archivist-files-'));
  await writeFile(
    join(dir, 'observatory.md'),
    '---\ntitle: "The glacier observatory"\n---\n\nThe glacier observatory on Mount Paektu recorded the coldest winter in a decade.\n',
  );
  await writeFile(join(dir, 'harvest.md'), '---\ntitle: "Harvest"\n---\n\nFarmers brought in a bumper harvest of rice this autumn.\n');
  fake = await FakeDiscord.start();
  running = await startBot(fake, { env: { DATA_DIR: dir, ANSWER_CHANNEL_IDS: fake.otherChannelId } });
});

afterAll(async () => {
  await running?.stop();
  await fake?.close();
  expect(unhandledRejections).toEqual([]);
});

function repliesTo(messageId: string) {
  return fake.requests.filter((r) => r.method === 'POST' && r.body?.message_reference?.message_id === messageId);
}

test('with ANSWER_CHANNEL_IDS the bot asks for Message Content and answers questions there without a mention', async () => {
  expect(fake.identifies[0]!.intents).toBe((1 << 0) | (1 << 9) | (1 << 15));
  const asker = fake.member();
  const question = fake.postMessage(asker, 'Which observatory recorded the coldest winter?', { channelId: fake.otherChannelId });
  const reply = await fake.waitForRequest((r) => r.body?.message_reference?.message_id === question.id);
  expect(reply.path).toBe(`/channels/${fake.otherChannelId}/messages`);
  expect(reply.body.content).toContain('> The glacier **observatory** on Mount Paektu **recorded** the **coldest winter** in a decade.');
  expectNoPings(reply.body);

  const statement = fake.postMessage(fake.member(), 'The observatory is lovely in winter.', { channelId: fake.otherChannelId });
  const elsewhere = fake.postMessage(fake.member(), 'Which observatory recorded the coldest winter?', { channelId: fake.channelId });
  const fromABot = fake.postMessage(
    { user: { ...fake.makeUser('1400000000000009999', 'otherbot'), bot: true } },
    'Which observatory is coldest?',
    {
      channelId: fake.otherChannelId,
    },
  );
  const sentinel = fake.postMessage(fake.member(), 'Who brought in a bumper harvest?', { channelId: fake.otherChannelId });
  await fake.waitForRequest((r) => r.body?.message_reference?.message_id === sentinel.id);
  await new Promise((r) => setTimeout(r, 100));
  expect(repliesTo(statement.id)).toHaveLength(0);
  expect(repliesTo(elsewhere.id)).toHaveLength(0);
  expect(repliesTo(fromABot.id)).toHaveLength(0);
});

test('reload with the real loader: a new file is added; a vanished folder fails and the old index keeps answering', async () => {
  await writeFile(join(dir, 'tidal.md'), '---\ntitle: "Tidal power"\n---\n\nA tidal power station began operating on the west coast.\n');
  const added = await answerOf(fake, fake.slashCommand(fake.manager(), 'reload'));
  expect(added.message.content).toMatch(
    /^\*\*Reloaded\*\* in \d+\.\d s: 3 documents; 1 added, 0 changed, 0 removed, 2 unchanged, 0 skipped\./,
  );
  expect(added.message.content).toContain('**Added:** Tidal power (tidal.md)');

  const moved = `${dir}-moved`;
  await rename(dir, moved);
  try {
    const failed = await answerOf(fake, fake.slashCommand(fake.manager(), 'reload'));
    expect(failed.message.content).toMatch(/^\*\*Reload failed\*\*: Cannot load archive: /);
    expect(failed.message.content).toContain('Nothing changed: still answering from the archive loaded <t:');
    const stillAnswering = await answerOf(fake, fake.slashCommand(fake.member(), 'ask', { question: 'tidal power station' }));
    expect(stillAnswering.message.content).toContain('A **tidal power station** began operating on the west coast.');
  } finally {
    await rename(moved, dir);
  }
});
