/**
 * The real bot (createBot, the real discord.js client) against the fake Discord on loopback.
 * Vitest fails the run on any unhandled rejection, so a stray promise in the bot fails this suite.
 */
import { ApplicationCommandType, MessageFlags, type RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { commands, definitions } from '../../commands/index.js';
import { REFUSAL } from '../../commands/reload.js';
import { PAGE_SIZE } from '../../commands/search.js';
import { ArchiveLoadError, type ArchiveDocument } from '../../src/archive/index.js';
import type { LoadArchive } from '../../src/bot/holder.js';
import { USER_ERROR_MESSAGE } from '../../src/discord/boundary.js';
import type { BotContext } from '../../src/bot/context.js';
import type { Command } from '../../src/discord/command.js';
import { escapeText } from '../../src/discord/format.js';
import { formatRegisterResult, registerCommands } from '../../src/discord/registration.js';
import {
  answerOf,
  unhandledRejections,
  EPHEMERAL,
  expectNoPings,
  followUpsOf,
  startBot,
  type RunningBot,
  ask,
  until,
} from '../../testing/fake-discord/harness.js';
import { fixtureDocuments, fixtureLoad, makeFixtureDir, SPACEPORT_TEXT, writeFixture } from '../../testing/fake-discord/fixture.js';
import { FakeDiscord, MANAGE_GUILD, RATE_LIMIT_SCOPE, type Actor } from '../../testing/fake-discord/server.js';

// Two commands that fail, to prove the error boundary (they are added to the real command list).
const boom: Command<BotContext> = {
  definition: { type: ApplicationCommandType.ChatInput, name: 'boom', description: 'Fails at once' },
  execute() {
    return Promise.reject(new Error('internal detail: ENOENT /srv/secret/index.bin'));
  },
};
const boomLate: Command<BotContext> = {
  definition: { type: ApplicationCommandType.ChatInput, name: 'boom-late', description: 'Fails after deferring' },
  async execute(interaction) {
    await interaction.deferReply();
    throw new Error('late internal detail');
  },
};

/** A loader that can be made to stall and then fail halfway (after reading the files). */
const control: { calls: number; gate?: Promise<void>; failWith?: Error } = { calls: 0 };
const controlledLoad: LoadArchive = async (dir) => {
  control.calls++;
  const archive = await fixtureLoad(dir);
  if (control.gate) await control.gate;
  if (control.failWith) throw control.failWith;
  return archive;
};

const ADMIN_USER_ID = '1400000000000000500';

let fake: FakeDiscord;
let running: RunningBot;
let dir: string;

/** A fresh member, so the per-user cooldown of one test never affects another. */

beforeAll(async () => {
  fake = await FakeDiscord.start();
  dir = await makeFixtureDir();
  await registerCommands({ token: fake.token, clientId: fake.applicationId, guildId: fake.guildId, apiUrl: fake.apiUrl }, definitions);
  running = await startBot(fake, {
    env: { DATA_DIR: dir, ADMIN_ROLE_IDS: fake.adminRoleId, ADMIN_USER_IDS: ADMIN_USER_ID },
    load: controlledLoad,
    commands: [...commands, boom, boomLate],
  });
});

afterAll(async () => {
  await running?.stop();
  await fake?.close();
  expect(unhandledRejections).toEqual([]);
});

describe('login and registration', () => {
  test('logs in through the gateway with the Guilds and Guild Messages intents only, and never logs the token', () => {
    expect(fake.identifies).toHaveLength(1);
    expect(fake.identifies[0]!.intents).toBe((1 << 0) | (1 << 9));
    expect(running.logs.some((l) => l.msg === 'logged in' && l.userId === fake.botUser.id)).toBe(true);
    expect(running.rawLogs.join('\n')).not.toContain(fake.token);
  });

  test('registration sends every definition to one guild, then reports what changed', async () => {
    const config = { token: fake.token, clientId: fake.applicationId, guildId: fake.guildId, apiUrl: fake.apiUrl };
    const registered = fake.commands.get(fake.guildId)!;
    expect(registered.map((c) => c.name)).toEqual([
      'ask',
      'search',
      'source',
      'archive',
      'reload',
      'upload',
      'remove',
      'help',
      'Ask the archive',
    ]);
    // A message context menu: type 3, and no description (Discord refuses one).
    expect(registered.find((c) => c.name === 'Ask the archive')).toMatchObject({ type: 3 });
    expect(registered.find((c) => c.name === 'Ask the archive')!.description).toBeUndefined();
    expect(registered.find((c) => c.name === 'reload')!.default_member_permissions).toBe(String(MANAGE_GUILD));
    expect(fake.commands.has('global')).toBe(false);

    const again = await registerCommands(config, definitions);
    expect(again).toMatchObject({
      scope: 'guild',
      added: [],
      updated: [],
      removed: [],
      unchanged: ['ask', 'search', 'source', 'archive', 'reload', 'upload', 'remove', 'help', 'Ask the archive'],
    });
    expect(formatRegisterResult(again)).toContain('Nothing changed.');

    const edited: RESTPostAPIApplicationCommandsJSONBody[] = definitions
      .filter((d) => d.name !== 'help')
      .map((d) => (d.name === 'ask' ? { ...d, description: 'Ask the archive (new wording)' } : d));
    const changed = await registerCommands(config, edited);
    expect(changed).toMatchObject({ added: [], updated: ['ask'], removed: ['help'] });
    expect(formatRegisterResult(changed)).toBe(
      [
        `Registered 8 commands to server ${fake.guildId}.`,
        '  updated   /ask',
        '  removed   /help',
        '  unchanged /search, /source, /archive, /reload, /upload, /remove, “Ask the archive” (menu)',
      ].join('\n'),
    );
    await registerCommands(config, definitions);
  });

  test('without DISCORD_GUILD_ID registration is global', async () => {
    const result = await registerCommands({ token: fake.token, clientId: fake.applicationId, apiUrl: fake.apiUrl }, definitions);
    expect(result.scope).toBe('global');
    expect(fake.commands.get('global')!.map((c) => c.name)).toHaveLength(9);
    expect(formatRegisterResult(result).split('\n')[0]).toBe('Registered 9 commands globally (all servers the bot is in).');
    // Clearing (npm run register -- --clear) empties the same target.
    const cleared = await registerCommands({ token: fake.token, clientId: fake.applicationId, apiUrl: fake.apiUrl }, []);
    expect(fake.commands.get('global')).toEqual([]);
    expect(formatRegisterResult(cleared)).toBe(
      [
        'Cleared the commands registered globally (all servers the bot is in).',
        '  removed   /ask, /search, /source, /archive, /reload, /upload, /remove, /help, “Ask the archive” (menu)',
      ].join('\n'),
    );
  });
});

describe('/ask', () => {
  test('quotes the best passage with the matched words in bold and its source, visible to the channel', async () => {
    const { callback, message } = await ask(fake, { question: 'Where did Kim Jong Un meet Putin?' });
    expect(callback.body.type).toBe(4); // answered at once, public
    expect(callback.body.data?.flags ?? 0).toBe(0);
    const content: string = message.content;
    expect(content.startsWith('From the archive, for “Where did Kim Jong Un meet Putin?”:\n\n> ')).toBe(true);
    expect(content).toContain('**Putin**');
    expect(content).toContain('at the Vostochny Spaceport in Amur Province of the Russian Far East.');
    expect(content).toContain(
      '\n— **[A New Landmark, Summit at a Spaceport](<https://example.org/summit>)** · Pyongyang Times · 2023-09-20 · passage 1',
    );
    expect(content.length).toBeLessThanOrEqual(2000);
    expectNoPings(message);
  });

  test('the results option and the time and source filters', async () => {
    const five = await ask(fake, { question: 'irrigation canal pumps', results: 5 });
    expect(five.message.content.match(/^— /gm)).toHaveLength(5);
    expect(five.message.content).toMatch(/-# \d+ more matching passages: \*\*More results\*\* lists them\./);
    expect(five.message.content.length).toBeLessThanOrEqual(2000);

    const unfiltered = await ask(fake, { question: 'sluice gates', results: 5 });
    expect(unfiltered.message.content).toContain('Undated note on the sluice gates');
    // A date filter leaves out the undated document; the filters are named in the answer.
    const dated = await ask(fake, { question: 'sluice gates', results: 5, from: '2022', to: '2022-06' });
    expect(dated.message.content).toContain('(from 2022, to 2022-06)');
    expect(dated.message.content).toContain('· Bulletin · 2022-01-01 ·');
    expect(dated.message.content).not.toContain('Undated note');
    const bySource = await ask(fake, { question: 'sluice gates', results: 5, source: 'kcna' });
    expect(bySource.message.content).toContain('(source KCNA)');
    expect(bySource.message.content).toContain('Undated note on the sluice gates');
    expect(bySource.message.content).not.toContain('Bulletin');
  });

  test('bad filter values get a precise ephemeral message', async () => {
    const badDate = await ask(fake, { question: 'rice', from: '2023-13' });
    expect(badDate.callback.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(badDate.message.content).toBe('`from` should be a year, year-month or date such as 2023, 2023-09 or 2023-09-14.');
    const reversed = await ask(fake, { question: 'rice', from: '2023', to: '2021' });
    expect(reversed.message.content).toBe('`from` (2023) is after `to` (2021).');
    const badSource = await ask(fake, { question: 'rice', source: 'Nowhere Gazette' });
    expect(badSource.message.content).toBe(
      "No source called “Nowhere Gazette” in the archive. The archive's sources: Bulletin, Farm News, KCNA, Pyongyang Times, Science Weekly.",
    );
  });

  test('no result: says so honestly and suggests what to try', async () => {
    const none = await ask(fake, { question: 'zebra xylophone' });
    expect(none.message.content).toBe(
      [
        'I found nothing in the archive for “zebra xylophone”.',
        'No passage in the archive contains those words.',
        'Try other or fewer words, or `/search` for a ranked list of everything that matches.',
      ].join('\n'),
    );
    expectNoPings(none.message);
    const stopWords = await ask(fake, { question: 'what is the of and' });
    expect(stopWords.message.content).toContain('The question has no words the archive can search for');
  });

  test('a document with @everyone, a user mention and Markdown is quoted verbatim, escaped, and pings nobody', async () => {
    const { message } = await ask(fake, { question: 'reservoir meeting sluice gates noon hall' });
    const content: string = message.content;
    // Mentions are escaped too: they show as the literal text, not as a highlighted mention.
    expect(content).toContain('Attention \\@everyone and \\<@123456789012345678>: the \\*\\***reservoir**\\*\\* **meeting**');
    expect(content).toContain('the \\|\\|secret\\|\\| **sluice gates** is at \\`**noon**\\` in the \\_\\_**hall**\\_\\_');
    expect(content).toContain('\\[this](https://evil.example/x) \\~\\~now\\~\\~ \\*please\\*.');
    expect(content).toContain('— **Notice to \\*\\*all\\*\\* members** · Bulletin · 2022-01-01 · passage 1');
    expectNoPings(message);
  });
});

describe('/search', () => {
  test('a ranked list with paging buttons that only the person who searched can use', async () => {
    const alice = fake.member();
    const interaction = fake.slashCommand(alice, 'search', { query: 'irrigation' });
    const first = await answerOf(fake, interaction);
    const embed = first.message.embeds[0];
    expect(embed.title).toBe('Search: “irrigation”');
    expect(embed.footer.text).toMatch(/^Page 1 of (\d+) · (\d+) matching passages$/);
    const [, pages, total] = /^Page 1 of (\d+) · (\d+)/.exec(embed.footer.text)!;
    expect(Number(pages)).toBe(Math.ceil(Number(total) / PAGE_SIZE));
    expect(Number(total)).toBeGreaterThanOrEqual(30);
    expect(embed.description.match(/^\*\*\d+\.\*\* /gm)).toHaveLength(PAGE_SIZE);
    expect(embed.description).toMatch(
      /^\*\*1\.\*\* \*\*Irrigation bulletin \d+\*\* · Farm News · 2018-\d\d-\d\d · passage 1\n.*\*\*Irrigation\*\*/,
    );
    const [previous, next] = first.message.components[0].components;
    expect(previous).toMatchObject({ label: 'Previous', disabled: true });
    expect(next).toMatchObject({ label: 'Next', disabled: false });
    const messageId = first.callback.created.id as string;

    // Someone else cannot page it.
    const bob = fake.member();
    const stolen = fake.pressButton(bob, messageId, next.custom_id);
    const refused = await answerOf(fake, stolen);
    expect(refused.callback.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(refused.message.content).toBe('Only the person who ran this search can page through it; run `/search` to get your own list.');

    // The asker can: the message is updated in place with page 2.
    const press = fake.pressButton(alice, messageId, next.custom_id);
    const page2 = await answerOf(fake, press);
    expect(page2.callback.body.type).toBe(7);
    expect(page2.message.embeds[0].footer.text).toMatch(/^Page 2 of /);
    expect(page2.message.embeds[0].description).toMatch(/^\*\*6\.\*\* /);
    expect(page2.message.components[0].components[0]).toMatchObject({ label: 'Previous', disabled: false });
    expectNoPings(page2.message);

    const back = await answerOf(fake, fake.pressButton(alice, messageId, page2.message.components[0].components[0].custom_id));
    expect(back.message.embeds[0].footer.text).toMatch(/^Page 1 of /);

    const expired = await answerOf(fake, fake.pressButton(alice, messageId, 'search:nosuchlist:1'));
    expect(expired.message.content).toBe('This result list has expired; run `/search` again.');
  });
});

describe('autocomplete', () => {
  async function complete(command: string, focused: string, value: string) {
    const started = Date.now();
    const interaction = fake.autocomplete(fake.member(), command, focused, value);
    const { callback } = await answerOf(fake, interaction);
    expect(callback.body.type).toBe(8);
    expect(Date.now() - started).toBeLessThan(3000); // Discord's deadline; speed itself is measured in the benchmark
    const choices = callback.body.data.choices as Array<{ name: string; value: string }>;
    expect(choices.length).toBeLessThanOrEqual(25);
    for (const c of choices) {
      expect(c.name.length).toBeGreaterThan(0);
      expect(c.name.length).toBeLessThanOrEqual(100);
      expect(c.value.length).toBeLessThanOrEqual(100);
    }
    return choices;
  }

  test('/source document: newest first when empty, then prefix and word matches, within the limits', async () => {
    const empty = await complete('source', 'document', '');
    expect(empty).toHaveLength(25);
    expect(empty[0]).toEqual({ name: 'A New Landmark, Summit at a Spaceport · 2023-09-20', value: 'summit-2023' });

    const irrigation = await complete('source', 'document', 'irri');
    expect(irrigation).toHaveLength(25);
    expect(irrigation.every((c) => c.name.startsWith('Irrigation bulletin'))).toBe(true);

    expect((await complete('source', 'document', 'spaceport'))[0]!.value).toBe('summit-2023');
    expect((await complete('source', 'document', 'bumper harv'))[0]!.value).toBe('harvest-2021');

    const long = await complete('source', 'document', 'proceedings');
    expect(long[0]!.name).toMatch(/^Proceedings of the extended plenary meeting on the comprehensive development of the… · 2019-12-31$/);

    // An id too long for a choice value gets a short stand-in that /source resolves.
    const glacier = await complete('source', 'document', 'glacier');
    expect(glacier[0]!.value).toMatch(/^~[0-9a-f]{16}$/);
    const shown = await answerOf(fake, fake.slashCommand(fake.member(), 'source', { document: glacier[0]!.value }));
    expect(shown.message.embeds[0].title).toBe('Glacier observatory report');
  });

  test('the source filter of /ask and /search completes from the archive’s sources', async () => {
    const k = await complete('ask', 'source', 'k');
    expect(k[0]).toEqual({ name: 'KCNA', value: 'KCNA' });
    expect(k.every((c) => c.name.toLowerCase().includes('k'))).toBe(true);
    expect((await complete('search', 'source', '')).map((c) => c.value)).toEqual([
      'Bulletin',
      'Farm News',
      'KCNA',
      'Pyongyang Times',
      'Science Weekly',
    ]);
  });
});

describe('/source', () => {
  test('shows the metadata and the passage list', async () => {
    const { callback, message } = await answerOf(fake, fake.slashCommand(fake.member(), 'source', { document: 'summit-2023' }));
    expect(callback.body.type).toBe(4);
    const embed = message.embeds[0];
    expect(embed.title).toBe('A New Landmark, Summit at a Spaceport');
    expect(embed.url).toBe('https://example.org/summit');
    expect(embed.fields).toEqual(
      expect.arrayContaining([
        { name: 'Source', value: 'Pyongyang Times', inline: true },
        { name: 'Date', value: '2023-09-20', inline: true },
        { name: 'Passages', value: '3', inline: true },
      ]),
    );
    expect(embed.description.split('\n')).toEqual([
      "**1.** Kim Jong Un, president of the State Affairs of the Democratic People's Republic of Korea,…",
      '**2.** A spaceport is the top-secret place in all countries. The fact that such a…',
      '**3.** Putin organized the visit, received him in front of the carrier rocket assembly and test…',
    ]);
  });

  test('shows one passage in full, verbatim', async () => {
    const { message } = await answerOf(fake, fake.slashCommand(fake.member(), 'source', { document: 'summit-2023', passage: 2 }));
    const embed = message.embeds[0];
    expect(embed.description).toBe(escapeText(SPACEPORT_TEXT.split('\n\n')[1]!));
    expect(embed.footer.text).toBe('Passage 2 of 3 · Pyongyang Times · 2023-09-20');
    expectNoPings(message);
  });

  test('a title typed in full finds the document; unknown ids, paths included, are not found', async () => {
    const byTitle = await answerOf(fake, fake.slashCommand(fake.member(), 'source', { document: 'bumper harvest in south hwanghae' }));
    expect(byTitle.message.embeds[0].title).toBe('Bumper Harvest in South Hwanghae');
    for (const document of ['../etc/passwd', '/etc/passwd', `../${dir}/archive.json`, 'archive.json', 'x'.repeat(300)]) {
      const { callback, message } = await answerOf(fake, fake.slashCommand(fake.member(), 'source', { document }));
      expect(callback.body.data.flags).toBe(EPHEMERAL);
      expect(message.content).toMatch(/^No document “.*” in the archive\. Pick one from the list/);
      expect(message.content.length).toBeLessThan(400);
    }
    const outOfRange = await answerOf(fake, fake.slashCommand(fake.member(), 'source', { document: 'summit-2023', passage: 9 }));
    expect(outOfRange.message.content).toBe('“A New Landmark, Summit at a Spaceport” has 3 passages; choose a passage number from 1 to 3.');
  });
});

describe('/archive and /help', () => {
  test('/archive: documents, passages, sources, dates, load time and skipped files', async () => {
    const { message } = await answerOf(fake, fake.slashCommand(fake.member(), 'archive'));
    const fields = Object.fromEntries((message.embeds[0].fields as Array<{ name: string; value: string }>).map((f) => [f.name, f.value]));
    const archive = running.bot.context.archive.current;
    expect(fields.Documents).toBe(String(archive.documents.length));
    expect(fields.Passages).toBe(String(archive.stats().passages));
    const dates = archive.documents.flatMap((d) => (d.date ? [d.date] : [])).sort();
    expect(fields.Dates).toBe(`${dates[0]} to 2023-09-20`);
    expect(fields['Sources (5)']).toBe('Bulletin, Farm News, KCNA, Pyongyang Times, Science Weekly');
    expect(fields.Loaded).toBe(
      `<t:${Math.floor(archive.loadedAt.getTime() / 1000)}:F> (<t:${Math.floor(archive.loadedAt.getTime() / 1000)}:R>)`,
    );
    expect(fields['Skipped at the last load (0)']).toBe('Nothing');
  });

  test('/help is private and explains how to ask', async () => {
    const { callback, message } = await answerOf(fake, fake.slashCommand(fake.member(), 'help'));
    expect(callback.body.data.flags).toBe(EPHEMERAL);
    expect(message.content).toContain('`/ask question:`');
    expect(message.content).toContain('mention me (or my role) with a question');
  });
});

describe('/reload', () => {
  test('refused for a member without Manage Server or a configured admin role, and logged with the user id', async () => {
    const someone = fake.member();
    const callsBefore = control.calls;
    const { callback, message } = await answerOf(fake, fake.slashCommand(someone, 'reload'));
    expect(callback.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(message.content).toBe(REFUSAL);
    expect(control.calls).toBe(callsBefore);
    expect(running.logs).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: 'admin command refused', command: 'reload', userId: someone.user.id }),
    );
  });

  test('an admin reloads and gets the documents added, changed and removed', async () => {
    const docs: ArchiveDocument[] = fixtureDocuments()
      .filter((d) => d.id !== 'long-title')
      .map((d) => (d.id === 'harvest-2021' ? { ...d, text: `${d.text}\n\nThe harvest was celebrated with a festival of drums.` } : d));
    docs.push({
      id: 'tidal-2024',
      title: 'Tidal power station opens',
      text: 'A tidal power station began operating on the west coast.',
      file: 'archive.json',
      source: 'KCNA',
      date: '2024-03-01',
    });
    await writeFixture(dir, docs);

    const interaction = fake.slashCommand(fake.manager(), 'reload');
    const { callback, message } = await answerOf(fake, interaction);
    expect(callback.body).toMatchObject({ type: 5, data: { flags: EPHEMERAL } });
    expect(message.content).toMatch(
      new RegExp(
        `^\\*\\*Reloaded\\*\\* in \\d+\\.\\d s: ${docs.length} documents; 1 added, 1 changed, 1 removed, ${docs.length - 2} unchanged, 0 skipped\\.`,
      ),
    );
    expect(message.content).toContain('**Added:** Tidal power station opens (tidal-2024)');
    expect(message.content).toContain('**Changed:** Bumper Harvest in South Hwanghae (harvest-2021)');
    expect(message.content).toMatch(/\*\*Removed:\*\* Proceedings of the extended plenary meeting .*… \(long-title\)/);
    expectNoPings(message);

    const tidal = await ask(fake, { question: 'tidal power station' });
    expect(tidal.message.content).toContain(
      '> A **tidal power station** began operating on the west coast.\n— **Tidal power station opens** · KCNA · 2024-03-01 · passage 1',
    );
  });

  test('members with an ADMIN_ROLE_IDS role, and ADMIN_USER_IDS users, may reload too', async () => {
    const roleAdmin = fake.member({ roles: [fake.adminRoleId] });
    expect((await answerOf(fake, fake.slashCommand(roleAdmin, 'reload'))).message.content).toMatch(/^\*\*Reloaded\*\*/);
    const userAdmin: Actor = { user: fake.makeUser(ADMIN_USER_ID, 'configured-admin') };
    expect((await answerOf(fake, fake.slashCommand(userAdmin, 'reload'))).message.content).toMatch(
      /^\*\*Reloaded\*\* in \d+\.\d s: \d+ documents; 0 added, 0 changed, 0 removed/,
    );
  });

  test('a reload that fails halfway changes nothing; the old index answers during and after; two reloads run as one', async () => {
    const before = running.bot.context.archive.current;
    let release!: () => void;
    control.gate = new Promise((r) => (release = r));
    control.failWith = new ArchiveLoadError('unreadable', '/data/kcna/2024.json was truncated while reading');
    const callsBefore = control.calls;

    const first = fake.slashCommand(fake.manager(), 'reload');
    const second = fake.slashCommand(fake.member({ roles: [fake.adminRoleId] }), 'reload');
    await fake.waitForRequest((r) => r.path === `/interactions/${second.id}/${second.token}/callback`);
    await until(() => control.calls === callsBefore + 1, 'the reload to start');

    // While it runs, questions are answered from the archive in use.
    const during = await ask(fake, { question: 'Where did Kim Jong Un meet Putin?' });
    expect(during.message.content).toContain('Vostochny Spaceport');
    const status = await answerOf(fake, fake.slashCommand(fake.member(), 'archive'));
    expect(status.message.embeds[0].fields.find((f: { name: string }) => f.name === 'Loaded').value).toContain('a reload is running');

    release();
    const [a, b] = await Promise.all([answerOf(fake, first), answerOf(fake, second)]);
    expect(control.calls).toBe(callsBefore + 1); // the second joined the first
    for (const report of [a, b]) {
      expect(report.message.content).toContain('**Reload failed**');
      expect(report.message.content).toContain(': Cannot load archive: /data/kcna/2024.json was truncated while reading');
      expect(report.message.content).toContain(
        `Nothing changed: still answering from the archive loaded <t:${Math.floor(before.loadedAt.getTime() / 1000)}:R>`,
      );
    }
    expect([a, b].filter((r) => r.message.content.includes('(joined a reload that was already running)'))).toHaveLength(1);
    expect(running.bot.context.archive.current).toBe(before);
    expect(running.logs).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'reload failed; keeping the archive in use' }));

    const after = await ask(fake, { question: 'tidal power station' });
    expect(after.message.content).toContain('**tidal power station**');
    control.gate = undefined;
    control.failWith = undefined;
  });

  test('an unexpected loader error is not shown to the admin, only logged', async () => {
    control.failWith = new TypeError("Cannot read properties of undefined (reading 'length') at /srv/app/loader.js:12");
    const { message } = await answerOf(fake, fake.slashCommand(fake.manager(), 'reload'));
    control.failWith = undefined;
    expect(message.content).toContain('**Reload failed**: an unexpected error; the details are in the bot log.');
    expect(message.content).not.toContain('loader.js');
  });
});

