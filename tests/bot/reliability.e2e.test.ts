/**
 * Reliability and security of the real bot (createBot, the real discord.js client and the real archive
 * loader) against the fake Discord: hostile questions, a folder of broken files behind /reload,
 * hostile ids, gateway drops, REST 429s, 500s and timeouts, admin-only /reload, cooldowns under a
 * burst, and the token never leaving the process. Vitest fails the run on an unhandled rejection;
 * the suite also asserts there was none.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, stat, symlink, truncate, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { definitions } from '../../commands/index.js';
import { REFUSAL } from '../../commands/reload.js';
import { Archive } from '../../src/archive/archive.js';
import { USER_ERROR_MESSAGE } from '../../src/discord/boundary.js';
import { escapeText } from '../../src/discord/format.js';
import { registerCommands } from '../../src/discord/registration.js';
import {
  answerOf,
  EPHEMERAL,
  expectNoPings,
  startBot,
  unhandledRejections,
  type RunningBot,
  ask,
  until,
} from '../../testing/fake-discord/harness.js';
import { fixtureDocuments, SPACEPORT_TEXT } from '../../testing/fake-discord/fixture.js';
import { FakeDiscord, MEMBER_PERMISSIONS, type Actor, type RecordedRequest } from '../../testing/fake-discord/server.js';
import { spyOnFs } from '../helpers/fs-spy.js';
import { expectWellFormedAnswer } from '../helpers/reply-checks.js';

const ADMIN_USER_ID = '1400000000000000777';
/** REST requests the fake leaves unanswered are given up on after this long (discord.js's default is 15 s). */
const REST_TIMEOUT_MS = 1500;

let fake: FakeDiscord;
let running: RunningBot;
let tmp: string;
let dir: string;

const admin = (): Actor => ({ user: fake.makeUser(ADMIN_USER_ID, 'configured-admin') });

const onToken = (interaction: { token?: string }) => (r: RecordedRequest) => r.path.includes(String(interaction.token));

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'archivist-reliab-'));
  dir = join(tmp, 'archive');
  await mkdir(dir);
  await writeFile(
    join(dir, 'summit.md'),
    `---\ntitle: A New Landmark, Summit at a Spaceport\nsource: Pyongyang Times\ndate: 2023-09-20\n---\n\n${SPACEPORT_TEXT}\n`,
  );
  await writeFile(join(dir, 'records.json'), JSON.stringify(fixtureDocuments().filter((d) => d.id !== 'summit-2023')));
  await writeFile(join(tmp, 'outside-secret.md'), '# Outside\n\nCANARY OUTSIDE THE ARCHIVE sluice reservoir.\n');
  // A token shaped like a real one (id . timestamp . HMAC), so that a leak of any part is findable.
  fake = await FakeDiscord.start(
    `${Buffer.from('1100000000000000001').toString('base64url')}.${randomBytes(4).toString('base64url')}.${randomBytes(27).toString('base64url')}`,
  );
  await registerCommands({ token: fake.token, clientId: fake.applicationId, guildId: fake.guildId, apiUrl: fake.apiUrl }, definitions);
  running = await startBot(fake, {
    env: { DATA_DIR: dir, ADMIN_USER_IDS: ADMIN_USER_ID },
    rest: { timeout: REST_TIMEOUT_MS },
    // Loads on this thread, so the file-system spy below sees the reads; the bot's own worker
    // loading is covered by tests/worker.test.ts and the spawned `npm start` tests.
    load: (path) => Archive.load(path),
  });
});

afterAll(async () => {
  await running?.stop();
  await fake?.close();
  await rm(tmp, { recursive: true, force: true });
  expect(unhandledRejections).toEqual([]);
});

