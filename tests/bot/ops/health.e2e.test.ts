/**
 * HEALTH_PORT, scraped from the running bot (real discord.js client against the fake Discord):
 * /healthz is 503 while the archive loads and 200 with the status once ready; /metrics counts
 * questions by outcome (a refused DM included), reloads, the archive's size and the gateway ping.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { commands } from '../../../commands/index.js';
import { Archive } from '../../../src/archive/index.js';
import { createBot, type Bot } from '../../../src/bot/client.js';
import { parseConfig } from '../../../src/bot/config.js';
import { createLogger } from '../../../src/discord/logger.js';
import { answerOf, unhandledRejections } from '../../../testing/fake-discord/harness.js';
import { summitArchive } from '../../../testing/fake-discord/fixture.js';
import { FakeDiscord } from '../../../testing/fake-discord/server.js';

let fake: FakeDiscord;
let bot: Bot;
let dataDir: string;
const logs: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  fake = await FakeDiscord.start();
  dataDir = await summitArchive('archivist-health-');
});

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  expect(unhandledRejections).toEqual([]);
});

const get = async (port: number, path: string) => {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
};

/** One sample's value from the Prometheus text format. */
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

test('503 while the archive loads, 200 once ready; /metrics counts answers, refusals and reloads', async () => {
  let release!: () => void;
  const loading = new Promise<void>((resolve) => (release = resolve));
  let loads = 0;
  const config = parseConfig(
    { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, DATA_DIR: dataDir, HEALTH_PORT: '0' },
    { required: ['token'] },
  );
  const logger = createLogger({ level: 'info', format: 'json', secrets: [config.token], write: (line) => logs.push(JSON.parse(line)) });
  bot = createBot({
    config,
    logger,
    commands,
    // The first load waits for the test, so /healthz can be seen before the bot is ready.
    load: async (path) => {
      if (loads++ === 0) await loading;
      return Archive.load(path, { cache: false });
    },
  });
  const started = bot.start();
  const deadline = Date.now() + 10_000;
  while (!logs.some((l) => l.msg === 'health server listening')) {
    if (Date.now() > deadline) throw new Error('no health server');
    await new Promise((r) => setTimeout(r, 20));
  }
  const port = logs.find((l) => l.msg === 'health server listening')!.port as number;
  expect(logs.find((l) => l.msg === 'health server listening')).toMatchObject({ host: '127.0.0.1' });

  const loadingStatus = await get(port, '/healthz');
  expect(loadingStatus.status).toBe(503);
  expect(JSON.parse(loadingStatus.text)).toMatchObject({ ready: false, archive: { loaded: false }, lastReload: null });

  release();
  await started;
  const ready = await get(port, '/healthz');
  expect(ready.status).toBe(200);
  expect(ready.type).toBe('application/json');
  expect(JSON.parse(ready.text)).toMatchObject({
    ready: true,
    gateway: { ready: true },
    archive: { loaded: true, documents: 1, passages: expect.any(Number) },
    lastReload: null,
  });

  expect(
    (await answerOf(fake, fake.slashCommand(fake.member(), 'ask', { question: 'Where did Kim Jong Un meet Putin?' }))).message.content,
  ).toContain('Vostochny');
  await answerOf(fake, fake.slashCommand(fake.member(), 'ask', { question: 'zebra giraffe' }));
  await answerOf(fake, fake.slashCommandInDm(fake.member(), 'ask', { question: 'Where did Kim Jong Un meet Putin?' }));
  const manager = fake.manager();
  expect((await answerOf(fake, fake.slashCommand(manager, 'reload'), { timeoutMs: 15_000 })).message.content).toMatch(/^\*\*Reloaded\*\*/);

  const metrics = await get(port, '/metrics');
  expect(metrics.status).toBe(200);
  expect(metrics.type).toMatch(/^text\/plain/);
  expect(sample(metrics.text, 'archivist_questions_total{command="ask",outcome="answered"}')).toBe(1);
  expect(sample(metrics.text, 'archivist_questions_total{command="ask",outcome="nothing_found"}')).toBe(1);
  expect(sample(metrics.text, 'archivist_questions_total{command="ask",outcome="refused"}')).toBe(1);
  expect(sample(metrics.text, 'archivist_answer_seconds_count{command="ask"}')).toBe(2);
  expect(sample(metrics.text, 'archivist_reloads_total{result="ok"}')).toBe(1);
  expect(sample(metrics.text, 'archivist_reload_duration_seconds_count')).toBe(1);
  expect(sample(metrics.text, 'archivist_archive_documents')).toBe(1);
  expect(sample(metrics.text, 'archivist_archive_passages')).toBeGreaterThan(0);
  expect(sample(metrics.text, 'archivist_gateway_ping_seconds')).toBeDefined();
  expect(metrics.text).toContain('# TYPE archivist_rest_rate_limits_total counter');
  expect(metrics.text).toContain('archivist_process_resident_memory_bytes');
  // Every metric is the bot's own.
  const names = metrics.text
    .split('\n')
    .filter((l) => l.startsWith('# TYPE '))
    .map((l) => l.split(' ')[2]!);
  expect(names.filter((n) => !n.startsWith('archivist_'))).toEqual([]);

  expect(JSON.parse((await get(port, '/healthz')).text).lastReload).toMatchObject({ ok: true, durationMs: expect.any(Number) });
  expect((await get(port, '/nothing')).status).toBe(404);
}, 60_000);
