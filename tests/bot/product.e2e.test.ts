/**
 * The product as a server member and an admin use it, end to end: the real bot (real discord.js
 * client, real archive loader in a worker) on a folder of files, against the fake Discord.
 * Sources as masked links, grouped skip reasons, reading on with buttons, feedback, asking from
 * any message, and admin uploads.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { answerOf, unhandledRejections, expectNoPings, startBot, type RunningBot } from '../../testing/fake-discord/harness.js';
import { PROJECT_ROOT } from '../../src/bot/config.js';
import { escapeText } from '../../src/discord/format.js';
import { FakeDiscord, type Actor } from '../../testing/fake-discord/server.js';

const run = promisify(execFile);

let fake: FakeDiscord;
let running: RunningBot;
let dir: string;

/** A link as long as the KCNA archive's (about 150 characters). */
const longUrl = (i: number) =>
  `https://kcnawatch.example.org/newstream/${'1'.repeat(60)}/${i}/article-about-irrigation-canal-${i}-and-the-pumps.html`;

/** Long enough (over 250 characters) to be a passage of its own, not joined to the next. */
const paragraph = (n: number) =>
  `Paragraph ${n} of the speech on land reclamation: the tideland ${n} was reclaimed by the youth brigade. ` +
  'Dykes were raised through the winter, salt marshes drained and rice planted where the sea had been, and the rally heard every brigade report in turn, from the first dyke to the last.';
const SPEECH = Array.from({ length: 60 }, (_, i) => paragraph(i + 1)).join('\n\n');

async function writeArchive(folder: string): Promise<void> {
  const records = Array.from({ length: 8 }, (_, i) => ({
    id: `irrigation-${i + 1}`,
    title: `Irrigation bulletin ${i + 1}`,
    text: `Irrigation canal number ${i + 1} was dredged and the irrigation pumps at station ${i + 1} were overhauled.`,
    source: 'Farm News',
    date: `2018-0${(i % 9) + 1}-1${i % 9}`,
    url: longUrl(i + 1),
  }));
  // Five records with no text: one reason, five times.
  for (let i = 0; i < 5; i++)
    records.push({ id: `blank-${i}`, title: `Blank ${i}`, text: ' ', source: 'Farm News', date: '2018-01-01', url: longUrl(90 + i) });
  await writeFile(join(folder, 'bulletins.json'), JSON.stringify(records));
  await writeFile(
    join(folder, 'speech.md'),
    `---\ntitle: "Speech at the tideland reclamation rally"\nsource: KCNA\ndate: 2024-03-01\nurl: ${longUrl(100)}\n---\n\n${SPEECH}\n`,
  );
  await writeFile(
    join(folder, 'putin.md'),
    '---\ntitle: "A New Landmark, Summit at a Spaceport"\nsource: Pyongyang Times\ndate: 2023-09-20\n---\n\nKim Jong Un met Vladimir Putin at the Vostochny Spaceport.\n\nPutin accompanied him during the whole visit.\n',
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'archivist-product-'));
  await writeArchive(dir);
  fake = await FakeDiscord.start();
  running = await startBot(fake, { env: { DATA_DIR: dir } });
}, 60_000);

afterAll(async () => {
  await running?.stop();
  await fake?.close();
  expect(unhandledRejections).toEqual([]);
});

/** Message text without the URLs of masked links: what a reader sees as link targets is hidden. */
const withoutMaskedUrls = (content: string) => content.replace(/\]\(<https?:[^>]+>\)/g, '](…)');

/** The five blank records' reason, once, as Discord shows it. */
const SKIP_LINE = escapeText(
  '5 records: record has no text (looked for text, body, content, story_text, context) (e.g. bulletins.json (line 9), bulletins.json (line 10), bulletins.json (line 11), …)',
);

