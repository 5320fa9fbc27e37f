/**
 * Admins add and remove documents from Discord, end to end: the real bot (real discord.js client,
 * real loader in a worker) on a temp archive folder, attachments served by the fake Discord's CDN.
 * /upload checks before downloading, validates with the archive's loader, never overwrites, and the
 * new document answers /ask; /remove moves the file to `.archivist-trash/` and says how to restore.
 */
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { definitions } from '../../commands/index.js';
import { REFUSAL as REMOVE_REFUSAL } from '../../commands/remove.js';
import { REFUSAL as UPLOAD_REFUSAL } from '../../commands/upload.js';
import { registerCommands } from '../../src/discord/registration.js';
import {
  answerOf,
  ask,
  EPHEMERAL,
  expectNoPings,
  startBot,
  unhandledRejections,
  type RunningBot,
} from '../../testing/fake-discord/harness.js';
import { spyOnFs } from '../helpers/fs-spy.js';
import { FakeDiscord, MANAGE_GUILD, type Actor, type FakeAttachment } from '../../testing/fake-discord/server.js';

let fake: FakeDiscord;
let running: RunningBot;
let dir: string;

/** UPLOAD_MAX_MB for this suite: 0.05 MB = 52,428 bytes, so "too large" is cheap to make. */
const LIMIT_BYTES = Math.floor(0.05 * 1024 * 1024);

const LIGHTHOUSE = [
  '# Notes from the Nampo lighthouse',
  '',
  'The lighthouse keeper of Nampo logged forty-one fishing boats returning before the squall.',
  '',
  'A second paragraph records that the foghorn was repaired with parts from the shipyard.',
  '',
].join('\n');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'archivist-uploads-'));
  await writeFile(
    join(dir, 'putin.md'),
    '---\ntitle: "A New Landmark, Summit at a Spaceport"\nsource: Pyongyang Times\ndate: 2023-09-20\n---\n\nKim Jong Un met Vladimir Putin at the Vostochny Spaceport.\n',
  );
  await writeFile(
    join(dir, 'bulletins.json'),
    JSON.stringify(
      [1, 2, 3].map((i) => ({
        id: `canal-${i}`,
        title: `Canal bulletin ${i}`,
        text: `Canal ${i} was dredged by the brigade of reservoir ${i}.`,
      })),
    ),
  );
  fake = await FakeDiscord.start();
  await registerCommands({ token: fake.token, clientId: fake.applicationId, guildId: fake.guildId, apiUrl: fake.apiUrl }, definitions);
  running = await startBot(fake, { env: { DATA_DIR: dir, UPLOAD_MAX_MB: '0.05', ADMIN_ROLE_IDS: fake.adminRoleId } });
}, 60_000);

afterAll(async () => {
  await running?.stop();
  await fake?.close();
  expect(unhandledRejections).toEqual([]);
});

/** What is in a folder of the archive (sorted; [] when it does not exist), hidden entries included. */
async function listing(folder: string): Promise<string[]> {
  try {
    return (await readdir(join(dir, folder))).sort();
  } catch {
    return [];
  }
}

async function upload(actor: Actor, file: FakeAttachment, options: Record<string, string> = {}) {
  return answerOf(fake, fake.slashCommand(actor, 'upload', { file, ...options }), { timeoutMs: 30_000 });
}

const logsFor = (msg: string, actor: Actor) => running.logs.filter((l) => l.msg === msg && l.userId === actor.user.id);

/** Each upload is checked in a worker thread and then reloaded in another: under tsx on a busy machine a test of several takes a while. */
const UPLOADS = { timeout: 120_000 };

