/**
 * A long reload is not minutes of silence (issue 19): the bot logs how far it has got, and /reload
 * edits its deferred reply with the same progress before the report replaces it. The real worker
 * load, with the reporting interval lowered (0: every file and document) so a small archive reports.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { workerLoad } from '../../src/bot/holder.js';
import { answerOf, startBot, unhandledRejections, type RunningBot } from '../../testing/fake-discord/harness.js';
import { FakeDiscord } from '../../testing/fake-discord/server.js';

let root: string;
let fake: FakeDiscord;
let running: RunningBot;

const writeFiles = async (from: number, to: number) => {
  for (let i = from; i < to; i++) {
    const text = `# Harbour log ${i}\n\nShip ${i} unloaded timber at the harbour on day ${i}.\n\nThe keeper of lighthouse ${i} counted the boats.\n`;
    await writeFile(join(root, 'archive', `log-${i}.md`), text);
  }
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'archivist-reload-progress-'));
  await mkdir(join(root, 'archive'));
  await writeFiles(0, 10);
  fake = await FakeDiscord.start();
  const cacheDir = join(root, 'cache');
  running = await startBot(fake, {
    env: { DATA_DIR: join(root, 'archive'), CACHE_DIR: cacheDir },
    load: workerLoad(cacheDir, undefined, 0),
  });
}, 60_000);

afterAll(async () => {
  await running?.stop();
  await fake?.close();
  await rm(root, { recursive: true, force: true });
  expect(unhandledRejections).toEqual([]);
});

test('the start logs its progress; /reload edits its reply with progress, then the report replaces it', async () => {
  expect(running.logs).toContainEqual(
    expect.objectContaining({ level: 'info', msg: 'loading the archive', stage: 'analysing', documentsToAnalyse: 10 }),
  );

  await writeFiles(10, 30);
  const interaction = fake.slashCommand(fake.manager(), 'reload');
  const { message } = await answerOf(fake, interaction, { timeoutMs: 60_000 });
  expect(message.content).toMatch(/^\*\*Reloaded\*\* in [\d.]+ s: 30 documents; 20 added/);

  const edits = fake.requests
    .filter((r) => r.method === 'PATCH' && r.path === `/webhooks/${fake.applicationId}/${interaction.token}/messages/@original`)
    .map((r) => String(r.body.content));
  // At least one progress edit, then the report as the last edit (never a progress edit after it).
  expect(edits.length).toBeGreaterThanOrEqual(2);
  expect(edits[0]).toMatch(
    /^\*\*Reloading…\*\* (Reading files: \d+ of \d+|Analysing: \d+ passages from \d+ of 20 documents) \(\d+%\); \d+ s so far/,
  );
  expect(edits.slice(0, -1).every((content) => content.startsWith('**Reloading…**'))).toBe(true);
  expect(edits.at(-1)).toBe(message.content);
  // Edits are rate-limited (one per 3 s at most), while the log has every report.
  const logged = running.logs.filter((line) => line.msg === 'reloading the archive');
  expect(logged.length).toBeGreaterThan(edits.length - 1);
  expect(logged.at(-1)).toMatchObject({ level: 'info', stage: 'analysing', documentsAnalysed: 20, documentsToAnalyse: 20 });
}, 90_000);
