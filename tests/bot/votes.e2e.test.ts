/**
 * Votes are optional (red team, round 2): the real bot on the fake Discord keeps answering when
 * another process holds the votes database's lock, and puts its database where nobody else can
 * reach it — not in the folder holding CACHE_DIR.
 */
import Database from 'better-sqlite3';
import { mkdir, mkdtemp, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { VOTE_NOT_SAVED } from '../../commands/ask.js';
import { answerOf, ask, startBot, unhandledRejections, type RunningBot } from '../../testing/fake-discord/harness.js';
import { FakeDiscord } from '../../testing/fake-discord/server.js';

let fake: FakeDiscord;
let running: RunningBot;
let root: string;
let archive: string;
let cacheParent: string;

const buttonsOf = (message: any): any[] => (message.components ?? []).flatMap((row: any) => row.components);
const voteButton = (message: any) => buttonsOf(message).find((b) => b.emoji?.name === '👍');
const QUESTION = 'How many boats did the lighthouse keeper count?';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'archivist-votes-bot-'));
  archive = join(root, 'archive');
  // CACHE_DIR in a folder every user can write, as /tmp/archivist-cache would be.
  cacheParent = join(root, 'world-writable');
  await mkdir(archive);
  await mkdir(cacheParent, { mode: 0o1777 });
  await writeFile(join(archive, 'lighthouse.md'), '# Lighthouse log\n\nThe lighthouse keeper counted forty-one boats returning.\n');
  fake = await FakeDiscord.start();
  running = await startBot(fake, { env: { DATA_DIR: archive, CACHE_DIR: join(cacheParent, 'cache') } });
}, 60_000);

afterAll(async () => {
  await running?.stop();
  await fake?.close();
  expect(unhandledRejections).toEqual([]);
});

describe('the votes database', () => {
  test('by default it is made private inside CACHE_DIR, never in the folder holding it nor in the archive', async () => {
    expect(voteButton((await ask(fake, { question: QUESTION })).message)).toBeDefined();
    expect((await readdir(cacheParent)).filter((name) => name.includes('feedback'))).toEqual([]);
    expect((await readdir(archive)).filter((name) => name.includes('feedback'))).toEqual([]);
    const path = join(cacheParent, 'cache', '.archivist-feedback.sqlite');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(`${path}.salt`)).mode & 0o777).toBe(0o600);
  });

  test('locked by another process: /ask, a mention and the message menu answer at once without vote buttons; a vote says to try again', async () => {
    const earlier = await ask(fake, { question: QUESTION });
    const up = voteButton(earlier.message);
    // Where the bot says it keeps its votes.
    const opened = running.logs.find((l) => l.msg === 'feedback database open');
    const other = new Database(opened!.path as string, { fileMustExist: true });
    other.exec('BEGIN IMMEDIATE');
    try {
      const asked = await ask(fake, { question: QUESTION });
      expect(asked.message.content).toContain('forty-one **boats**');
      expect(voteButton(asked.message)).toBeUndefined();
      expect(buttonsOf(asked.message).map((b) => b.label)).toContain('Read 1');

      const mention = fake.postMessage(fake.member(), `<@${fake.botUser.id}> ${QUESTION}`, { mentions: [fake.botUser] });
      const mentionReply = await fake.waitForRequest((r) => r.method === 'POST' && r.body?.message_reference?.message_id === mention.id);
      expect(mentionReply.body.content).toContain('forty-one **boats**');

      const menu = await answerOf(
        fake,
        fake.messageContextMenu(fake.member(), 'Ask the archive', fake.userMessage(fake.member(), QUESTION)),
      );
      expect(menu.message.content).toContain('forty-one **boats**');

      const vote = await answerOf(fake, fake.pressButton(fake.member(), earlier.callback.created.id, up.custom_id));
      expect(vote.message.content).toBe(VOTE_NOT_SAVED);

      const notRecorded = running.logs.filter((l) => l.msg === 'answer not recorded for votes; it goes without vote buttons');
      expect(notRecorded.length).toBe(3);
      expect(running.logs.filter((l) => l.level === 'error')).toEqual([]);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    // The lock gone, answers carry their buttons again and votes count.
    const after = await ask(fake, { question: QUESTION });
    const vote = await answerOf(fake, fake.pressButton(fake.member(), after.callback.created.id, voteButton(after.message).custom_id));
    expect(vote.message.content).toBe('Thanks: noted as helpful 👍.');
  });
});
