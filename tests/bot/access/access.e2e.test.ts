/**
 * Private by default, through the real discord.js client against the fake Discord: with
 * ALLOWED_GUILD_IDS the bot leaves every other server (one it was in before, one it is added to
 * while running) and refuses their interactions, /reload included; /ask in a DM is refused unless
 * ALLOW_DMS is on. Every refusal is logged with the server, the user and the command.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DM_REFUSAL, GUILD_REFUSAL } from '../../../src/bot/access/access.js';
import { answerOf, EPHEMERAL, startBot, unhandledRejections, until, type RunningBot } from '../../../testing/fake-discord/harness.js';
import { summitArchive } from '../../../testing/fake-discord/fixture.js';
import { FakeDiscord } from '../../../testing/fake-discord/server.js';

let fake: FakeDiscord;
let dataDir: string;
const QUESTION = { question: 'Where did Kim Jong Un meet Putin?' };

beforeAll(async () => {
  fake = await FakeDiscord.start();
  dataDir = await summitArchive('archivist-access-');
});

afterAll(async () => {
  await fake?.close();
  expect(unhandledRejections).toEqual([]);
});

describe('ALLOWED_GUILD_IDS', () => {
  let running: RunningBot;
  // A server the bot was in before the setting, and one it is added to while it runs.
  const before = FakeDiscord.guildIdOnShard(0, 1, 1);
  const added = FakeDiscord.guildIdOnShard(0, 1, 2);
  let addedChannel: string;

  beforeAll(async () => {
    fake.addGuild(before);
    running = await startBot(fake, { env: { DATA_DIR: dataDir, ALLOWED_GUILD_IDS: fake.guildId } });
  }, 30_000);
  afterAll(() => running?.stop());

  test('the bot leaves a server it was in before, and one it is added to, and says so in the log', async () => {
    await until(() => fake.leftGuilds.has(before), 'leaving the earlier server');
    addedChannel = fake.joinGuild(added).channelId;
    await until(() => fake.leftGuilds.has(added), 'leaving the added server');
    expect(fake.requests.filter((r) => r.method === 'DELETE' && r.path.startsWith('/users/@me/guilds/')).map((r) => r.path)).toEqual([
      `/users/@me/guilds/${before}`,
      `/users/@me/guilds/${added}`,
    ]);
    for (const guildId of [before, added]) {
      expect(running.logs).toContainEqual(
        expect.objectContaining({ level: 'warn', msg: 'leaving a server not in ALLOWED_GUILD_IDS', guildId }),
      );
    }
    expect(fake.leftGuilds.has(fake.guildId)).toBe(false);
  });

  test('a server not allowed gets a private refusal for /ask and for /reload (even from its admins), each logged; the allowed one is answered', async () => {
    const loads = running.logs.filter((l) => l.msg === 'reload requested').length;
    for (const [actor, command, options] of [
      [fake.member(), 'ask', QUESTION],
      [fake.manager(), 'reload', {}],
    ] as const) {
      const { callback, message } = await answerOf(fake, fake.slashCommand(actor, command, options, addedChannel));
      expect(callback.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
      expect(message.content).toBe(GUILD_REFUSAL);
      expect(running.logs).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          msg: 'interaction refused',
          reason: 'guild not allowed',
          guildId: added,
          userId: actor.user.id,
          command,
        }),
      );
    }
    expect(running.logs.filter((l) => l.msg === 'reload requested').length).toBe(loads);
    expect((await answerOf(fake, fake.slashCommand(fake.member(), 'ask', QUESTION))).message.content).toContain('Vostochny Spaceport');
  });

  test('DMs are off by default: /ask in a DM is refused and logged', async () => {
    const user = fake.member();
    const { message } = await answerOf(fake, fake.slashCommandInDm(user, 'ask', QUESTION));
    expect(message.content).toBe(DM_REFUSAL);
    expect(running.logs).toContainEqual(
      expect.objectContaining({
        msg: 'interaction refused',
        reason: 'direct messages off',
        guildId: null,
        userId: user.user.id,
        command: 'ask',
      }),
    );
    expect(running.rawLogs.join('\n')).not.toContain(fake.token);
  });
});

describe('ALLOW_DMS', () => {
  test('on: /ask in a DM is answered', async () => {
    const running = await startBot(fake, { env: { DATA_DIR: dataDir, ALLOW_DMS: 'true' } });
    try {
      const { message } = await answerOf(fake, fake.slashCommandInDm(fake.member(), 'ask', QUESTION));
      expect(message.content).toContain('Vostochny Spaceport');
      expect(running.logs.filter((l) => l.msg === 'interaction refused')).toEqual([]);
    } finally {
      await running.stop();
    }
  }, 30_000);
});