describe('sources and reports', () => {
  test('/ask results:5: every source is a masked link with no embed, and no raw URL anywhere', async () => {
    const { message } = await answerOf(
      fake,
      fake.slashCommand(fake.member(), 'ask', { question: 'irrigation canal pumps dredged', results: 5 }),
    );
    const content: string = message.content;
    expect(content.length).toBeLessThanOrEqual(2000);
    const sources = content.match(/^— .*$/gm) ?? [];
    expect(sources).toHaveLength(5);
    for (const line of sources)
      expect(line).toMatch(/^— \*\*\[Irrigation bulletin \d\]\(<https:\/\/kcnawatch\.example\.org\/\S+\.html>\)\*\* · Farm News · 2018-/);
    expect(withoutMaskedUrls(content)).not.toMatch(/https?:/);
    expectNoPings(message);
  });

  test('/ask on a close miss quotes the closest match and says under the quote what it lacks', async () => {
    const { message } = await answerOf(
      fake,
      fake.slashCommand(fake.member(), 'ask', { question: 'Did Kim Jong Un meet Shoigu at the Vostochny Spaceport?' }),
    );
    const content: string = message.content;
    // The quote, then the small "Missing:" line, then the source: the reader sees what was not found.
    expect(content).toMatch(
      /\n> [^\n]*Vostochny[^\n]*\n(?:> [^\n]*\n)*-# Closest match · Missing: Shoigu\n— \*\*A New Landmark, Summit at a Spaceport\*\*/,
    );
    // A hit that answers has no such line.
    const answered = await answerOf(fake, fake.slashCommand(fake.member(), 'ask', { question: 'Where did Kim Jong Un meet Putin?' }));
    expect(answered.message.content).toContain('Vostochny');
    expect(answered.message.content).not.toContain('Missing:');
    expectNoPings(message);
  });

  test('/archive and /reload group skipped records by reason', async () => {
    const archive = await answerOf(fake, fake.slashCommand(fake.member(), 'archive'));
    const field = archive.message.embeds[0].fields.find((f: { name: string }) => f.name.startsWith('Skipped'));
    expect(field.name).toBe('Skipped at the last load (5)');
    expect(field.value).toBe(SKIP_LINE);
    const reload = await answerOf(fake, fake.slashCommand(fake.manager(), 'reload'));
    expect(reload.message.content).toContain(`**Skipped:**\n- ${SKIP_LINE}`);
  });
});

/** The components of a message body, flattened. */
const buttonsOf = (message: any): any[] => (message.components ?? []).flatMap((row: any) => row.components);

/** Presses a button and waits for the bot's answer to it. */
async function press(actor: Actor, message: any, customId: string) {
  const interaction = fake.pressButton(actor, message.id, customId);
  return answerOf(fake, interaction);
}

