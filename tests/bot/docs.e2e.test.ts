/**
 * A documentation archive in the bot, end to end: a VitePress-style page (a `<style>` block, a
 * `::: tip` container, a link, inline code, a code block, sections) asked about through the real
 * discord.js client against the fake Discord. The reader sees the page's words as the site shows
 * them, the section it is in, and what a close miss lacks.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { answerOf, expectNoPings, startBot, unhandledRejections, type RunningBot } from '../../testing/fake-discord/harness.js';
import { FakeDiscord } from '../../testing/fake-discord/server.js';

const PAGE = [
  '---',
  'url: https://docs.example.org/guide/slash-commands',
  '---',
  '',
  '<style scoped>',
  '.emoji-container { display: flex; }',
  '</style>',
  '',
  '# Slash commands',
  '',
  'Slash commands are typed by members after a forward slash and answered by the bot.',
  '',
  '## Autocomplete',
  '',
  '::: tip',
  'Autocomplete answers must arrive within three seconds, or the member sees an error instead of choices.',
  ':::',
  '',
  'Return at most 25 autocomplete choices from the `respond()` method of the interaction; the',
  '[interaction reference](https://docs.example.org/reference/interactions) lists every field of a choice.',
  '',
  '```js',
  'await interaction.respond(choices.slice(0, 25));',
  '```',
  '',
  '## Deferring',
  '',
  'When the work takes longer than three seconds, defer the reply first:',
  '',
  '```js',
  'await interaction.deferReply();',
  'const rows = await database.query(sql);',
  '```',
  '',
  '## Cooldowns',
  '',
  'A cooldown keeps one member from running a command again too soon. Set it in seconds with',
  '`setCooldown(seconds)` on the command builder; members who ask too early get a private note.',
  '',
].join('\n');

/** Markdown or HTML a reader of the site never sees. */
const RAW_MARKUP = [/:::/, /<\/?style/, /\.emoji-container/, /\]\(https?:/, /\]\(\//, /^#{1,6} /m];

let fake: FakeDiscord;
let running: RunningBot;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'archivist-docs-'));
  await mkdir(join(dir, 'guide'));
  await writeFile(join(dir, 'guide', 'slash-commands.md'), PAGE);
  fake = await FakeDiscord.start();
  running = await startBot(fake, { env: { DATA_DIR: dir } });
}, 60_000);

afterAll(async () => {
  await running?.stop();
  await fake?.close();
  expect(unhandledRejections).toEqual([]);
});

const ask = async (question: string) =>
  (await answerOf(fake, fake.slashCommand(fake.member(), 'ask', { question }))).message as { content: string; allowed_mentions?: unknown };

describe('a documentation page in the bot', () => {
  test('the answer quotes the page as a reader sees it: section in the source line, inline code, no raw markup', async () => {
    const message = await ask('How many autocomplete choices can the bot return?');
    const content = message.content;
    // The page's title is its heading (not its <style> block), then the section, linked to its anchor.
    expect(content).toMatch(
      /\n— \*\*\[Slash commands › Autocomplete\]\(<https:\/\/docs\.example\.org\/guide\/slash-commands#autocomplete>\)\*\*/,
    );
    expect(content).toContain('25');
    expect(content).toMatch(/`respond\(\)`/);
    for (const raw of RAW_MARKUP) expect(content).not.toMatch(raw);
    expect(content).not.toContain('Missing:');
    expectNoPings(message);
  });

  test('a question about code gets the code block, in its language, whole', async () => {
    const { content } = await ask('example code: interaction.respond choices slice');
    // A code block inside the quote (Discord renders it so), its lines whole; asking for an example is no missing word.
    expect(content).toContain('\n> ```js\n> await interaction.respond(choices.slice(0, 25));\n> ```\n');
    expect(content).not.toContain('Missing:');
  });

  test('code joined to its lead-in is quoted as a code block inside the quote, between the prose lines', async () => {
    const { content } = await ask('how do I defer the reply when the work takes longer?');
    expect(content).toMatch(/Slash commands › Deferring/);
    expect(content).toContain('\n> ```js\n> await interaction.deferReply();\n> const rows = await database.query(sql);\n> ```');
    for (const raw of RAW_MARKUP) expect(content).not.toMatch(raw);
  });

  test('a close miss is quoted as the closest match, with what it lacks', async () => {
    const { content } = await ask('How do I set a cooldown for a command in Zulip?');
    expect(content).toMatch(/Slash commands › Cooldowns/);
    expect(content).toMatch(/\n-# Closest match · Missing: Zulip\n/);
    for (const raw of RAW_MARKUP) expect(content).not.toMatch(raw);
  });
});
