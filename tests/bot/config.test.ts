import { describe, expect, test } from 'vitest';
import { ConfigError, DEFAULT_API_URL, MISSING_TOKEN_HELP, missingTokenHelp, parseConfig } from '../../src/bot/config.js';
import { Cooldowns } from '../../src/bot/access/cooldown.js';
import { createLogger, redact, REDACTED } from '../../src/discord/logger.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789';

function problemsOf(env: Record<string, string>, required: Array<'token' | 'clientId'> = []): readonly string[] {
  try {
    parseConfig(env, { required, root: '/srv/archivist' });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('parseConfig', () => {
  test('defaults: bundled data/, Discord API, no admins or answer channels', () => {
    const config = parseConfig({ DISCORD_TOKEN: TOKEN }, { root: '/srv/archivist' });
    expect(config).toEqual({
      token: TOKEN,
      dataDir: '/srv/archivist/data',
      adminRoleIds: new Set(),
      adminUserIds: new Set(),
      answerChannelIds: new Set(),
      apiUrl: DEFAULT_API_URL,
      allowDms: false,
      healthHost: '127.0.0.1',
      uploadMaxBytes: 10 * 1024 * 1024,
      logLevel: 'info',
      feedback: true,
      uploads: true,
    });
  });

  test('LOG_LEVEL: one of debug, info, warn, error (any case); anything else names the allowed ones', () => {
    const level = (value: string) => parseConfig({ LOG_LEVEL: value }, { root: '/srv/archivist' }).logLevel;
    expect(level('debug')).toBe('debug');
    expect(level('WARN')).toBe('warn');
    for (const bad of ['verbose', 'trace', '2']) {
      expect(problemsOf({ LOG_LEVEL: bad }), bad).toEqual([
        `LOG_LEVEL must be one of debug, info, warn, error (default info), got "${bad}".`,
      ]);
    }
  });

  test('FEEDBACK: on unless turned off (off, false, no, 0); a value it cannot read is named', () => {
    const feedback = (value: string) => parseConfig({ FEEDBACK: value }, { root: '/srv/archivist' }).feedback;
    expect(feedback('off')).toBe(false);
    expect(feedback('OFF')).toBe(false);
    expect(feedback('false')).toBe(false);
    expect(feedback('on')).toBe(true);
    expect(feedback('')).toBe(true);
    expect(problemsOf({ FEEDBACK: 'maybe' })).toEqual(['FEEDBACK must be true or false (also 1/0, yes/no, on/off), got "maybe".']);
  });

  test('UPLOAD_MAX_MB: megabytes, decimals allowed; anything else is named', () => {
    const limit = (value: string) => parseConfig({ UPLOAD_MAX_MB: value }, { root: '/srv/archivist' }).uploadMaxBytes;
    expect(limit('2')).toBe(2 * 1024 * 1024);
    expect(limit('0.5')).toBe(512 * 1024);
    for (const bad of ['0', '-1', 'ten', '2048', '1e3']) {
      expect(problemsOf({ UPLOAD_MAX_MB: bad }), bad).toEqual([
        `UPLOAD_MAX_MB must be a number of megabytes above 0 and at most 1024, got "${bad}".`,
      ]);
    }
  });

  test('reads every setting; relative DATA_DIR is resolved from the project root', () => {
    const config = parseConfig(
      {
        DISCORD_TOKEN: TOKEN,
        DISCORD_CLIENT_ID: '100000000000000001',
        DISCORD_GUILD_ID: '200000000000000002',
        DATA_DIR: 'archives/kcna',
        ADMIN_ROLE_IDS: '300000000000000003, 300000000000000004',
        ADMIN_USER_IDS: '400000000000000004',
        ANSWER_CHANNEL_IDS: '500000000000000005 500000000000000006',
        DISCORD_API_URL: 'http://127.0.0.1:8080/api/',
        CACHE_DIR: 'cache',
        ALLOWED_GUILD_IDS: '600000000000000006,600000000000000007',
        ALLOW_DMS: 'yes',
        HEALTH_PORT: '9464',
        HEALTH_HOST: '0.0.0.0',
      },
      { root: '/srv/archivist' },
    );
    expect(config.clientId).toBe('100000000000000001');
    expect(config.guildId).toBe('200000000000000002');
    expect(config.dataDir).toBe('/srv/archivist/archives/kcna');
    expect([...config.adminRoleIds]).toEqual(['300000000000000003', '300000000000000004']);
    expect([...config.answerChannelIds]).toEqual(['500000000000000005', '500000000000000006']);
    expect(config.apiUrl).toBe('http://127.0.0.1:8080/api');
    expect(config.cacheDir).toBe('/srv/archivist/cache');
    expect([...config.allowedGuildIds!]).toEqual(['600000000000000006', '600000000000000007']);
    expect(config.allowDms).toBe(true);
    expect(config).toMatchObject({ healthPort: 9464, healthHost: '0.0.0.0' });
    expect(problemsOf({ HEALTH_PORT: '70000' })).toEqual([
      'HEALTH_PORT must be a port number from 0 to 65535 (0: any free port), got "70000".',
    ]);
    expect(problemsOf({ ALLOW_DMS: 'sometimes', ALLOWED_GUILD_IDS: 'my-server' })).toEqual([
      'ALLOWED_GUILD_IDS must be Discord ids (17 to 20 digits) separated by commas; not ids: "my-server".',
      'ALLOW_DMS must be true or false (also 1/0, yes/no, on/off), got "sometimes".',
    ]);
    expect(parseConfig({ CACHE_DIR: '/var/cache/archivist' }, { root: '/srv/archivist' }).cacheDir).toBe('/var/cache/archivist');
  });

  test('several machines: DATABASE_URL, ARCHIVE_STORE, MACHINE_ID; unset adds nothing; a bad URL is never repeated', () => {
    const url = 'postgres://bot:s3cret-pass@db.internal:5432/archivist';
    expect(parseConfig({ DATABASE_URL: url, ARCHIVE_STORE: 'Postgres', MACHINE_ID: 'eu-1' }, { root: '/srv/archivist' })).toMatchObject({
      databaseUrl: url,
      archiveStore: 'postgres',
      machineId: 'eu-1',
    });
    const unset = parseConfig({ DATABASE_URL: ' ', ARCHIVE_STORE: '', MACHINE_ID: '' }, { root: '/srv/archivist' });
    expect(['databaseUrl', 'archiveStore', 'machineId'].filter((key) => key in unset)).toEqual([]);
    const problems = problemsOf({ DATABASE_URL: 'mysql://bot:s3cret-pass@db/archivist', ARCHIVE_STORE: 'redis', MACHINE_ID: 'a b' });
    expect(problems).toEqual([
      'DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/archivist (the value is not shown).',
      'ARCHIVE_STORE must be folder or postgres, got "redis".',
      `MACHINE_ID must be 1 to 64 letters, digits, '.', '-' or '_', got "a b".`,
    ]);
    expect(problems.join('\n')).not.toContain('s3cret');
    expect(problemsOf({ ARCHIVE_STORE: 'postgres' })).toEqual([
      'ARCHIVE_STORE=postgres needs DATABASE_URL: the database that holds the archive every machine shares.',
    ]);
  });

  test('a missing token says how to get one and that npm run ask works without it', () => {
    expect(problemsOf({}, ['token'])).toEqual([MISSING_TOKEN_HELP]);
    expect(MISSING_TOKEN_HELP).toContain('https://discord.com/developers/applications');
    expect(MISSING_TOKEN_HELP).toContain('npm run ask');
    // From the build (maybe after npm prune --omit=dev, with no tsx): the built CLI, not npm run ask.
    expect(missingTokenHelp(true)).toContain('./dist/src/cli/main.js ask "your question"');
    expect(missingTokenHelp(true)).not.toContain('npm run');
  });

  test('one clear message per bad setting, never echoing the token', () => {
    const problems = problemsOf({
      DISCORD_TOKEN: `${TOKEN} extra`,
      DISCORD_CLIENT_ID: 'my-app',
      ADMIN_ROLE_IDS: '300000000000000003,moderators',
      DISCORD_API_URL: 'ftp://example.org',
    });
    expect(problems).toEqual([
      'DISCORD_TOKEN contains whitespace; copy the token exactly as the Developer Portal shows it.',
      'DISCORD_CLIENT_ID must be a Discord id (17 to 20 digits), got "my-app".',
      'ADMIN_ROLE_IDS must be Discord ids (17 to 20 digits) separated by commas; not ids: "moderators".',
      'DISCORD_API_URL must be an http(s) URL such as https://discord.com/api, got "ftp://example.org".',
    ]);
    expect(problems.join('\n')).not.toContain(TOKEN);
  });

  test('sharding: SHARDS=auto or a count runs every shard here; SHARD_IDS with SHARD_COUNT runs some; none of them, no manager', () => {
    const sharding = (env: Record<string, string>) => parseConfig({ DISCORD_TOKEN: TOKEN, ...env }, { root: '/srv/archivist' }).sharding;
    expect(sharding({})).toBeUndefined();
    expect(sharding({ SHARDS: '', SHARD_COUNT: '', SHARD_IDS: '' })).toBeUndefined();
    expect(sharding({ SHARDS: 'auto' })).toEqual({ count: 'auto' });
    expect(sharding({ SHARDS: 'AUTO' })).toEqual({ count: 'auto' });
    expect(sharding({ SHARDS: '4' })).toEqual({ count: 4 });
    expect(sharding({ SHARD_COUNT: '4' })).toEqual({ count: 4 });
    expect(sharding({ SHARDS: '4', SHARD_COUNT: '4' })).toEqual({ count: 4 });
    expect(sharding({ SHARD_COUNT: '8', SHARD_IDS: '6, 0-2,1' })).toEqual({ count: 8, ids: [0, 1, 2, 6] });
    // Inside a shard process discord.js's ShardingManager sets SHARDS (its id) and SHARD_COUNT: not the operator's settings.
    expect(sharding({ SHARDING_MANAGER: 'true', SHARDS: '1', SHARD_COUNT: '2' })).toBeUndefined();
    // SHARDS_PER_PROCESS: how many of them one process runs (absent: all of this machine's in one).
    expect(sharding({ SHARDS: '4', SHARDS_PER_PROCESS: '2' })).toEqual({ count: 4, perProcess: 2 });
    expect(sharding({ SHARD_COUNT: '8', SHARD_IDS: '4-7', SHARDS_PER_PROCESS: '1' })).toEqual({
      count: 8,
      ids: [4, 5, 6, 7],
      perProcess: 1,
    });
    expect(sharding({ SHARDS: '4', SHARDS_PER_PROCESS: '' })).toEqual({ count: 4 });
    expect(sharding({ SHARDING_MANAGER: 'true', SHARDS: '[0,1]', SHARD_COUNT: '2', SHARDS_PER_PROCESS: '2' })).toBeUndefined();
  });

  test('sharding: one clear message per bad setting', () => {
    expect(problemsOf({ SHARDS: 'many' })).toEqual(['SHARDS must be a whole number from 1 to 4096, or auto, got "many".']);
    expect(problemsOf({ SHARDS: '0' })).toEqual(['SHARDS must be a whole number from 1 to 4096, or auto, got "0".']);
    expect(problemsOf({ SHARD_COUNT: '2.5' })).toEqual(['SHARD_COUNT must be a whole number from 1 to 4096, got "2.5".']);
    expect(problemsOf({ SHARDS: '2', SHARD_COUNT: '4' })).toEqual(['SHARDS (2) and SHARD_COUNT (4) disagree; set one of them.']);
    expect(problemsOf({ SHARDS: 'auto', SHARD_IDS: '0' })).toEqual([
      'SHARD_IDS needs SHARD_COUNT set to a number: every machine must use the same total, and Discord’s recommendation (auto) can change between starts.',
    ]);
    expect(problemsOf({ SHARD_COUNT: '4', SHARD_IDS: '0,4' })).toEqual([
      'SHARD_IDS must be shard ids from 0 to 3 (SHARD_COUNT is 4), as a list such as 0,1 or a range such as 0-3; not valid: "4".',
    ]);
    expect(problemsOf({ SHARD_COUNT: '4', SHARD_IDS: '3-1' })[0]).toMatch(/not valid: "3-1"\.$/);
    expect(problemsOf({ SHARD_COUNT: '4', SHARD_IDS: ',' })).toEqual([
      'SHARD_IDS is empty after parsing; list the shard ids this machine runs, such as 0,1.',
    ]);
    expect(problemsOf({ SHARDS: '4', SHARDS_PER_PROCESS: '0' })).toEqual([
      'SHARDS_PER_PROCESS must be a whole number from 1 to 4096, got "0".',
    ]);
    expect(problemsOf({ SHARDS_PER_PROCESS: '2' })).toEqual([
      'SHARDS_PER_PROCESS needs SHARDS, or SHARD_COUNT with SHARD_IDS: without shards the bot is one process already.',
    ]);
  });

  test('registration needs the client id', () => {
    expect(problemsOf({ DISCORD_TOKEN: TOKEN }, ['token', 'clientId'])[0]).toMatch(/^DISCORD_CLIENT_ID is not set/);
  });
});

describe('logger', () => {
  test('writes JSON lines with the token and token-shaped strings redacted', () => {
    const lines: string[] = [];
    const logger = createLogger({ format: 'json', write: (l) => lines.push(l), secrets: ['s3cr3t-value'], now: () => new Date(0) });
    logger.info('hello', { a: 1, note: 'token s3cr3t-value here', other: TOKEN });
    logger.error('failed', {
      err: Object.assign(new Error('bad request to /api/v10/webhooks/1100000000000000001/aW50ZXJhY3Rpb24tdG9rZW4/messages/@original'), {
        status: 400,
      }),
    });
    expect(JSON.parse(lines[0]!)).toEqual({
      time: '1970-01-01T00:00:00.000Z',
      level: 'info',
      msg: 'hello',
      a: 1,
      note: `token ${REDACTED} here`,
      other: REDACTED,
    });
    const err = JSON.parse(lines[1]!).err;
    expect(err.message).toBe(`bad request to /api/v10/webhooks/1100000000000000001/${REDACTED}/messages/@original`);
    expect(err.status).toBe(400);
    expect(err.stack).toContain('Error: bad request');
    expect(lines.join('\n')).not.toContain('s3cr3t-value');
  });

  test('levels below the threshold are dropped; child loggers add fields', () => {
    const lines: string[] = [];
    const logger = createLogger({ format: 'json', level: 'warn', write: (l) => lines.push(l) }).child({ component: 'x' });
    logger.info('quiet');
    logger.warn('loud');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'warn', msg: 'loud', component: 'x' });
  });

  test('redact removes interaction tokens in callback URLs', () => {
    expect(redact('POST /interactions/123/abc.def-ghi/callback')).toBe(`POST /interactions/123/${REDACTED}/callback`);
  });
});

describe('cooldowns', () => {
  test('allows `uses` requests per window per user, then says how long to wait, noticing once', () => {
    let now = 1_000;
    const cooldowns = new Cooldowns({ uses: 2, windowMs: 10_000, now: () => now });
    expect(cooldowns.take('a')).toEqual({ ok: true });
    now += 1_000;
    expect(cooldowns.take('a')).toEqual({ ok: true });
    expect(cooldowns.take('b')).toEqual({ ok: true });
    expect(cooldowns.take('a')).toEqual({ ok: false, retryAfterMs: 9_000, firstNotice: true });
    expect(cooldowns.take('a')).toEqual({ ok: false, retryAfterMs: 9_000, firstNotice: false });
    now += 9_000;
    expect(cooldowns.take('a')).toEqual({ ok: true });
  });
});
