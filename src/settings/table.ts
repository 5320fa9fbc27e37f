/**
 * Every setting, declared once: its name (the environment variable; names are a public contract:
 * add, never rename), how its text is read, its default, the values it takes and one line saying
 * what it does. The bot, the CLI and the index preparation child all read settings through this
 * table; `.env.example` and README's settings table are checked against it (tests/settings/).
 * Adding a setting is adding a row here (its value then appears in the bot's Config under `key`),
 * a line in `.env.example` and a row in README's table.
 */
import {
  decimal,
  flag,
  httpUrl,
  oneOf,
  path,
  pathOr,
  port,
  shown,
  snowflake,
  snowflakes,
  snowflakesOrUnset,
  text,
  textOr,
  wholeNumber,
  type Parser,
} from './parsers.js';

export interface Setting<K extends string = string, T = unknown> {
  /** The environment variable. */
  readonly name: string;
  /** Where its value goes in the settings object (and the bot's Config). */
  readonly key: K;
  readonly parse: Parser<T>;
  /** The default, as the docs show it (`unset` when there is none). */
  readonly default: string;
  /** The values it takes, as the docs show them. */
  readonly values: string;
  /** What it does, in one line (README's settings table). */
  readonly doc: string;
  /** What to say when a command needs it and it is unset. */
  readonly missing?: string;
}

const row = <K extends string, T>(setting: Setting<K, T>): Setting<K, T> => setting;

/** Discord's own REST base URL (discord.js appends the API version). */
export const DEFAULT_API_URL = 'https://discord.com/api';

/** The largest /upload by default: 10 MB, what Discord lets any member attach. */
export const DEFAULT_UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

/** Largest UPLOAD_MAX_MB accepted: beyond it is a typo (the loader's own 20 MB limit applies anyway). */
const MAX_UPLOAD_MB = 1024;

/** Longest RELOAD_TIMEOUT_S: a day (setTimeout cannot wait much beyond 24 days anyway). */
const MAX_RELOAD_TIMEOUT_S = 86_400;

/** More shards than this on one machine is a typo: each one holds the whole archive in memory. */
export const MAX_SHARDS = 4096;

/** What LOG_LEVEL may be, most verbose first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/**
 * What to tell someone who ran the bot without a token. `built`: the bot runs from dist/, perhaps
 * after `npm prune --omit=dev`, where `npm run ask` (tsx) is gone: name the built `archivist` instead.
 */
export function missingTokenHelp(built: boolean): string {
  return [
    'DISCORD_TOKEN is not set, so the bot cannot log in to Discord.',
    'Get a token: https://discord.com/developers/applications → your application → Bot → Reset Token,',
    'then put DISCORD_TOKEN=… (and DISCORD_CLIENT_ID) in a .env file in the project folder (see .env.example).',
    built
      ? 'To ask the archive without Discord, no token needed: ./dist/src/cli/main.js ask "your question" (the built archivist command; npm link or npm install -g puts archivist on your PATH)'
      : 'To ask the archive without Discord, no token needed: npm run ask -- "your question"',
  ].join('\n');
}

