/**
 * What a new operator meets first, end to end through the fake Discord: an archive that loads
 * nothing is a warning that says why (and answers say the archive is empty), FEEDBACK=off
 * leaves the vote buttons out, and UPLOADS=off turns /upload and /remove away with the reason.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { UPLOADS_OFF } from '../../src/bot/admin/index.js';
import { answerOf, ask, startBot, unhandledRejections } from '../../testing/fake-discord/harness.js';
import { SUMMIT_MARKDOWN } from '../../testing/fake-discord/fixture.js';
import { FakeDiscord } from '../../testing/fake-discord/server.js';

let fake: FakeDiscord;
let tmp: string;
beforeAll(async () => {
  fake = await FakeDiscord.start();
  tmp = await mkdtemp(join(tmpdir(), 'archivist-operator-'));
});
afterAll(async () => {
  await fake?.close();
  await rm(tmp, { recursive: true, force: true });
  expect(unhandledRejections).toEqual([]);
});

/** A fresh archive folder holding `files`. */
async function archiveOf(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(tmp, name);
  await mkdir(dir);
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
  return dir;
}

describe('an archive that loads nothing', () => {
  test('a folder with no file the archive reads: a warning naming the formats, and /ask says the archive is empty', async () => {
    const dir = await archiveOf('no-supported', { 'notes.docx': 'binary', 'scan.pdf': '%PDF' });
    const running = await startBot(fake, { env: { DATA_DIR: dir, FEEDBACK_DB: join(tmp, 'votes-1.sqlite') } });
    try {
      const warning = running.logs.find((l) => l.msg.startsWith('the archive holds no document'));
      expect(warning).toMatchObject({ level: 'warn', path: dir });
      expect(warning?.reason).toBe('it has no file the archive reads (.md .markdown .txt .json .jsonl .ndjson .html .htm)');
      const { message } = await ask(fake, { question: 'Where did Kim Jong Un meet Putin?' });
      expect(message.content).toContain('The archive is empty: it holds no document to search.');
    } finally {
      await running.stop();
    }
  });

  test('a folder whose every file is skipped: the warning gives the count and an example with its reason', async () => {
    const dir = await archiveOf('all-skipped', { 'a.md': '', 'b.json': '{ not json' });
    const running = await startBot(fake, { env: { DATA_DIR: dir, FEEDBACK_DB: join(tmp, 'votes-2.sqlite') } });
    try {
      const warning = running.logs.find((l) => l.msg.startsWith('the archive holds no document'));
      expect(warning?.reason).toMatch(/^every file was skipped \(2\), e\.g\. a\.md: empty text$/);
    } finally {
      await running.stop();
    }
  });

  test('an archive with documents logs no such warning', async () => {
    const dir = await archiveOf('one', { 'summit.md': SUMMIT_MARKDOWN });
    const running = await startBot(fake, { env: { DATA_DIR: dir, FEEDBACK_DB: join(tmp, 'votes-3.sqlite') } });
    try {
      expect(running.logs.find((l) => l.msg === 'archive loaded')).toMatchObject({ level: 'info', documents: 1 });
      expect(running.logs.some((l) => l.msg.startsWith('the archive holds no document'))).toBe(false);
    } finally {
      await running.stop();
    }
  });
});

describe('FEEDBACK', () => {
  const buttons = (message: any): string[] =>
    (message.components ?? []).flatMap((row: any) => row.components).map((b: any) => b.label ?? b.emoji?.name);

  test('on by default: 👍/👎 under an answer; FEEDBACK=off: no vote buttons, no database, and the log says so', async () => {
    const dir = await archiveOf('feedback', { 'summit.md': SUMMIT_MARKDOWN });
    const on = await startBot(fake, { env: { DATA_DIR: dir, FEEDBACK_DB: join(tmp, 'votes-on.sqlite') } });
    try {
      expect(buttons((await ask(fake, { question: 'Vostochny Spaceport' })).message)).toEqual(
        expect.arrayContaining(['Read 1', '👍', '👎']),
      );
    } finally {
      await on.stop();
    }
    const offDb = join(tmp, 'votes-off.sqlite');
    const off = await startBot(fake, { env: { DATA_DIR: dir, FEEDBACK: 'off', FEEDBACK_DB: offDb } });
    try {
      const shown = buttons((await ask(fake, { question: 'Vostochny Spaceport' })).message);
      expect(shown).toContain('Read 1');
      expect(shown).not.toContain('👍');
      expect(shown).not.toContain('👎');
      expect(off.logs.some((l) => l.msg === 'feedback buttons off (FEEDBACK=off)')).toBe(true);
      expect(existsSync(offDb)).toBe(false);
    } finally {
      await off.stop();
    }
    // Two bot starts: on a busy machine that takes a while.
  }, 120_000);
});

describe('UPLOADS', () => {
  test('UPLOADS=off: /upload and /remove say they are off, download nothing and leave the archive as it is', async () => {
    const dir = await archiveOf('uploads-off', { 'summit.md': SUMMIT_MARKDOWN });
    const running = await startBot(fake, { env: { DATA_DIR: dir, UPLOADS: 'off', FEEDBACK: 'off' } });
    try {
      const file = fake.addAttachment('notes.md', '# Notes\n\nA note about the harbour.\n');
      const upload = await answerOf(fake, fake.slashCommand(fake.manager(), 'upload', { file }), { timeoutMs: 15_000 });
      expect(upload.message.content).toBe(UPLOADS_OFF);
      expect(upload.message.flags & 64).toBe(64); // ephemeral
      expect(fake.cdnRequested(file)).toBe(false);
      const removal = await answerOf(fake, fake.slashCommand(fake.manager(), 'remove', { document: 'summit.md' }), { timeoutMs: 15_000 });
      expect(removal.message.content).toBe(UPLOADS_OFF);
      expect(await readdir(dir)).toEqual(expect.arrayContaining(['summit.md']));
      expect((await readdir(dir)).filter((name) => name === 'uploads' || name === '.archivist-trash')).toEqual([]);
      expect(running.logs.filter((l) => l.msg.endsWith('refused: UPLOADS=off')).map((l) => l.msg)).toEqual([
        'upload refused: UPLOADS=off',
        'remove refused: UPLOADS=off',
      ]);
    } finally {
      await running.stop();
    }
  });
});
