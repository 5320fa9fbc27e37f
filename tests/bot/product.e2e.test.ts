/**
 * The product as a server member and an admin use it, end to end: the real bot (real discord.js
 * client, real archive loader in a worker) on a folder of files, against the fake Discord.
 * Sources as masked links, grouped skip reasons, reading on with buttons, feedback, asking from
 * any message, and admin uploads.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { answerOf, unhandledRejections, expectNoPings, startBot, type RunningBot } from '../../testing/fake-discord/harness.js';
import { escapeText } from '../../src/discord/format.js';
import { FakeDiscord, MANAGE_GUILD, MEMBER_PERMISSIONS, type Actor } from '../../testing/fake-discord/server.js';

let fake: FakeDiscord;
let running: RunningBot;
let dir: string;
let users = 0;
const member = (extra: Partial<Actor> = {}): Actor => ({
  user: fake.makeUser(String(1400000000000003000n + BigInt(++users)), `p${users}`),
  ...extra,
});
const manager = () => member({ permissions: String(BigInt(MEMBER_PERMISSIONS) | MANAGE_GUILD) });

/** A link as long as the KCNA archive's (about 150 characters). */
const longUrl = (i: number) =>
  `https://kcnawatch.example.org/newstream/${'1'.repeat(60)}/${i}/article-about-irrigation-canal-${i}-and-the-pumps.html`;

const SPEECH = Array.from(
  { length: 60 },
  (_, i) => `Paragraph ${i + 1} of the speech on land reclamation: the tideland ${i + 1} was reclaimed by the youth brigade.`,
).join('\n\n');

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
      fake.slashCommand(member(), 'ask', { question: 'irrigation canal pumps dredged', results: 5 }),
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

  test('/archive and /reload group skipped records by reason', async () => {
    const archive = await answerOf(fake, fake.slashCommand(member(), 'archive'));
    const field = archive.message.embeds[0].fields.find((f: { name: string }) => f.name.startsWith('Skipped'));
    expect(field.name).toBe('Skipped at the last load (5)');
    expect(field.value).toBe(SKIP_LINE);
    const reload = await answerOf(fake, fake.slashCommand(manager(), 'reload'));
    expect(reload.message.content).toContain(`**Skipped:**\n- ${SKIP_LINE}`);
  });
});
