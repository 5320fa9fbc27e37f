/**
 * `npm run try`: the bot without Discord. Starts the real bot (the same createBot and commands as
 * `npm start`) against the loopback fake Discord, then reads questions from standard input, one per
 * line, asks each with /ask, and prints the reply as Discord would show it. Works piped
 * (`printf 'q1\nq2\n' | npm run -s try`) and ends at the end of input. Nothing reaches the internet;
 * the index and the votes go to a temporary folder, never into the archive.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import dotenv from 'dotenv';
import { commands } from '../commands/index.js';
import { createBot } from '../src/bot/client.js';
import { dataDirProblem, parseConfig } from '../src/bot/config.js';
import { createLogger } from '../src/discord/logger.js';
import { PROJECT_ROOT, readSetting } from '../src/settings/index.js';
import { answerOf } from './fake-discord/answers.js';
import { FakeDiscord } from './fake-discord/server.js';

const tty = process.stdout.isTTY === true && !process.env.NO_COLOR;
const style = (code: string) => (text: string) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text);
const bold = style('1');
const dim = style('2');
const underline = style('4');

/** One line of Discord Markdown as the client shows it: bold, links by their text, escapes undone. */
function inline(text: string): string {
  return text
    .replace(/\[([^\]]+)\]\(<?[^)>]+>?\)/g, (_, label: string) => underline(label))
    .replace(/\*\*(.+?)\*\*/g, (_, inner: string) => bold(inner))
    .replace(/\\([\\*_`~|>#\-[\]()<@:])/g, '$1');
}

/** A message body (content, embeds, buttons) as text, indented under the bot's name. */
export function render(message: any): string {
  const out: string[] = [];
  for (const line of String(message?.content ?? '').split('\n')) {
    if (line.startsWith('> ')) out.push(`│ ${inline(line.slice(2))}`);
    else if (line.startsWith('-# ')) out.push(dim(inline(line.slice(3))));
    else out.push(inline(line));
  }
  for (const embed of message?.embeds ?? []) {
    if (embed.title) out.push(bold(inline(embed.title)));
    if (embed.description) out.push(...String(embed.description).split('\n').map(inline));
    for (const field of embed.fields ?? []) out.push(`${bold(inline(field.name))}: ${inline(field.value)}`);
    if (embed.footer?.text) out.push(dim(embed.footer.text));
  }
  const buttons = (message?.components ?? []).flatMap((row: any) => row.components ?? []);
  if (buttons.length) out.push(buttons.map((b: any) => `[${b.label ?? b.emoji?.name ?? '?'}]`).join(' '));
  return out.map((line) => `  ${line}`).join('\n');
}

async function main(): Promise<void> {
  // One process, no shard manager: discord.js would read these with its own meaning (as src/app/main.ts says).
  delete process.env.SHARDS;
  delete process.env.SHARD_COUNT;
  // The archive npm start would serve: DATA_DIR from the environment or .env, else data/.
  dotenv.config({ path: `${PROJECT_ROOT}/.env`, quiet: true });
  const dataDir = readSetting(process.env, 'dataDir');
  const problem = dataDirProblem(dataDir);
  if (problem) {
    process.stderr.write(`npm run try: ${problem}\n`);
    process.exitCode = 1;
    return;
  }
  const work = await mkdtemp(join(tmpdir(), 'archivist-try-'));
  const fake = await FakeDiscord.start();
  const config = parseConfig(
    {
      DISCORD_TOKEN: fake.token,
      DISCORD_CLIENT_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      DATA_DIR: dataDir,
      CACHE_DIR: join(work, 'cache'),
      FEEDBACK_DB: join(work, 'feedback.sqlite'),
    },
    { required: ['token'] },
  );
  // Only warnings and errors, on stderr: standard output is the conversation.
  const logger = createLogger({
    level: 'warn',
    format: 'json',
    secrets: [config.token],
    write: (line) => process.stderr.write(`${line}\n`),
  });
  const bot = createBot({ config, logger, commands });
  const user = fake.makeUser('1400000000000009001', 'you');
  try {
    process.stderr.write(`Loading the archive in ${config.dataDir} …\n`);
    await bot.start();
    if (process.stdin.isTTY) process.stdout.write('Ask the archive a question (Ctrl-D to quit).\n');
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    const prompt = () => process.stdin.isTTY && process.stdout.write('you › ');
    prompt();
    for await (const line of lines) {
      const question = line.trim();
      if (question) {
        if (!process.stdin.isTTY) process.stdout.write(`you › ${question}\n`);
        const { message } = await answerOf(fake, fake.slashCommand({ user }, 'ask', { question }), { timeoutMs: 30_000 });
        process.stdout.write(`${bold('Archivist')} ›\n${render(message)}\n\n`);
      }
      prompt();
    }
  } finally {
    await bot.stop();
    await fake.close();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