describe('reading on', () => {
  test('under an answer: Read n shows the passage privately with Previous/Next; More results continues as /search', async () => {
    const asker = fake.member();
    const asked = await answerOf(fake, fake.slashCommand(asker, 'ask', { question: 'tideland reclaimed youth brigade' }));
    const buttons = buttonsOf(asked.message);
    expect(buttons.map((b) => b.label ?? b.emoji.name)).toEqual(['Read 1', 'Read 2', 'Read 3', 'More results', '👍', '👎']);
    for (const b of buttons) expect(b.custom_id.length).toBeLessThanOrEqual(100);
    const shownMessage = asked.callback.created;

    // Someone else reads the second quoted passage: in full, only to them.
    const reader = fake.member();
    const read = await press(reader, shownMessage, buttons[1].custom_id);
    expect(read.callback.body.type).toBe(4);
    expect(read.callback.body.data.flags & 64).toBe(64);
    const embed = read.message.embeds[0];
    const position = Number(/^Passage (\d+) of 60/.exec(embed.footer.text)![1]);
    expect(embed.description).toBe(paragraph(position));
    expect(embed.title).toBe('Speech at the tideland reclamation rally');
    expect(buttonsOf(read.message).map((b) => [b.label, b.disabled])).toEqual([
      ['Previous passage', position === 1],
      ['Next passage', position === 60],
    ]);

    // Next passage turns the same private message (an update), to the following passage.
    const next = await press(reader, read.callback.created, buttonsOf(read.message)[1].custom_id);
    expect(next.callback.body.type).toBe(7);
    expect(next.message.embeds[0].footer.text).toMatch(new RegExp(`^Passage ${position + 1} of 60`));
    expect(next.message.embeds[0].description).toContain(`Paragraph ${position + 1} of the speech`);

    // More results: the rest of the answer's own list (one count: the answer's "57 more" is the list's),
    // privately, for whoever pressed it, pageable by them.
    expect(asked.message.content).toMatch(/\n-# 57 more matching passages: \*\*More results\*\* lists them\.$/);
    const more = await press(reader, shownMessage, buttons[3].custom_id);
    expect(more.callback.body.data.flags & 64).toBe(64);
    expect(more.message.embeds[0].title).toBe('Search: “tideland reclaimed youth brigade”');
    expect(more.message.embeds[0].footer.text).toBe('Page 1 of 12 · 57 more matching passages');
    expect(more.message.embeds[0].description).toMatch(/^\*\*4\.\*\* /);
    // Each quote's passage is named by the first paragraph it quotes (a quote may run on into the next).
    const quotes = (asked.message.content as string).split(/\n— .*\n?/).filter((block) => block.includes('> '));
    const quoted = quotes.map((block) => block.match(/Paragraph \d+ of the speech/)![0]);
    expect(quoted).toHaveLength(3);
    for (const passage of quoted) expect(more.message.embeds[0].description).not.toContain(`${passage} `);
    const page2 = await press(reader, more.callback.created, buttonsOf(more.message)[1].custom_id);
    expect(page2.message.embeds[0].footer.text).toBe('Page 2 of 12 · 57 more matching passages');
    expect(page2.message.embeds[0].description).toMatch(/^\*\*9\.\*\* /);
  });

  test('/source pages through all of a long document, and a single passage has Previous/Next', async () => {
    const overview = await answerOf(fake, fake.slashCommand(fake.member(), 'source', { document: 'speech.md' }));
    const first = overview.message.embeds[0];
    expect(first.description.split('\n')).toHaveLength(15);
    expect(first.footer.text).toBe('Passages 1–15 of 60 · Use the passage option to read one passage in full.');
    expect(first.fields.find((f: any) => f.name === 'Link').value).toBe(`[The original](<${longUrl(100)}>)`);
    let page = overview;
    for (let i = 2; i <= 4; i++) page = await press(fake.member(), page.callback.created, buttonsOf(page.message)[1].custom_id);
    expect(page.message.embeds[0].footer.text).toMatch(/^Passages 46–60 of 60/);
    expect(page.message.embeds[0].description).toMatch(/^\*\*46\.\*\* Paragraph 46 /);
    expect(buttonsOf(page.message).map((b) => b.disabled)).toEqual([false, true]);

    const single = await answerOf(fake, fake.slashCommand(fake.member(), 'source', { document: 'speech.md', passage: 1 }));
    expect(buttonsOf(single.message).map((b) => [b.label, b.disabled])).toEqual([
      ['Previous passage', true],
      ['Next passage', false],
    ]);
    const second = await press(fake.member(), single.callback.created, buttonsOf(single.message)[1].custom_id);
    expect(second.message.embeds[0].description).toBe(paragraph(2));
  });

  test('button ids stay valid across a reload of unchanged files; forged or stale ids get a clear private note', async () => {
    const asked = await answerOf(fake, fake.slashCommand(fake.member(), 'ask', { question: 'Putin spaceport' }));
    const readId = buttonsOf(asked.message)[0].custom_id;
    await answerOf(fake, fake.slashCommand(fake.manager(), 'reload'));
    const after = await press(fake.member(), asked.callback.created, readId);
    expect(after.message.embeds[0].title).toBe('A New Landmark, Summit at a Spaceport');

    const cases: Array<[string, string]> = [
      ['source:read:no-such-document:1', 'That document is no longer in the archive'],
      ['source:p:speech.md:999', 'now has 60 passages and no passage 999'],
      ['source:p:speech.md:1e3', 'This button no longer works'],
      ['source:zz:speech.md:1', 'This button no longer works'],
      ['search:more:unknown', 'This answer is too old to continue'],
      [`source:read:${'x'.repeat(80)}:1`, 'That document is no longer in the archive'],
    ];
    for (const [id, text] of cases) {
      const { callback, message } = await press(fake.member(), asked.callback.created, id);
      expect(callback.body.data.flags & 64, id).toBe(64);
      expect(message.content, id).toContain(text);
    }
  });

  test('autocomplete: title-word matches first, then documents whose text matches; at most 25', async () => {
    const complete = async (value: string, actor = fake.member()) =>
      (await answerOf(fake, fake.autocomplete(actor, 'source', 'document', value))).callback.body.data.choices as Array<{
        name: string;
        value: string;
      }>;
    // "Putin" is in no title: the document whose text has it is offered.
    expect((await complete('Putin')).map((c) => c.value)).toEqual(['putin.md']);
    const reclamation = await complete('reclamation');
    expect(reclamation[0]!.value).toBe('speech.md');
    const irrigation = await complete('irrigation');
    expect(irrigation.slice(0, 8).every((c) => c.name.startsWith('Irrigation bulletin'))).toBe(true);
    expect((await complete('')).length).toBeLessThanOrEqual(25);
  });

  test('autocomplete is rate-limited per user: a flood gets empty lists, others are still served', async () => {
    const flooder = fake.member();
    const interactions = Array.from({ length: 30 }, () => fake.autocomplete(flooder, 'source', 'document', 'irr'));
    const answers = await Promise.all(interactions.map((i) => answerOf(fake, i)));
    const empty = answers.filter((a) => a.callback.body.data.choices.length === 0).length;
    expect(empty).toBeGreaterThanOrEqual(10);
    const other = await answerOf(fake, fake.autocomplete(fake.member(), 'source', 'document', 'irr'));
    expect(other.callback.body.data.choices.length).toBeGreaterThan(0);
  });
});

describe('feedback', () => {
  test('👍/👎 under every answer; one vote per person (a second replaces it); admins see the share in /archive; the CLI reports and exports', async () => {
    const asked = await answerOf(fake, fake.slashCommand(fake.member(), 'ask', { question: 'Who did Kim Jong Un meet at the spaceport?' }));
    const buttons = buttonsOf(asked.message);
    const up = buttons.find((b) => b.emoji?.name === '👍');
    const down = buttons.find((b) => b.emoji?.name === '👎');
    expect(up.custom_id).toMatch(/^ask:up:[\w-]{8}$/);
    const voter = fake.member();
    const first = await press(voter, asked.callback.created, up.custom_id);
    expect(first.callback.body.data.flags & 64).toBe(64);
    expect(first.message.content).toBe('Thanks: noted as helpful 👍.');
    const second = await press(voter, asked.callback.created, down.custom_id);
    expect(second.message.content).toBe('Changed your vote to not helpful 👎.');
    await press(fake.member(), asked.callback.created, down.custom_id);
    const another = await answerOf(fake, fake.slashCommand(fake.member(), 'ask', { question: 'irrigation pumps overhauled' }));
    await press(fake.member(), another.callback.created, buttonsOf(another.message).find((b) => b.emoji?.name === '👍').custom_id);
    const forged = await press(fake.member(), asked.callback.created, 'ask:up:AAAAAAAA');
    expect(forged.message.content).toBe('This answer is too old to rate; ask again to rate the new answer.');

    const feedbackField = (message: any) => message.embeds[0].fields.find((f: any) => f.name.startsWith('Feedback'));
    expect(feedbackField((await answerOf(fake, fake.slashCommand(fake.member(), 'archive'))).message)).toBeUndefined();
    expect(feedbackField((await answerOf(fake, fake.slashCommand(fake.manager(), 'archive'))).message)).toEqual({
      name: 'Feedback, last 30 days (admins see this)',
      value: '33% helpful: 1 👍, 2 👎 on 2 answers',
    });

    // The CLI reads the same database, prints the report and exports the 👎 questions.
    const exported = join(dir, '..', `unhelpful-${process.pid}.json`);
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'feedback', '--data', dir, '--export', exported],
      {
        cwd: PROJECT_ROOT,
        env: { ...process.env, FEEDBACK_DB: '' },
      },
    );
    expect(stdout).toContain('Answers:   2 rated, 3 votes: 33% helpful (1 up, 2 down)');
    expect(stdout).toContain('  2 down, 0 up: Who did Kim Jong Un meet at the spaceport?');
    expect(stdout).toContain(`Exported 1 👎 question to ${exported}`);
    const set = JSON.parse(await readFile(exported, 'utf8'));
    expect(set.questions).toMatchObject([
      { id: 'f001', question: 'Who did Kim Jong Un meet at the spaceport?', votes: { up: 0, down: 2 } },
    ]);
  });
});

