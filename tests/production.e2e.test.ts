/**
 * The production path, as an operator runs it: the build (tsc to dist/, the CLI bundled) beside only the production
 * dependencies — a temp copy with no tsx, TypeScript or Vitest, as after `npm prune --omit=dev` —
 * then `npm start` against the fake Discord: logs in, answers /ask (the archive loaded by the
 * compiled worker), restarts from the saved index (the engine key holds under dist/), and the
 * `archivist` bin answers --version and a question.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { definitions } from '../commands/index.js';
import { PROJECT_ROOT } from '../src/bot/config.js';
import { registerCommands } from '../src/discord/registration.js';
import { answerOf, unhandledRejections } from '../testing/fake-discord/harness.js';
import { SUMMIT_MARKDOWN } from '../testing/fake-discord/fixture.js';
import { FakeDiscord } from '../testing/fake-discord/server.js';
import { captureOutput, waitForOutput, type Child } from './helpers/bot-process.js';
import { NOBODY, runningAsRoot } from './helpers/unprivileged.js';
import { UPLOADS_OFF } from '../src/bot/admin/index.js';

const run = promisify(execFile);

/** What docs/deploy.md's unit says: its environment, ExecStart, and the folders systemd makes for it. */
function systemdUnit(deployDoc: string) {
  const ini = /```ini\n([\s\S]*?)```/.exec(deployDoc)?.[1];
  if (!ini) throw new Error('docs/deploy.md has no ```ini block');
  const lines = ini.split('\n').filter((line) => line && !line.startsWith('#'));
  const values = (key: string) => lines.filter((line) => line.startsWith(`${key}=`)).map((line) => line.slice(key.length + 1));
  const one = (key: string) => {
    const [value, ...more] = values(key);
    if (value === undefined || more.length) throw new Error(`the unit should set ${key} once`);
    return value;
  };
  return {
    environment: Object.fromEntries(
      values('Environment').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
    ),
    execStart: one('ExecStart').split(/\s+/),
    readOnlyPaths: one('ReadOnlyPaths'),
    stateDirectory: one('StateDirectory'),
    cacheDirectory: one('CacheDirectory'),
  };
}

let tmp: string;
let app: string;
let archive: string;
let fake: FakeDiscord;

/** Copies the packages `npm ls --omit=dev` lists: the install `npm prune --omit=dev` leaves. */
async function copyProductionDependencies(to: string): Promise<void> {
  const { stdout } = await run('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: PROJECT_ROOT, maxBuffer: 16 * 1024 * 1024 });
  const packages = stdout
    .split('\n')
    .filter((line) => line.startsWith(join(PROJECT_ROOT, 'node_modules')))
    .map((line) => relative(PROJECT_ROOT, line));
  for (const path of packages) await cp(join(PROJECT_ROOT, path), join(to, path), { recursive: true, dereference: false });
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'archivist-production-'));
  app = join(tmp, 'app');
  archive = join(tmp, 'archive');
  await mkdir(archive);
  await writeFile(join(archive, 'summit.md'), SUMMIT_MARKDOWN);
  // `npm run build`, its output sent to the copy (the project folder is left as it is).
  await run(
    process.execPath,
    [join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(PROJECT_ROOT, 'tsconfig.build.json'), '--outDir', join(app, 'dist')],
    { cwd: PROJECT_ROOT },
  );
  // Its next step: the CLI bundled into one file (build/bundle-cli.ts).
  await run(join(PROJECT_ROOT, 'node_modules/.bin/tsx'), ['build/bundle-cli.ts', join(app, 'dist')], { cwd: PROJECT_ROOT });
  for (const file of ['package.json', 'package-lock.json']) await cp(join(PROJECT_ROOT, file), join(app, file));
  // The rest of `npm run build`: its postbuild step (the CLI's executable bit).
  await run('npm', ['run', '-s', 'postbuild'], { cwd: app });
  await copyProductionDependencies(app);
  fake = await FakeDiscord.start();
  await registerCommands({ token: fake.token, clientId: fake.applicationId, guildId: fake.guildId, apiUrl: fake.apiUrl }, definitions);
}, 180_000);

afterAll(async () => {
  await fake?.close();
  await rm(tmp, { recursive: true, force: true });
  expect(unhandledRejections).toEqual([]);
});