const NASTY: Array<[string, string]> = [
  ['empty', ''],
  ['whitespace', ' \t\n '],
  ['one character', 'x'],
  ['6,000 characters', 'reservoir sluice '.repeat(353)],
  ['only stop words', 'what is the of and to a in'],
  ['only punctuation', '?!.,;:…—()[]{}"\'«»'],
  ['emoji and right-to-left text', '😀👨‍👩‍👧 مرحبا بالعالم שלום \u202espaceport summit'],
  ['Markdown and code fences', '```js\nrice harvest\n``` **bold** __u__ ~~s~~ ||spoiler|| > quote\n>>> all\n-# sub'],
  ['@everyone', '@everyone where is the spaceport'],
  ['a user mention', '<@123456789012345678> spaceport'],
  ['a channel mention', '<#222222222222222222> spaceport'],
  ['a role mention', `<@&1200000000000000010> spaceport`],
  ['regular-expression metacharacters', '.*+?^${}()|[]\\ (?<x>a) spaceport\\'],
  ['unbalanced quotes', '"Kim Jong Un met “Putin'],
  ['control characters', 'rice\u0007\u001b[31m harvest\r\n\u0085'],
  ['a NUL byte', 'rice\u0000harvest'],
];

describe('bad input: every question gets a well-formed reply that pings nobody', () => {
  test.each(NASTY)('/ask with %s', async (_name, question) => {
    const { callback, message } = await ask(fake, { question });
    expect(callback.body.type).toBe(4);
    expect(callback.body.data.flags ?? 0).toBe(0);
    expect(typeof message.content).toBe('string');
    expectWellFormedAnswer(message.content, message.content.startsWith('From the archive'));
    expectNoPings(message);
  });

  test.each(NASTY)('a mention with %s', async (_name, question) => {
    const posted = fake.postMessage(fake.member(), `<@${fake.botUser.id}> ${question}`, {
      mentions: [fake.botUser],
      mentionEveryone: question.includes('@everyone'),
    });
    const { body } = await fake.waitForRequest((r) => r.body?.message_reference?.message_id === posted.id);
    expectNoPings(body);
    if (body.content.startsWith('Ask me something after the mention')) return;
    expectWellFormedAnswer(body.content, body.content.startsWith('From the archive'));
  });

  test('answered in one response; an interaction that reached the bot late (over 1 s old) is deferred first, then answered', async () => {
    const fresh = await ask(fake, { question: 'rice harvest' });
    expect(fresh.callback.body.type).toBe(4);
    expect(fake.requests.filter((r) => r.path.includes(fresh.interaction.token as string))).toHaveLength(1);
    fake.idClockOffsetMs = -2000;
    try {
      const late = await ask(fake, { question: 'rice harvest' });
      expect(late.callback.body.type).toBe(5);
      expect(late.message.content).toContain('**rice**');
      const search = await answerOf(fake, fake.slashCommand(fake.member(), 'search', { query: 'irrigation' }));
      expect(search.callback.body.type).toBe(5);
      expect(search.message.embeds[0].title).toBe('Search: “irrigation”');
    } finally {
      fake.idClockOffsetMs = 0;
    }
  });

  test('the answers quote what they should, echo the question inertly, and impossible dates are refused', async () => {
    const everyone = await ask(fake, { question: '@everyone where is the spaceport' });
    expect(everyone.message.content).toMatch(/^From the archive, for “\\@everyone where is the spaceport”:/);
    expect(everyone.message.content).toContain('Vostochny **Spaceport**');
    const nul = await ask(fake, { question: 'rice\u0000harvest' });
    expect(nul.message.content).toMatch(/^From the archive, for “riceharvest”:/);
    const feb30 = await ask(fake, { question: 'rice', from: '2023-02-30' });
    expect(feb30.callback.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(feb30.message.content).toBe('`from` should be a year, year-month or date such as 2023, 2023-09 or 2023-09-14.');
    const slashes = await ask(fake, { question: 'rice harvest', from: '2021/10/5', to: '2021.10' });
    expect(slashes.message.content).toContain('(from 2021-10-05, to 2021-10)');
    expect(slashes.message.content).toContain('**rice**');
  });
});

describe('hostile ids: not found, and nothing read from disk', () => {
  test('/source, its passage, /search buttons, filters and autocomplete touch no file, least of all outside the archive', async () => {
    const canary = join(tmp, 'outside-secret.md');
    const hostile = [
      '../outside-secret.md',
      `../${'../'.repeat(10)}etc/passwd`,
      canary,
      '/etc/passwd',
      `file://${canary}`,
      '%2e%2e%2foutside-secret.md',
      '..\\..\\outside-secret.md',
      'records.json',
      'summit.md/../../outside-secret.md',
      '\u0000',
      '~0123456789abcdef',
      'x'.repeat(6000),
    ];
    const spy = spyOnFs();
    const replies: any[] = [];
    try {
      for (const document of hostile)
        replies.push((await answerOf(fake, fake.slashCommand(fake.member(), 'source', { document }))).message);
      for (const passage of [0, -1, 9007199254740991]) {
        replies.push((await answerOf(fake, fake.slashCommand(fake.member(), 'source', { document: 'summit.md', passage }))).message);
      }
      for (const customId of [
        'search:../../etc/passwd:1',
        `search:${'x'.repeat(95)}:1`,
        'search:abc:-5',
        'search:abc:1e309',
        'source:../x',
        'reload:now',
        '::',
        '',
      ]) {
        replies.push((await answerOf(fake, fake.pressButton(fake.member(), fake.messages.keys().next().value!, customId))).message);
      }
      replies.push((await ask(fake, { question: 'reservoir', source: '../../etc/passwd' })).message);
      for (const value of ['../', canary, 'x'.repeat(6000)]) {
        const { callback } = await answerOf(fake, fake.autocomplete(fake.member(), 'source', 'document', value));
        expect(callback.body.data.choices).toEqual([]);
      }
    } finally {
      spy.stop();
    }
    expect(spy.calls).toEqual([]);
    for (const message of replies) {
      expect(message.content).not.toContain('CANARY');
      expect(message.content).not.toContain('root:');
      expect(message.content).toMatch(
        /^No document “.*” in the archive\.|^“A New Landmark, Summit at a Spaceport” has \d+ passages?; choose|^This result list has expired|^This button no longer works|^No source called/,
      );
      expect(message.content.length).toBeLessThan(600);
      expect(message.flags).toBe(EPHEMERAL);
    }
  });
});

describe('faults', () => {
  test('the gateway connection is cut without a close frame: the bot resumes and answers', async () => {
    const resumes = fake.resumes.length;
    fake.terminateConnections();
    await until(() => fake.resumes.length > resumes, 'a RESUME');
    const { message } = await ask(fake, { question: 'rice harvest' });
    expect(message.content).toContain('**rice**');
  });

  test('Discord invalidates the session: the bot identifies again and answers', async () => {
    const identifies = fake.identifies.length;
    fake.invalidateSession(false);
    await until(() => fake.identifies.length > identifies, 'a new IDENTIFY', 20_000);
    await until(() => running.bot.client.isReady() && running.bot.client.ws.ping !== undefined, 'ready again');
    const { message } = await ask(fake, { question: 'glacier observatory' });
    expect(message.content).toContain('**glacier observatory**');
  }, 30_000);

  test("REST answers 429, then 500s, then never: the answer still arrives, within Discord's 3 s (retries within discord.js limits)", async () => {
    const callback = /^\/interactions\/\d+\/[^/]+\/callback$/;
    fake.failNext({
      method: 'POST',
      path: callback,
      status: 429,
      headers: { 'retry-after': '0.2' },
      body: { message: 'You are being rate limited.', retry_after: 0.2, global: false },
    });
    fake.failNext({ method: 'POST', path: callback, status: 500, times: 2 });
    fake.failNext({ method: 'POST', path: callback, status: 0, hang: true });
    const started = Date.now();
    const interaction = fake.slashCommand(fake.member(), 'ask', { question: 'Where did Kim Jong Un meet Putin?' });
    const { callback: answered, message } = await answerOf(fake, interaction, { timeoutMs: 20_000 });
    expect(message.content).toContain('Vostochny Spaceport');
    expect(answered.at - started).toBeLessThan(3000);
    await until(() => fake.requests.filter(onToken(interaction)).length >= 5, 'all attempts recorded');
    expect(fake.requests.filter(onToken(interaction)).map((r) => `${r.status} ${r.method}`)).toEqual([
      '429 POST',
      '500 POST',
      '500 POST',
      '0 POST',
      '204 POST',
    ]);
  }, 30_000);

  test('a deferred reply (the /reload report) cannot be delivered, 500s past the retries: the admin gets the short error instead, the log the details', async () => {
    fake.failNext({ method: 'PATCH', path: /\/messages\/@original$/, status: 500, times: 4 });
    const interaction = fake.slashCommand(admin(), 'reload');
    const { callback, message } = await answerOf(fake, interaction, { timeoutMs: 20_000 });
    expect(callback.body).toMatchObject({ type: 5, data: { flags: EPHEMERAL } });
    expect(message.content).toBe(USER_ERROR_MESSAGE);
    expectNoPings(message);
    expect(fake.requests.filter((r) => r.method === 'PATCH' && r.path.includes(interaction.token)).map((r) => r.status)).toEqual([
      500, 500, 500, 500, 200,
    ]);
    expect(running.logs).toContainEqual(
      expect.objectContaining({ level: 'error', msg: 'command failed', command: 'reload', userId: ADMIN_USER_ID }),
    );
  }, 30_000);

  test('the initial response fails past the retries: the user still gets the error as the response', async () => {
    fake.failNext({ method: 'POST', path: /\/callback$/, status: 500, times: 4 });
    const interaction = fake.slashCommand(fake.member(), 'ask', { question: 'rice harvest' });
    const { callback, message } = await answerOf(fake, interaction, { timeoutMs: 20_000 });
    expect(callback.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(message.content).toBe(USER_ERROR_MESSAGE);
  }, 30_000);

  test('nothing gets through for one interaction, nor for a channel reply: logged, no crash, the next question is answered', async () => {
    fake.failNext({ method: 'POST', path: /\/callback$/, status: 500, times: 8 });
    const lost = fake.slashCommand(fake.member(), 'ask', { question: 'rice harvest' });
    await until(
      () => fake.requests.filter((r) => r.path.includes(lost.token) && r.status === 500).length === 8,
      'eight failed attempts',
      20_000,
    );
    await until(() => running.logs.some((l) => l.msg === 'could not tell the user about the failure'), 'the log line');

    fake.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 500, times: 8 });
    const posted = fake.postMessage(fake.member(), `<@${fake.botUser.id}> rice harvest?`, { mentions: [fake.botUser] });
    await until(
      () => fake.requests.filter((r) => r.status === 500 && r.body?.message_reference?.message_id === posted.id).length === 8,
      'the failed replies',
      20_000,
    );
    await until(() => running.logs.some((l) => l.msg === 'message failed'), 'the log line');

    const { message } = await ask(fake, { question: 'rice harvest' });
    expect(message.content).toContain('**rice**');
  }, 40_000);
});