describe('asking from anywhere', () => {
  const repliesTo = (messageId: string) =>
    fake.waitForRequest((r) => r.method === 'POST' && r.body?.message_reference?.message_id === messageId);

  test("a mention of the bot's own managed role counts like a mention of the bot; another role does not", async () => {
    const question = fake.postMessage(fake.member(), `<@&${fake.botRoleId}> where did Kim Jong Un meet Putin?`, {
      mentionRoles: [fake.botRoleId],
    });
    const answer = await repliesTo(question.id);
    expect(answer.body.content).toMatch(/^From the archive, for “where did Kim Jong Un meet Putin\?”/);
    expect(answer.body.content).toContain('— **A New Landmark, Summit at a Spaceport** · Pyongyang Times');
    expectNoPings(answer.body);
    const other = fake.postMessage(fake.member(), `<@&${fake.adminRoleId}> where did Kim Jong Un meet Putin?`, {
      mentionRoles: [fake.adminRoleId],
    });
    const since = fake.requests.length;
    await new Promise((r) => setTimeout(r, 500));
    expect(fake.requests.slice(since).some((r) => r.body?.message_reference?.message_id === other.id)).toBe(false);
  });

  test("a reply to one of the bot's answers that pings it is a follow-up, answered the same way", async () => {
    const asker = fake.member();
    const first = fake.postMessage(asker, `<@${fake.botUser.id}> where did Kim Jong Un meet Putin?`, { mentions: [fake.botUser] });
    const answer = await repliesTo(first.id);
    const botMessage = fake.messages.get(answer.response.id)!;
    const followUp = fake.postMessage(asker, 'and who accompanied him during the whole visit?', {
      mentions: [fake.botUser],
      replyTo: botMessage,
    });
    const second = await repliesTo(followUp.id);
    expect(second.body.content).toMatch(/^From the archive, for “and who accompanied him during the whole visit\?”/);
    expect(second.body.content).toMatch(/Putin \*\*accompanied\*\* him/);
    expect(buttonsOf(second.body).some((b) => b.label === 'Read 1')).toBe(true);
    expectNoPings(second.body);
  });
});