/** `npm start` in the copy, with only these settings (nothing from a developer's environment or .env). */
function npmStart(env: Record<string, string>): Child {
  const child = spawn('npm', ['start', '--silent'], {
    cwd: app,
    env: { PATH: process.env.PATH ?? '', HOME: tmp, npm_config_update_notifier: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return captureOutput(child, 'close');
}

const botEnv = () => ({
  DISCORD_TOKEN: fake.token,
  DISCORD_CLIENT_ID: fake.applicationId,
  DISCORD_API_URL: fake.apiUrl,
  DATA_DIR: archive,
});
const member = () => ({ user: fake.makeUser('1400000000000007001', 'operator') });

describe('the production build', () => {
  test('has no development tool beside it', async () => {
    const installed = await readdir(join(app, 'node_modules'));
    for (const dev of ['tsx', 'typescript', 'vitest', 'esbuild', 'eslint', 'prettier']) expect(installed).not.toContain(dev);
    expect(installed).toEqual(expect.arrayContaining(['discord.js', 'wink-nlp', 'dotenv']));
    expect(await readdir(join(app, 'dist'))).toEqual(['commands', 'src']);
  });

  test('npm start logs in, answers /ask, serves /healthz and /metrics, stops cleanly on SIGTERM, and starts again from the saved index', async () => {
    const bot = npmStart({ ...botEnv(), HEALTH_PORT: '0' });
    try {
      await waitForOutput(bot, /"msg":"logged in"/);
      expect(bot.output()).toMatch(/"msg":"archive loaded".*"cache":"rebuilt"/);
      const answer = await answerOf(fake, fake.slashCommand(member(), 'ask', { question: 'Where did Kim Jong Un meet Putin?' }), {
        timeoutMs: 15_000,
      });
      expect(answer.message.content).toContain('Vostochny Spaceport');

      const port = Number((await waitForOutput(bot, /"msg":"health server listening".*"port":(\d+)/))[1]);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ ready: true, archive: { loaded: true, documents: 1 } });
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toContain('archivist_questions_total{command="ask",outcome="answered"} 1');
      expect(metrics).toContain('archivist_archive_documents 1');
      bot.process.kill('SIGTERM');
      expect(await bot.exit).toBe(0);
    } finally {
      if (bot.process.exitCode === null) bot.process.kill('SIGKILL');
    }

    const again = npmStart(botEnv());
    try {
      await waitForOutput(again, /"msg":"logged in"/);
      expect(again.output()).toMatch(/"msg":"archive loaded".*"cache":"snapshot"/);
      again.process.kill('SIGTERM');
      expect(await again.exit).toBe(0);
    } finally {
      if (again.process.exitCode === null) again.process.kill('SIGKILL');
    }
  }, 90_000);

  test("docs/deploy.md's systemd unit, in the layout it makes: read-only archive, uploads off, writable cache and state; JSON lines only", async () => {
    const unit = systemdUnit(await readFile(join(PROJECT_ROOT, 'docs/deploy.md'), 'utf8'));
    // The unit's absolute paths, under a root of their own here.
    const root = join(tmp, 'systemd');
    const at = (path: string) => join(root, path);
    const env = Object.fromEntries(Object.entries(unit.environment).map(([k, v]) => [k, v.startsWith('/') ? at(v) : v]));
    expect(env).toMatchObject({ DATA_DIR: at(unit.readOnlyPaths), UPLOADS: 'off' });
    const state = at(`/var/lib/${unit.stateDirectory}`);
    const cache = at(`/var/cache/${unit.cacheDirectory}`);
    expect(env.FEEDBACK_DB!.startsWith(`${state}/`)).toBe(true);
    expect(env.CACHE_DIR).toBe(cache);

    // The service user: nobody when these tests run as root (root writes anywhere), else this user.
    const user = runningAsRoot ? { uid: NOBODY, gid: NOBODY } : undefined;
    await chmod(tmp, 0o755);
    await mkdir(env.DATA_DIR!, { recursive: true });
    await writeFile(join(env.DATA_DIR!, 'summit.md'), SUMMIT_MARKDOWN);
    await chmod(env.DATA_DIR!, 0o555); // read-only to the service user (ReadOnlyPaths); owned by root when root
    for (const folder of [state, cache]) {
      await mkdir(folder, { recursive: true });
      await chmod(folder, 0o700); // StateDirectory= and CacheDirectory= make them so, owned by the service user
      if (user) await chown(folder, user.uid, user.gid);
    }
    const [node, ...args] = unit.execStart;
    expect(node).toBe('/usr/bin/node');
    const child = spawn(process.execPath, args, {
      cwd: app,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: state,
        ...env,
        DISCORD_TOKEN: fake.token,
        DISCORD_CLIENT_ID: fake.applicationId,
        DISCORD_API_URL: fake.apiUrl,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(user ?? {}),
    });
    const bot = captureOutput(child);
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    try {
      await waitForOutput(bot, /"msg":"logged in"/, 60_000);
      const asker = member();
      const asked = await answerOf(fake, fake.slashCommand(asker, 'ask', { question: 'Where did Kim Jong Un meet Putin?' }), {
        timeoutMs: 15_000,
      });
      expect(asked.message.content).toContain('Vostochny Spaceport');
      const buttons = asked.message.components.flatMap((row: any) => row.components);
      const up = buttons.find((b: any) => b.emoji?.name === '👍');
      expect(up, bot.output()).toBeDefined();
      const vote = await answerOf(fake, fake.pressButton(asker, asked.callback.created.id, up.custom_id), { timeoutMs: 15_000 });
      expect(vote.message.content).toBe('Thanks: noted as helpful 👍.');
      expect(existsSync(env.FEEDBACK_DB!)).toBe(true);

      const file = fake.addAttachment('notes.md', '# Notes\n\nA note about the harbour.\n');
      const upload = await answerOf(fake, fake.slashCommand(fake.manager(), 'upload', { file }), { timeoutMs: 15_000 });
      expect(upload.message.content).toBe(UPLOADS_OFF);
      expect(fake.cdnRequested(file)).toBe(false);

      child.kill('SIGTERM');
      expect(await bot.exit).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await chmod(env.DATA_DIR!, 0o755);
    }
    // Nothing written into the archive; the index went to the cache folder.
    expect(await readdir(env.DATA_DIR!)).toEqual(['summit.md']);
    expect((await readdir(cache)).length).toBe(1);
    // Every line on stdout is a JSON log line, and none is a warning.
    const lines = stdout.trimEnd().split('\n');
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(lines.map((line) => JSON.parse(line).level)).not.toContain('warn');
    // The token is in no line, on stdout or stderr.
    expect(bot.output()).not.toContain(fake.token);
  }, 120_000);

  test('without a token, npm start names the built archivist command (npm run ask needs tsx, pruned here)', async () => {
    const bot = npmStart({ DATA_DIR: archive });
    expect(await bot.exit).not.toBe(0);
    expect(bot.output()).toContain('DISCORD_TOKEN is not set');
    expect(bot.output()).toContain('./dist/src/cli/main.js ask "your question"');
    expect(bot.output()).not.toContain('npm run ask');
    // And that command works as printed, from the project folder.
    const asked = await run('./dist/src/cli/main.js', ['ask', '--json', 'Vostochny Spaceport'], {
      cwd: app,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: archive },
    });
    expect(JSON.parse(asked.stdout).results[0].docId).toBe('summit.md');
  }, 30_000);

  test('the archivist bin runs by itself (shebang, executable bit) and from a global install', async () => {
    const env = { PATH: process.env.PATH ?? '', HOME: tmp, DATA_DIR: archive, npm_config_update_notifier: 'false' };
    const direct = await run(join(app, 'dist/src/cli/main.js'), ['--version'], { env });
    expect(direct.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const prefix = join(tmp, 'global');
    await run('npm', ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', app], { env });
    const global = await run(join(prefix, 'bin', 'archivist'), ['ask', '--json', 'Vostochny Spaceport'], { env });
    expect(JSON.parse(global.stdout).results[0].docId).toBe('summit.md');
  }, 60_000);

  test('the archivist bin runs with plain node: --version, and ask --json', async () => {
    const bin = join(app, 'dist/src/cli/main.js');
    const env = { PATH: process.env.PATH ?? '', DATA_DIR: archive };
    const version = await run(process.execPath, [bin, '--version'], { env });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const asked = await run(process.execPath, [bin, 'ask', '--json', 'Vostochny Spaceport'], { env });
    expect(JSON.parse(asked.stdout).results[0].docId).toBe('summit.md');
  }, 30_000);

  test('the bundled CLI starts from the index the compiled engine saved, and answers as the sources do', async () => {
    const question = 'Who attended the summit at the spaceport?';
    const built = join(tmp, 'cache-built');
    // The compiled engine (as the bot and its workers run it) saves the index...
    const load = `const { Archive } = await import(${JSON.stringify(join(app, 'dist/src/archive/index.js'))}); await Archive.load(${JSON.stringify(archive)}, { cacheDir: ${JSON.stringify(built)} });`;
    await run(process.execPath, ['--input-type=module', '-e', load], { cwd: app });
    // ...which the bundle takes as its own: a different engine key would be named on stderr, and rebuilt.
    const env = { PATH: process.env.PATH ?? '', DATA_DIR: archive, CACHE_DIR: built };
    const bundled = await run(process.execPath, [join(app, 'dist/src/cli/main.js'), 'ask', '--json', question], { env });
    expect(bundled.stderr).toBe('');
    const sources = await run('npm', ['run', '-s', 'cli', '--', 'ask', '--json', '--data', archive, question], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, CACHE_DIR: join(tmp, 'cache-sources') },
    });
    expect(JSON.parse(bundled.stdout)).toEqual(JSON.parse(sources.stdout));
    expect(JSON.parse(bundled.stdout).results.length).toBeGreaterThan(0);
  }, 60_000);
});