describe('a folder of broken files behind /reload', () => {
  test('the report names each broken file with its reason, and the rest loads', async () => {
    await mkdir(join(dir, 'bad'));
    await writeFile(join(dir, 'bad', 'invalid-utf8.txt'), new Uint8Array([0x48, 0x69, 0x20, 0xff, 0xfe, 0x21]));
    await writeFile(join(dir, 'bad', 'binary.txt'), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
    await writeFile(join(dir, 'bad', 'huge.txt'), '');
    await truncate(join(dir, 'bad', 'huge.txt'), 50 * 1024 * 1024);
    await writeFile(join(dir, 'bad', 'front-matter.md'), '---\ntitle: Broken\ntags: [one, two\n---\nBody.\n');
    await writeFile(join(dir, 'bad', 'empty.md'), '');
    await writeFile(
      join(dir, 'bad', 'alias-bomb.md'),
      '---\na: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n---\nBody.\n',
    );
    await writeFile(join(dir, 'bad', 'deleted.md'), '# Deleted\n\nDeleted while the reload reads it.\n');
    await writeFile(join(dir, 'bad', 'rewritten.json'), JSON.stringify([{ title: 'Whole', text: 'A whole record.' }]));
    await writeFile(
      join(dir, 'feed.jsonl'),
      [
        '{"title": "Tidal power station opens", "text": "A tidal power station began operating on the west coast.", "source": "KCNA"}',
        '{"title": "Broken", "text": }',
        '{"title": "Wind farm", "text": "A wind farm was built on the northern ridge."}',
      ].join('\n'),
    );
    await symlink(join(tmp, 'outside-secret.md'), join(dir, 'link-out.md'));

    const spy = spyOnFs(async ({ fn, path }) => {
      if (fn !== 'promises.open') return;
      if (path === join(dir, 'bad', 'deleted.md')) await unlink(path);
      if (path === join(dir, 'bad', 'rewritten.json')) await writeFile(path, '[{"title": "Whole", "text": "A who');
    });
    let report: any;
    try {
      report = (await answerOf(fake, fake.slashCommand(admin(), 'reload'))).message;
    } finally {
      spy.stop();
    }
    const content: string = report.content;
    expect(content).toMatch(/^\*\*Reloaded\*\* in \d+\.\d s: \d+ documents; 2 added, 0 changed, 0 removed, \d+ unchanged, 10 skipped\./);
    expect(content).toContain('**Added:** Tidal power station opens (feed.jsonl#1); Wind farm (feed.jsonl#3)');
    const expected: Array<[string, RegExp]> = [
      ['bad/alias-bomb.md', /\(line 2\): invalid YAML front matter: Excessive alias count/],
      ['bad/deleted.md', /: cannot read file: ENOENT/],
      ['bad/empty.md', /: empty text/],
      ['bad/front-matter.md', /\(line 3\): invalid YAML front matter: /],
      ['bad/huge.txt', /: file is larger than the 20 MB limit \(52428800 bytes\)/],
      ['bad/rewritten.json', /: invalid JSON: /],
      ['feed.jsonl', /\(line 2\): invalid JSON: /],
      ['link-out.md', /: symlink points outside the archive/],
    ];
    const skippedLines = content.slice(content.indexOf('**Skipped:**\n') + '**Skipped:**\n'.length).split('\n');
    // One line per reason: the two files with the same reason share a line, the larger group first.
    expect(skippedLines).toHaveLength(expected.length + 1);
    expect(skippedLines[0]).toBe(
      `- 2 files: not valid UTF-8 text (e.g. ${escapeText('bad/binary.txt')}, ${escapeText('bad/invalid-utf8.txt')})`,
    );
    for (const [file, reason] of expected) {
      const line = skippedLines.find((l) => l.startsWith(`- ${escapeText(file)}:`) || l.startsWith(`- ${escapeText(file)} (line`));
      expect(line, file).toMatch(reason);
    }
    expect(content.length).toBeLessThanOrEqual(2000);
    expect(content).not.toContain('CANARY');
    expectNoPings(report);

    // The rest loaded: the new records answer, the old documents still do.
    expect((await ask(fake, { question: 'tidal power station' })).message.content).toContain(
      'A **tidal power station** began operating on the west coast.',
    );
    expect((await ask(fake, { question: 'Where did Kim Jong Un meet Putin?' })).message.content).toContain('Vostochny Spaceport');
    const archive = await answerOf(fake, fake.slashCommand(fake.member(), 'archive'));
    const skippedField = archive.message.embeds[0].fields.find((f: { name: string }) => f.name.startsWith('Skipped at the last load'));
    expect(skippedField.name).toBe('Skipped at the last load (10)');
    expect(skippedField.value).toContain('link-out.md: symlink points outside the archive');
  }, 30_000);

  test('a reload that can read none of the files (the folder is being replaced) changes nothing', async () => {
    const before = running.bot.context.archive.current;
    // New times on every file, as a folder being replaced would have: the cache cannot vouch for them.
    const now = new Date();
    for (const file of await readdir(dir, { recursive: true }))
      if (!file.startsWith('.')) await utimes(join(dir, file), now, now).catch(() => {});
    const spy = spyOnFs(({ fn, path }) => {
      if (fn === 'promises.open' && path.startsWith(dir))
        throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
    });
    let content: string;
    try {
      content = (await answerOf(fake, fake.slashCommand(admin(), 'reload'))).message.content;
    } finally {
      spy.stop();
    }
    expect(content).toMatch(/^\*\*Reload failed\*\*: Cannot load archive: no document could be read this time \(11 skipped, e\.g\. /);
    expect(content).toContain('Nothing changed: still answering from the archive loaded');
    expect(running.bot.context.archive.current).toBe(before);
    expect((await ask(fake, { question: 'tidal power station' })).message.content).toContain('**tidal power station**');
  });
});

describe('the on-disk index cache', () => {
  test('every cache file truncated: the reload ignores them, rebuilds from the archive, and the bot answers throughout', async () => {
    const cache = join(dir, '.archivist-cache');
    const files = (await readdir(cache, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const path = join(file.parentPath, file.name);
      await truncate(path, Math.floor((await stat(path)).size / 2));
    }
    const before = running.bot.context.archive.current;
    const { message } = await answerOf(fake, fake.slashCommand(admin(), 'reload'));
    expect(message.content).toMatch(/^\*\*Reloaded\*\* in \d+\.\d s: \d+ documents; 0 added, 0 changed, 0 removed/);
    const after = running.bot.context.archive.current;
    expect(after).not.toBe(before);
    expect(after.documents.map((d) => d.id)).toEqual(before.documents.map((d) => d.id));
    expect(after.loadReport?.cache).toBe('rebuilt');
    expect(after.loadReport?.warnings.length).toBeGreaterThan(0);
    expect((await ask(fake, { question: 'Where did Kim Jong Un meet Putin?' })).message.content).toContain('Vostochny Spaceport');
  });
});

describe('security', () => {
  test('/reload arriving anyway (the default permission gate removed) is refused and logged with the user id: no Manage Server, an unconfigured role, a DM', async () => {
    const plain = fake.member();
    const withRole = fake.member({ roles: [fake.adminRoleId] }); // ADMIN_ROLE_IDS is not set in this suite
    const loads = running.logs.filter((l) => l.msg === 'reload requested').length;
    for (const actor of [plain, withRole]) {
      const { callback, message } = await answerOf(fake, fake.slashCommand(actor, 'reload'));
      expect(callback.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
      expect(message.content).toBe(REFUSAL);
    }
    const dmUser = fake.member();
    const dm = await answerOf(fake, fake.slashCommandInDm(dmUser, 'reload'));
    expect(dm.message.content).toBe(REFUSAL);
    for (const actor of [plain, withRole, dmUser]) {
      expect(running.logs).toContainEqual(
        expect.objectContaining({ level: 'warn', msg: 'admin command refused', command: 'reload', userId: actor.user.id }),
      );
    }
    expect(running.logs.filter((l) => l.msg === 'reload requested').length).toBe(loads);

    // Manage Server (or Administrator, which includes it) is enough.
    const manager = fake.manager();
    expect((await answerOf(fake, fake.slashCommand(manager, 'reload'))).message.content).toMatch(/^\*\*Reloaded\*\*/);
    const administrator = fake.member({ permissions: String(BigInt(MEMBER_PERMISSIONS) | (1n << 3n)) });
    expect((await answerOf(fake, fake.slashCommand(administrator, 'reload'))).message.content).toMatch(/^\*\*Reloaded\*\*/);
  });

  test('a burst of 20 questions from one user: 3 answered, 17 told to wait; 20 other users asking at the same time are all answered', async () => {
    const eager = fake.member();
    const burst = Array.from({ length: 20 }, () => fake.slashCommand(eager, 'ask', { question: 'rice harvest' }));
    const others = Array.from({ length: 20 }, () => fake.slashCommand(fake.member(), 'ask', { question: 'rice harvest' }));
    const burstAnswers = await Promise.all(burst.map((i) => answerOf(fake, i)));
    const otherAnswers = await Promise.all(others.map((i) => answerOf(fake, i)));
    const answered = burstAnswers.filter((a) => !(a.callback.body.data?.flags & EPHEMERAL));
    expect(answered).toHaveLength(3);
    for (const a of answered) expect(a.message.content).toContain('**rice**');
    const refused = burstAnswers.filter((a) => a.callback.body.data?.flags & EPHEMERAL);
    expect(refused).toHaveLength(17);
    for (const a of refused) {
      expect(a.callback.body.data.flags).toBe(EPHEMERAL);
      expect(a.message.content).toMatch(/^You're asking quickly; please wait \d+ s before the next question\.$/);
    }
    for (const a of otherAnswers) expect(a.message.content).toContain('**rice**');
  });

  test('the token appears nowhere: not in the log, not in any request body, path or query the bot sent', () => {
    const secretPart = fake.token.split('.').at(-1)!;
    const everything = [
      ...running.rawLogs,
      ...fake.requests.map((r) => `${r.method} ${r.rawPath} ${r.path} ${r.query.toString()} ${JSON.stringify(r.body ?? null)}`),
    ].join('\n');
    expect(everything.length).toBeGreaterThan(10_000);
    expect(everything).not.toContain(fake.token);
    expect(everything).not.toContain(secretPart);
    // The token is only ever in the Authorization header, where it belongs.
    expect(fake.requests.some((r) => r.headers.authorization === `Bot ${fake.token}`)).toBe(true);
  });
});