/** The table, in the order problems are reported. */
export const SETTINGS = [
  row({
    name: 'DISCORD_TOKEN',
    key: 'token',
    parse: (raw, { problem }) =>
      raw && /\s/.test(raw) ? problem('DISCORD_TOKEN contains whitespace; copy the token exactly as the Developer Portal shows it.') : raw,
    default: 'unset',
    values: 'the bot token',
    doc: 'Logs the bot in to Discord (Developer Portal → Bot → Reset Token); needed by `npm start` and `npm run register`.',
    missing: missingTokenHelp(false),
  }),
  row({
    name: 'DISCORD_CLIENT_ID',
    key: 'clientId',
    parse: snowflake,
    default: 'unset',
    values: 'a Discord id',
    doc: 'The application id (General Information); needed by `npm run register`.',
    missing:
      'DISCORD_CLIENT_ID is not set: copy the Application ID from https://discord.com/developers/applications → your application → General Information.',
  }),
  row({
    name: 'DISCORD_GUILD_ID',
    key: 'guildId',
    parse: snowflake,
    default: 'unset (global)',
    values: 'a Discord id',
    doc: 'Registers the commands to this one server only (instant; for development).',
  }),
  row({
    name: 'ADMIN_ROLE_IDS',
    key: 'adminRoleIds',
    parse: snowflakes,
    default: 'none',
    values: 'Discord ids, comma-separated',
    doc: 'Members with one of these roles may use the admin commands (besides Manage Server).',
  }),
  row({
    name: 'ADMIN_USER_IDS',
    key: 'adminUserIds',
    parse: snowflakes,
    default: 'none',
    values: 'Discord ids, comma-separated',
    doc: 'These users may use the admin commands anywhere.',
  }),
  row({
    name: 'ANSWER_CHANNEL_IDS',
    key: 'answerChannelIds',
    parse: snowflakes,
    default: 'none',
    values: 'Discord ids, comma-separated',
    doc: 'Channels where every message ending in `?` is answered without a mention (needs the Message Content intent).',
  }),
  row({
    name: 'DISCORD_API_URL',
    key: 'apiUrl',
    parse: httpUrl(DEFAULT_API_URL),
    default: DEFAULT_API_URL,
    values: 'an http(s) URL',
    doc: 'The REST base URL: a REST proxy (the tests point it at a fake Discord).',
  }),
  row({
    name: 'DATA_DIR',
    key: 'dataDir',
    parse: pathOr('data'),
    default: '`data/`',
    values: 'a folder or file',
    doc: 'The archive the bot and `npm run ask` serve; relative paths start at the project folder.',
  }),
  row({
    name: 'FEEDBACK_DB',
    key: 'feedbackDb',
    parse: path(),
    default: '`.archivist-feedback.sqlite` in `CACHE_DIR` when set, else in the archive folder',
    values: 'a file',
    doc: 'The SQLite file for the 👍/👎 votes under answers (its salt beside it); one other users can write is refused.',
  }),
  row({
    name: 'CACHE_DIR',
    key: 'cacheDir',
    parse: path(),
    default: '`.archivist-cache/` beside the archive',
    values: 'a folder',
    doc: 'Where the on-disk index is kept (each archive in a subfolder of its own); for a read-only archive.',
  }),
  row({
    name: 'ALLOWED_GUILD_IDS',
    key: 'allowedGuildIds',
    parse: snowflakesOrUnset,
    default: 'unset (every server)',
    values: 'Discord ids, comma-separated',
    doc: 'The only servers the bot serves; it leaves the others.',
  }),
  row({
    name: 'ALLOW_DMS',
    key: 'allowDms',
    parse: flag(false),
    default: 'false',
    values: 'true or false',
    doc: 'Answers /ask and the other question commands in direct messages.',
  }),
  row({
    name: 'HEALTH_PORT',
    key: 'healthPort',
    parse: port,
    default: 'unset (off)',
    values: '0 to 65535 (0: any free port)',
    doc: 'Serves GET /healthz and /metrics (Prometheus) on this port.',
  }),
  row({
    name: 'HEALTH_HOST',
    key: 'healthHost',
    parse: textOr('127.0.0.1'),
    default: '127.0.0.1',
    values: 'an address',
    doc: 'The address the health server listens on (0.0.0.0 for a scraper elsewhere).',
  }),
  row({
    name: 'LOG_LEVEL',
    key: 'logLevel',
    parse: oneOf(LOG_LEVELS, 'info'),
    default: 'info',
    values: LOG_LEVELS.join(', '),
    doc: 'The lowest level logged; `debug` logs every handled interaction.',
  }),
  row({
    name: 'FEEDBACK',
    key: 'feedback',
    parse: flag(true),
    default: 'on',
    values: 'on or off',
    doc: '👍/👎 buttons under answers; off: no buttons, and no votes database is opened.',
  }),
  row({
    name: 'UPLOADS',
    key: 'uploads',
    parse: flag(true),
    default: 'on',
    values: 'on or off',
    doc: 'Lets /upload and /remove change the archive folder; off (a read-only archive): they answer that they are off.',
  }),
  row({
    name: 'SHARDS',
    key: 'shards',
    parse: (raw, context): number | 'auto' | undefined =>
      raw === undefined ? undefined : raw.toLowerCase() === 'auto' ? 'auto' : wholeNumber(raw, MAX_SHARDS, context, ', or auto'),
    default: 'unset (one process)',
    values: `auto or 1 to ${MAX_SHARDS}`,
    doc: 'Runs the bot as that many shards, all on this machine (in one process unless `SHARDS_PER_PROCESS` says otherwise).',
  }),
  row({
    name: 'SHARD_COUNT',
    key: 'shardCount',
    parse: (raw, context) => (raw === undefined ? undefined : wholeNumber(raw, MAX_SHARDS, context)),
    default: 'unset',
    values: `1 to ${MAX_SHARDS}`,
    doc: 'Several machines: the total number of shards, the same on every machine.',
  }),
  row({
    name: 'SHARD_IDS',
    key: 'shardIds',
    parse: text(),
    default: 'unset (all)',
    values: 'ids and ranges, e.g. 0-3',
    doc: 'Several machines: the shards this machine runs.',
  }),
  row({
    name: 'SHARDS_PER_PROCESS',
    key: 'shardsPerProcess',
    parse: (raw, context) => (raw === undefined ? undefined : wholeNumber(raw, MAX_SHARDS, context)),
    default: "unset (all of this machine's shards in one process)",
    values: `1 to ${MAX_SHARDS}`,
    doc: 'With shards: how many one process runs; each process holds one copy of the index for its shards, so fewer processes use less memory.',
  }),
  row({
    name: 'UPLOAD_MAX_MB',
    key: 'uploadMaxBytes',
    parse: decimal({
      fallback: DEFAULT_UPLOAD_MAX_BYTES,
      above: 0,
      max: MAX_UPLOAD_MB,
      scale: 1024 * 1024,
      round: Math.floor,
      describe: `a number of megabytes above 0 and at most ${MAX_UPLOAD_MB}`,
    }),
    default: '10',
    values: `megabytes, above 0, at most ${MAX_UPLOAD_MB} (above 20 counts as 20)`,
    doc: 'The largest file an admin may add with /upload.',
  }),
  row({
    name: 'RELOAD_TIMEOUT_S',
    key: 'reloadTimeoutMs',
    parse: decimal({
      fallback: undefined,
      min: 1,
      max: MAX_RELOAD_TIMEOUT_S,
      scale: 1000,
      round: Math.round,
      describe: `a number of seconds from 1 to ${MAX_RELOAD_TIMEOUT_S}`,
    }),
    default: '600',
    values: `seconds, 1 to ${MAX_RELOAD_TIMEOUT_S}`,
    doc: 'How long a load of the archive (at start-up or by /reload) may take before it is stopped.',
  }),
  row({
    name: 'DATABASE_URL',
    key: 'databaseUrl',
    // Never repeated in a message: the URL may hold a password.
    parse: (raw, { problem }) =>
      raw === undefined || /^postgres(ql)?:\/\/./.test(raw)
        ? raw
        : problem('DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/archivist (the value is not shown).'),
    default: 'unset (this machine only)',
    values: 'a postgres:// URL',
    doc: "Several machines: a PostgreSQL database they share; votes and every machine's reload outcome go there. Never shown in a message or log line.",
  }),
  row({
    name: 'ARCHIVE_STORE',
    key: 'archiveStore',
    parse: (raw, { name, problem }): 'folder' | 'postgres' | undefined => {
      const v = raw?.toLowerCase();
      if (v === undefined || v === 'folder' || v === 'postgres') return v;
      return problem(`${name} must be folder or postgres, got ${shown(raw!)}.`);
    },
    default: 'folder',
    values: 'folder or postgres',
    doc: "Where /upload and /remove keep files: `DATA_DIR`, or the database (needs `DATABASE_URL`; `DATA_DIR` is then this machine's replica, written only by its sync).",
  }),
  row({
    name: 'MACHINE_ID',
    key: 'machineId',
    parse: (raw, { name, problem }) =>
      raw === undefined || /^[\w.-]{1,64}$/.test(raw)
        ? raw
        : problem(`${name} must be 1 to 64 letters, digits, '.', '-' or '_', got ${shown(raw)}.`),
    default: 'the host name',
    values: "letters, digits, '.', '-', '_'",
    doc: "This machine's name in the admin's reports and the database.",
  }),
] as const;