describe('questions in channels', () => {
  function repliesTo(messageId: string) {
    return fake.requests.filter(
      (r) =>
        r.method === 'POST' && r.path === `/channels/${fake.channelId}/messages` && r.body?.message_reference?.message_id === messageId,
    );
  }

  test('a message that mentions the bot is answered as a reply, pinging nobody', async () => {
    const asker = fake.member();
    const posted = fake.postMessage(asker, `<@${fake.botUser.id}> where did Kim Jong Un meet Putin?`, { mentions: [fake.botUser] });
    const reply = await fake.waitForRequest((r) => r.method === 'POST' && r.body?.message_reference?.message_id === posted.id);
    expect(reply.path).toBe(`/channels/${fake.channelId}/messages`);
    expect(reply.body.content).toContain('From the archive, for “where did Kim Jong Un meet Putin?”');
    expect(reply.body.content).toContain('Vostochny Spaceport');
    expect(reply.body.message_reference.fail_if_not_exists).toBe(false);
    expectNoPings(reply.body);
  });

  test('@everyone, @here and role mentions are not mentions of the bot', async () => {
    const asker = fake.member();
    const everyone = fake.postMessage(asker, '@everyone where did Kim Jong Un meet Putin?', { mentionEveryone: true });
    const here = fake.postMessage(asker, '@here where did Kim Jong Un meet Putin?', { mentionEveryone: true });
    const role = fake.postMessage(asker, `<@&${fake.adminRoleId}> where did Kim Jong Un meet Putin?`, { mentionRoles: [fake.adminRoleId] });
    // A real mention afterwards: once it is answered, the three before it have been handled.
    const sentinel = fake.postMessage(fake.member(), `<@!${fake.botUser.id}> rice harvest?`, { mentions: [fake.botUser] });
    await fake.waitForRequest((r) => r.body?.message_reference?.message_id === sentinel.id);
    await new Promise((r) => setTimeout(r, 100));
    expect(repliesTo(everyone.id)).toHaveLength(0);
    expect(repliesTo(here.id)).toHaveLength(0);
    expect(repliesTo(role.id)).toHaveLength(0);
  });

  test('a mention without a question gets a hint; without ANSWER_CHANNEL_IDS plain questions are left alone', async () => {
    const bare = fake.postMessage(fake.member(), `<@${fake.botUser.id}>`, { mentions: [fake.botUser] });
    const hint = await fake.waitForRequest((r) => r.body?.message_reference?.message_id === bare.id);
    expect(hint.body.content).toContain('Ask me something after the mention');
    const plain = fake.postMessage(fake.member(), 'where did Kim Jong Un meet Putin?');
    const sentinel = fake.postMessage(fake.member(), `<@${fake.botUser.id}> rice?`, { mentions: [fake.botUser] });
    await fake.waitForRequest((r) => r.body?.message_reference?.message_id === sentinel.id);
    await new Promise((r) => setTimeout(r, 100));
    expect(repliesTo(plain.id)).toHaveLength(0);
  });
});