describe('/upload', UPLOADS, () => {
  test('both gates: hidden from members without Manage Server, and refused at run time to anyone not an admin', async () => {
    const registered = fake.commands.get(fake.guildId)!;
    for (const name of ['upload', 'remove']) {
      expect(registered.find((c) => c.name === name)!.default_member_permissions, name).toBe(String(MANAGE_GUILD));
    }
    const file = fake.addAttachment('intruder.md', '# Intruder\n\nText from someone who is not an admin.\n');
    const intruder = fake.member();
    const { callback, message } = await upload(intruder, file);
    expect(callback.body.data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(message.content).toBe(UPLOAD_REFUSAL);
    expect(fake.cdnRequested(file)).toBe(false);
    expect(await listing('uploads')).toEqual([]);
    expect(logsFor('admin command refused', intruder)).toHaveLength(1);

    const removal = await answerOf(fake, fake.slashCommand(intruder, 'remove', { document: 'putin.md' }));
    expect(removal.message.content).toBe(REMOVE_REFUSAL);
    expect(await listing('')).toContain('putin.md');

    // A role in ADMIN_ROLE_IDS passes the run-time gate without Manage Server.
    const roleAdmin = fake.member({ roles: [fake.adminRoleId] });
    const passed = await answerOf(fake, fake.slashCommand(roleAdmin, 'remove', { document: 'no such document' }));
    expect(passed.message.content).toBe('No document “no such document” in the archive. Pick one from the list that appears as you type.');
  });

  test('a valid file with title, source and date: saved under uploads/, reloaded, reported, and /ask quotes it', async () => {
    const admin = fake.manager();
    const file = fake.addAttachment('lighthouse notes.md', LIGHTHOUSE, { contentType: 'text/markdown' });
    const { callback, message } = await upload(admin, file, {
      title: 'Lighthouse log: the squall',
      source: 'Nampo Harbour',
      date: '2024-3-7',
    });
    // Deferred at once, privately (the download and the reload may take longer than 3 s).
    expect(callback.body.type).toBe(5);
    expect(callback.body.data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(message.content).toMatch(/^\*\*Added\*\* `uploads\/lighthouse-notes\.md`: \*\*Lighthouse log: the squall\*\* \(1 passage\)\.\n/);
    expect(message.content).toMatch(/Reloaded in \d+\.\d s: 5 documents in all\./);
    expectNoPings(message);

    // The metadata went into front matter the loader reads back; the body is as uploaded.
    const saved = await readFile(join(dir, 'uploads', 'lighthouse-notes.md'), 'utf8');
    expect(saved).toBe(`---\ntitle: "Lighthouse log: the squall"\nsource: Nampo Harbour\ndate: 2024-03-07\n---\n${LIGHTHOUSE}`);

    const answer = await ask(fake, { question: 'How many fishing boats did the lighthouse keeper log?' });
    expect(answer.message.content).toContain(
      '> The **lighthouse keeper** of Nampo **logged** forty-one **fishing boats** returning before the squall.',
    );
    expect(answer.message.content).toContain(
      '— **Lighthouse log: the squall › Notes from the Nampo lighthouse** · Nampo Harbour · 2024-03-07',
    );

    const logged = logsFor('document uploaded', admin);
    expect(logged).toMatchObject([{ file: 'uploads/lighthouse-notes.md', attachment: 'lighthouse notes.md', documents: 1 }]);
    expect(running.rawLogs.join('\n')).not.toContain(fake.token);
  });

  test('a name that is taken gets a suffix; the first file is untouched', async () => {
    const before = await readFile(join(dir, 'uploads', 'lighthouse-notes.md'));
    const file = fake.addAttachment('lighthouse notes.md', '# Harbour crane\n\nThe harbour crane at Songrim was rebuilt in spring.\n');
    const { message } = await upload(fake.manager(), file);
    expect(message.content).toMatch(/^\*\*Added\*\* `uploads\/lighthouse-notes-2\.md`: \*\*Harbour crane\*\* \(1 passage\)\./);
    expect(await readFile(join(dir, 'uploads', 'lighthouse-notes.md'))).toEqual(before);
    expect(await listing('uploads')).toEqual(['lighthouse-notes-2.md', 'lighthouse-notes.md']);
  });

  test('a file over UPLOAD_MAX_MB is refused before it is downloaded; one the CDN serves larger than declared is cut off', async () => {
    const admin = fake.manager();
    const text = `# Big\n\n${'word '.repeat(LIMIT_BYTES / 5 + 10)}`;
    const big = fake.addAttachment('big.md', text);
    const refused = await upload(admin, big);
    expect(refused.callback.body.type).toBe(4); // answered at once: nothing to wait for
    expect(refused.message.content).toBe(
      `“big.md” is ${Number((big.size / 1024).toFixed(1))} KB; files up to 51.2 KB can be added (UPLOAD_MAX_MB). Nothing was downloaded.`,
    );
    expect(fake.cdnRequested(big)).toBe(false);

    // Declared small: downloaded, but refused by the length the CDN states, or, with none stated, after reading just past the limit.
    const declared = fake.addAttachment('declared.md', text, { size: 100 });
    const chunked = fake.addAttachment('chunked.md', text, { size: 100, chunked: true });
    expect((await upload(admin, declared)).message.content).toBe(
      `Could not add “declared.md”: the file is larger than the 51.2 KB limit (${Number((big.size / 1024).toFixed(1))} KB), so nothing was saved.`,
    );
    expect((await upload(admin, chunked)).message.content).toBe(
      'Could not add “chunked.md”: the file is larger than the 51.2 KB limit (over 51.2 KB received), so nothing was saved.',
    );
    expect(fake.cdnRequested(chunked)).toBe(true);
    expect(await listing('uploads')).toEqual(['lighthouse-notes-2.md', 'lighthouse-notes.md']);
    expect(logsFor('upload refused', admin).map((l) => l.reason)).toEqual([
      'too large',
      `the file is larger than the 51.2 KB limit (${Number((big.size / 1024).toFixed(1))} KB)`,
      'the file is larger than the 51.2 KB limit (over 51.2 KB received)',
    ]);
  });

  test('a file the loader would skip is refused with the loader’s reason, and nothing is written', async () => {
    const admin = fake.manager();
    const cases: Array<[FakeAttachment, string]> = [
      [fake.addAttachment('blank.md', '   \n\n  '), '- blank.md: empty text'],
      [fake.addAttachment('latin1.txt', Uint8Array.from([0x43, 0x61, 0x66, 0xe9, 0x0a])), '- latin1.txt: not valid UTF-8 text'],
      [fake.addAttachment('broken.json', '[{"title": "x", "text": '), '- broken.json: invalid JSON'],
      [fake.addAttachment('notext.jsonl', '{"title": "only a title"}\n'), '- notext.jsonl (line 1): record has no text'],
    ];
    for (const [file, reason] of cases) {
      const { message } = await upload(admin, file);
      expect(message.content, file.filename).toContain(
        `Could not add “${file.filename}”: the archive would take no document from it, so nothing was saved.\n${reason}`,
      );
    }
    expect(await listing('uploads')).toEqual(['lighthouse-notes-2.md', 'lighthouse-notes.md']);
  });

  test('a file whose records are partly skipped is added with the skipped ones named; a copy of a document adds nothing, and says so', async () => {
    const admin = fake.manager();
    const lines = [
      JSON.stringify({ id: 'dam-1', title: 'Dam report', text: 'The Taedong dam sluices were opened at dawn.' }),
      '{"title": "broken',
      JSON.stringify({ id: 'dam-2', title: 'No text here' }),
    ].join('\n');
    const { message } = await upload(admin, fake.addAttachment('dams.jsonl', lines));
    expect(message.content).toMatch(/^\*\*Added\*\* `uploads\/dams\.jsonl`: \*\*Dam report\*\* \(1 passage\)\./);
    expect(message.content).toContain('Skipped in the file:\n- dams.jsonl (line 2): invalid JSON');
    expect(message.content).toContain('- dams.jsonl (line 3): record has no text');

    const copy = fake.addAttachment('zz-copy.md', '# Another title\n\nThe Taedong dam sluices were opened at dawn.\n');
    expect((await upload(admin, copy)).message.content).toMatch(
      /^\*\*Saved\*\* `uploads\/zz-copy\.md`, but the reloaded archive has no document from it: its text repeats documents already in the archive/,
    );
    // A copy that comes first in path order keeps the text, and the report names the document it displaced.
    const first = fake.addAttachment('a-dam.md', '# Dam at dawn\n\nThe Taedong dam sluices were opened at dawn.\n');
    const displaced = (await upload(admin, first)).message.content;
    expect(displaced).toMatch(/^\*\*Added\*\* `uploads\/a-dam\.md`: \*\*Dam at dawn\*\*/);
    expect(displaced).toContain(
      '**No longer in the archive** (the new file repeats their text and comes first, or they changed on disk meanwhile): Dam report (dam-1)',
    );
  });

  test('refused before downloading: a kind of file the archive does not read, metadata for JSON, a date that is not one', async () => {
    const admin = fake.manager();
    const pdf = fake.addAttachment('report.pdf', '%PDF-1.4', { contentType: 'application/pdf' });
    expect((await upload(admin, pdf)).message.content).toBe(
      'The archive reads .md .markdown .txt .json .jsonl .ndjson .html .htm files; “report.pdf” is none of these, so nothing was added.',
    );
    const json = fake.addAttachment('records.json', '[{"title": "T", "text": "Some text."}]');
    expect((await upload(admin, json, { title: 'Mine' })).message.content).toMatch(
      /^title, source and date can be set for Markdown and text files only: a \.json file carries its own/,
    );
    const note = fake.addAttachment('note.md', '# Note\n\nA note.\n');
    expect((await upload(admin, note, { date: '2024-02-30' })).message.content).toBe(
      'The date “2024-02-30” is not one the archive reads: use YYYY, YYYY-MM or YYYY-MM-DD.',
    );
    for (const file of [pdf, json, note]) expect(fake.cdnRequested(file), file.filename).toBe(false);
  });

  test('an attachment that is not on Discord’s file servers (or the configured API host) is never fetched', async () => {
    const real = fake.addAttachment('elsewhere.md', '# Elsewhere\n\nText.\n');
    const forged = { ...real, url: real.url.replace('127.0.0.1', 'localhost') };
    const { message } = await upload(fake.manager(), forged);
    expect(message.content).toBe("Could not add “elsewhere.md”: the attachment is not on Discord's file servers, so nothing was saved.");
    expect(fake.cdnRequested(real)).toBe(false);
  });

  test('file names are made safe: no path traversal, no hidden files, no invisible or control characters', async () => {
    const admin = fake.manager();
    const names: Array<[string, string]> = [
      ['../../escape attempt\u202e.md', 'uploads/escape-attempt.md'],
      ['..\\..\\windows\\style.txt', 'uploads/style.txt'],
      ['.hidden.md', 'uploads/hidden.md'],
      ['ｆｕｌｌｗｉｄｔｈ\u200b\u0007.MD', 'uploads/fullwidth.md'],
    ];
    for (const [i, [name, saved]] of names.entries()) {
      const file = fake.addAttachment(name, `# Safe name ${i}\n\nThe file named oddly number ${i} about the tidal barrage.\n`);
      const { message } = await upload(admin, file);
      expect(message.content, name).toMatch(
        new RegExp(`^\\*\\*Added\\*\\* \`${saved.replace(/\./g, '\\.')}\`: \\*\\*Safe name ${i}\\*\\*`),
      );
    }
    expect(await listing('uploads')).toEqual([
      'a-dam.md',
      'dams.jsonl',
      'escape-attempt.md',
      'fullwidth.md',
      'hidden.md',
      'lighthouse-notes-2.md',
      'lighthouse-notes.md',
      'style.txt',
      'zz-copy.md',
    ]);
    // Nothing landed beside the archive folder.
    expect((await readdir(join(dir, '..'))).filter((n) => /escape|style|hidden|fullwidth/.test(n))).toEqual([]);
  });
});

describe('/remove', () => {
  test('autocomplete offers the archive’s documents (at most 25)', async () => {
    const { callback } = await answerOf(fake, fake.autocomplete(fake.manager(), 'remove', 'document', 'lighthouse'));
    const choices = callback.body.data.choices as Array<{ name: string; value: string }>;
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices[0]).toEqual({ name: 'Lighthouse log: the squall · 2024-03-07', value: 'uploads/lighthouse-notes.md' });
  });

  test('moves the file to .archivist-trash/, the document stops answering, and the restore instructions work', async () => {
    const admin = fake.manager();
    const question = 'How many fishing boats did the lighthouse keeper log?';
    const { callback, message } = await answerOf(fake, fake.slashCommand(admin, 'remove', { document: 'uploads/lighthouse-notes.md' }), {
      timeoutMs: 30_000,
    });
    expect(callback.body.type).toBe(5);
    expect(callback.body.data.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(message.content).toBe(
      [
        '**Removed** `uploads/lighthouse-notes.md` (**Lighthouse log: the squall**): moved to `.archivist-trash/uploads/lighthouse-notes.md` in the archive folder; nothing was deleted.',
        message.content.split('\n')[1],
        '**To restore it:** move `.archivist-trash/uploads/lighthouse-notes.md` back to `uploads/lighthouse-notes.md` in the archive folder, then run /reload.',
      ].join('\n'),
    );
    expect(message.content.split('\n')[1]).toMatch(/^Reloaded in \d+\.\d s: 10 documents in all\.$/);
    expect(await listing('uploads')).not.toContain('lighthouse-notes.md');
    expect(await listing('.archivist-trash/uploads')).toEqual(['lighthouse-notes.md']);
    expect(logsFor('document removed', admin)).toMatchObject([
      { file: 'uploads/lighthouse-notes.md', trashedAs: '.archivist-trash/uploads/lighthouse-notes.md', documents: 1 },
    ]);

    const after = await ask(fake, { question });
    expect(after.message.content).not.toContain('Lighthouse log');

    // Following the instructions brings it back.
    await rename(join(dir, '.archivist-trash/uploads/lighthouse-notes.md'), join(dir, 'uploads/lighthouse-notes.md'));
    await answerOf(fake, fake.slashCommand(admin, 'reload'), { timeoutMs: 30_000 });
    expect((await ask(fake, { question })).message.content).toContain('— **Lighthouse log: the squall');
  });

  test('a name already in the trash gets a suffix there too', async () => {
    await mkdir(join(dir, '.archivist-trash', 'uploads'), { recursive: true });
    await writeFile(join(dir, '.archivist-trash', 'uploads', 'style.txt'), 'an older removal');
    const { message } = await answerOf(fake, fake.slashCommand(fake.manager(), 'remove', { document: 'uploads/style.txt' }), {
      timeoutMs: 30_000,
    });
    expect(message.content).toContain('moved to `.archivist-trash/uploads/style-2.txt`');
    expect(await readFile(join(dir, '.archivist-trash', 'uploads', 'style.txt'), 'utf8')).toBe('an older removal');
  });

  test('a document that shares its file with others is removed only with whole_file; unknown documents are named', async () => {
    const admin = fake.manager();
    const partial = await answerOf(fake, fake.slashCommand(admin, 'remove', { document: 'canal-2' }));
    expect(partial.message.content).toBe(
      '**Canal bulletin 2** is one of 3 documents in `bulletins.json`, and /remove moves whole files. Run it again with `whole_file: True` to remove all 3, or edit the file and /reload to remove just this one.',
    );
    expect(await listing('')).toContain('bulletins.json');

    const whole = await answerOf(fake, fake.slashCommand(admin, 'remove', { document: 'canal-2', whole_file: true }), {
      timeoutMs: 30_000,
    });
    expect(whole.message.content).toMatch(
      /^\*\*Removed\*\* `bulletins\.json` \(\*\*Canal bulletin 2\*\* and the 2 other documents in it\): moved to `\.archivist-trash\/bulletins\.json`/,
    );
    expect(await listing('')).not.toContain('bulletins.json');

    const unknown = await answerOf(fake, fake.slashCommand(admin, 'remove', { document: '../../etc/passwd' }));
    expect(unknown.message.content).toBe('No document “../../etc/passwd” in the archive. Pick one from the list that appears as you type.');
  });
});

describe('/upload against hostile files and servers (red team, round 2)', UPLOADS, () => {
  test('a redirect from the file server is not followed: the internal page it names is never fetched nor saved', async () => {
    let reached = 0;
    const internal = createServer((_req, res) => {
      reached++;
      res.end('# Internal admin page\n\nThe database password is hunter2.\n');
    });
    internal.listen(0, '127.0.0.1');
    await once(internal, 'listening');
    try {
      const file = fake.addAttachment('harmless.md', '# Harmless\n\nText.\n');
      const location = `http://127.0.0.1:${(internal.address() as AddressInfo).port}/admin.md`;
      fake.failNext({ method: 'GET', path: /^\/cdn\/attachments\//, status: 302, headers: { location } });
      const { message } = await upload(fake.manager(), file);
      expect(message.content).toBe(
        "Could not add “harmless.md”: Discord's file server sent the download elsewhere (HTTP 302), and the bot follows no redirect; try uploading it again, so nothing was saved.",
      );
      expect(reached).toBe(0);
      expect(await listing('uploads')).not.toContain('harmless.md');
    } finally {
      internal.close();
    }
  });

  test('the uploaded file is written and read by a worker, never on the thread that answers', async () => {
    const spy = spyOnFs();
    try {
      const file = fake.addAttachment('worker-checked.md', '# Checked off the main thread\n\nThe ferry to Nampo sails at dawn.\n');
      const { message } = await upload(fake.manager(), file, { source: 'Harbour office' });
      expect(message.content).toMatch(/^\*\*Added\*\* `uploads\/worker-checked\.md`/);
    } finally {
      spy.stop();
    }
    // This thread only makes the staging folder and moves the checked file into place (link, unlink): it never opens the file.
    const onStaged = spy.calls.filter((c) => c.path.includes('.incoming-') && c.path.endsWith('worker-checked.md'));
    expect(onStaged.filter((c) => /open|read|write|stat|Stream/i.test(c.fn))).toEqual([]);
    expect(onStaged.map((c) => c.fn)).toEqual(['promises.unlink']);
  });
});