describe('the "Ask the archive" message menu', () => {
  test('answers with the target message’s text exactly as /ask answers it, buttons and all', async () => {
    const target = fake.userMessage(fake.member(), 'Where did Kim Jong Un meet Putin?');
    const asker = fake.member();
    const menu = await answerOf(fake, fake.messageContextMenu(asker, 'Ask the archive', target));
    expect(menu.callback.body.data?.flags ?? 0).toBe(0); // public, like /ask
    const slash = await answerOf(fake, fake.slashCommand(fake.member(), 'ask', { question: 'Where did Kim Jong Un meet Putin?' }));
    expect(menu.message.content).toBe(slash.message.content);
    expect(menu.message.content).toMatch(/^From the archive, for “Where did Kim Jong Un meet Putin\?”/);
    expect(menu.message.content).toContain('— **A New Landmark, Summit at a Spaceport** · Pyongyang Times');
    expect(buttonsOf(menu.message).map((b) => b.label ?? b.emoji.name)).toEqual(
      buttonsOf(slash.message).map((b) => b.label ?? b.emoji.name),
    );
    expectNoPings(menu.message);
    expect(running.logs.some((l) => l.msg === 'handled' && l.command === 'Ask the archive' && l.userId === asker.user.id)).toBe(true);
  });

  test('mentions in the message are not part of the question; a message with no words gets a clear private note', async () => {
    const mentioning = fake.userMessage(fake.member(), `<@${fake.botUser.id}> <@&${fake.adminRoleId}> tideland youth brigade`);
    const answered = await answerOf(fake, fake.messageContextMenu(fake.member(), 'Ask the archive', mentioning));
    expect(answered.message.content).toMatch(/^From the archive, for “tideland youth brigade”/);
    for (const content of ['', `<@${fake.botUser.id}>`, '   ']) {
      const { callback, message } = await answerOf(
        fake,
        fake.messageContextMenu(fake.member(), 'Ask the archive', fake.userMessage(fake.member(), content)),
      );
      expect(callback.body.data.flags & 64, JSON.stringify(content)).toBe(64);
      expect(message.content).toBe(
        'That message has no text to ask about (only attachments, embeds or mentions). Pick a message with words in it, or use `/ask`.',
      );
    }
  });
});

test('/help names the buttons and the new ways to ask', async () => {
  const { message } = await answerOf(fake, fake.slashCommand(fake.member(), 'help'));
  expect(message.content).toContain('**Read n** shows that passage in full');
  expect(message.content).toContain('👍/👎');
  expect(message.content).toContain('reply to one of my answers');
  expect(message.content).toContain('**Apps** → **Ask the archive**');
  expect(message.content).toContain('`/upload file:` (admins)');
  expect(message.content).toContain('`/remove document:` (admins)');
  // Whole, not cut to fit: its last line is there.
  expect(message.content.length).toBeLessThanOrEqual(2000);
  expect(message.content).toMatch(/I only quote the archive; I do not write answers of my own\.$/);
});