describe('cooldowns, errors and rate limits', () => {
  test('a fourth quick question gets a friendly ephemeral notice; other members are still answered', async () => {
    const eager = fake.member();
    for (let i = 0; i < 3; i++) expect((await ask(fake, { question: 'rice harvest' }, eager)).message.content).toContain('**rice**');
    const fourth = await ask(fake, { question: 'rice harvest' }, eager);
    expect(fourth.callback.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(fourth.message.content).toMatch(/^You're asking quickly; please wait \d+ s before the next question\.$/);
    expect((await ask(fake, { question: 'rice harvest' })).message.content).toContain('**rice**');

    // In channels: one notice per cooldown, then silence.
    const chatty = fake.member();
    const posts = [1, 2, 3, 4, 5].map(() => fake.postMessage(chatty, `<@${fake.botUser.id}> rice harvest?`, { mentions: [fake.botUser] }));
    const replies = await Promise.all(
      posts.slice(0, 4).map((p) => fake.waitForRequest((r) => r.body?.message_reference?.message_id === p.id)),
    );
    expect(replies.slice(0, 3).every((r) => r.body.content.startsWith('From the archive'))).toBe(true);
    expect(replies[3]!.body.content).toMatch(/^You're asking quickly/);
    const sentinel = fake.postMessage(fake.member(), `<@${fake.botUser.id}> rice?`, { mentions: [fake.botUser] });
    await fake.waitForRequest((r) => r.body?.message_reference?.message_id === sentinel.id);
    expect(fake.requests.filter((r) => r.body?.message_reference?.message_id === posts[4]!.id)).toHaveLength(0);
  });

  test('an error reaches the user as a short ephemeral message; the log has the command, the user and the stack', async () => {
    const victim = fake.member();
    const { callback, message } = await answerOf(fake, fake.slashCommand(victim, 'boom'));
    expect(callback.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(message.content).toBe(USER_ERROR_MESSAGE);
    const logged = running.logs.find((l) => l.level === 'error' && l.command === 'boom')!;
    expect(logged).toMatchObject({ msg: 'command failed', kind: 'command', userId: victim.user.id, guildId: fake.guildId });
    expect((logged.err as { stack: string }).stack).toContain('internal detail: ENOENT /srv/secret/index.bin');

    // After a public deferral the error still reaches only the user: the placeholder goes, an ephemeral follow-up comes.
    const late = fake.slashCommand(fake.member(), 'boom-late');
    await fake.waitForRequest(
      (r) => r.method === 'DELETE' && r.path === `/webhooks/${fake.applicationId}/${late.token}/messages/@original`,
    );
    const followUp = await fake.waitForRequest((r) => r.method === 'POST' && r.path === `/webhooks/${fake.applicationId}/${late.token}`);
    expect(followUp.body).toMatchObject({ content: USER_ERROR_MESSAGE, flags: MessageFlags.Ephemeral });
    expect(followUpsOf(fake, late)).toHaveLength(1);
  });

  test('two 429s with Retry-After on the interaction response: the answer still arrives', async () => {
    fake.failNext({
      method: 'POST',
      path: /^\/interactions\/\d+\/[^/]+\/callback$/,
      status: 429,
      // A per-resource limit first, then a per-user one.
      headers: { 'retry-after': '0.3', 'x-ratelimit-scope': RATE_LIMIT_SCOPE.perResource },
      body: { message: 'You are being rate limited.', retry_after: 0.3, global: false },
    });
    fake.failNext({
      method: 'POST',
      path: /^\/interactions\/\d+\/[^/]+\/callback$/,
      status: 429,
      headers: {
        'retry-after': '0.2',
        'x-ratelimit-scope': RATE_LIMIT_SCOPE.perUser,
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset-after': '0.2',
      },
      body: { message: 'You are being rate limited.', retry_after: 0.2, global: false },
    });
    const started = Date.now();
    const { interaction, message } = await ask(fake, { question: 'Where did Kim Jong Un meet Putin?' });
    expect(message.content).toContain('Vostochny Spaceport');
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    const attempts = fake.requests.filter((r) => r.path.includes(interaction.token)).map((r) => `${r.status} ${r.method}`);
    expect(attempts).toEqual(['429 POST', '429 POST', '204 POST']);
    expect(running.logs).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'rate limited by Discord' }));
  });

  test('the gateway drops the connection: the bot resumes and answers the next question', async () => {
    fake.dropConnections(4000);
    await until(() => fake.resumes.length > 0, 'a RESUME');
    await until(() => running.logs.some((l) => l.msg === 'gateway resumed'), 'the resume');
    const { message } = await ask(fake, { question: 'rice harvest' });
    expect(message.content).toContain('**rice**');
  });

  test('nothing unexpected was logged as an error, and the token never was', async () => {
    const errors = running.logs.filter((l) => l.level === 'error');
    expect(errors.map((e) => e.command)).toEqual(['boom', 'boom-late']);
    expect(running.rawLogs.join('\n')).not.toContain(fake.token);
    // The fixture file the tests rewrote is still the reloaded one (sanity for the reload tests above).
    expect(JSON.parse(await readFile(join(dir, 'archive.json'), 'utf8')).some((d: ArchiveDocument) => d.id === 'tidal-2024')).toBe(true);
    await writeFile(join(dir, 'archive.json'), JSON.stringify(fixtureDocuments()));
  });
});
