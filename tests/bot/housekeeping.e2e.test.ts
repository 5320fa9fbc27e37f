/**
 * Archive housekeeping through the running bot (real discord.js client, loader in a worker thread):
 * CACHE_DIR keeps the on-disk index away from a read-only archive.
 */
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { answerOf, startBot, unhandledRejections, type RunningBot } from '../../testing/fake-discord/harness.js';
import { FakeDiscord } from '../../testing/fake-discord/server.js';

let fake: FakeDiscord;
let tmp: string;
const running: RunningBot[] = [];

beforeAll(async () => {
  fake = await FakeDiscord.start();
  tmp = await mkdtemp(join(tmpdir(), 'archivist-housekeeping-'));
});

afterAll(async () => {
  for (const bot of running) await bot.stop();
  await fake?.close();
  await chmod(join(tmp, 'readonly'), 0o755).catch(() => {});
  await rm(tmp, { recursive: true, force: true });
  expect(unhandledRejections).toEqual([]);
});

describe('CACHE_DIR', () => {
  test('the bot keeps its index there: a read-only archive folder is never written, and /reload and a restart use the cache', async () => {
    const archive = join(tmp, 'readonly');
    const cache = join(tmp, 'cache');
    await mkdir(archive);
    await writeFile(join(archive, 'tides.md'), '# Tides\n\nA tidal power station began operating on the west coast.\n');
    await chmod(archive, 0o555);
    const env = { DATA_DIR: archive, CACHE_DIR: cache };

    const first = await startBot(fake, { env });
    running.push(first);
    // CACHE_DIR holds the index's folder and, with no FEEDBACK_DB, the votes database (hidden).
    const [folder, ...others] = (await readdir(cache)).filter((name) => !name.startsWith('.archivist-feedback.sqlite'));
    expect(others).toEqual([]);
    expect(folder).toMatch(/^readonly-[0-9a-f]{12}$/);
    expect(await readdir(join(cache, folder!))).toContain('index.bin');
    expect(await readdir(archive)).toEqual(['tides.md']);
    expect((await answerOf(fake, fake.slashCommand(fake.member(), 'ask', { question: 'tidal power station' }))).message.content).toContain(
      '**tidal power station**',
    );
    const reload = await answerOf(fake, fake.slashCommand(fake.manager(), 'reload'), { timeoutMs: 15_000 });
    expect(reload.message.content).toMatch(/^\*\*Reloaded\*\*/);
    await first.stop();

    // A restart reads the saved index from CACHE_DIR instead of analysing the archive again.
    const second = await startBot(fake, { env });
    running.push(second);
    const loaded = second.logs.find((l) => l.msg === 'archive loaded');
    expect(loaded).toMatchObject({ documents: 1 });
    expect(second.bot.context.archive.current.loadReport).toMatchObject({ cache: 'snapshot', cacheDir: join(cache, folder!) });
    expect(await readdir(archive)).toEqual(['tides.md']);
  });
});
