/**
 * The bot's settings, read from the environment (and `.env`) and validated once at start.
 * Every problem gets its own message naming the setting; the token's value never appears in one.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { LogLevel } from '../discord/logger.js';
import { PROJECT_ROOT } from '../data-dir.js';

/** The folder holding package.json (shared with the CLI); a relative DATA_DIR is resolved from here. */
export { PROJECT_ROOT };

/** Discord's own REST base URL (discord.js appends the API version). */
export const DEFAULT_API_URL = 'https://discord.com/api';

export interface Config {
  /** DISCORD_TOKEN: the bot token. Required to start the bot or register commands. */
  token?: string;
  /** DISCORD_CLIENT_ID: the application id. Required to register commands. */
  clientId?: string;
  /** DISCORD_GUILD_ID: register commands to this one server (for development) instead of globally. */
  guildId?: string;
  /** DATA_DIR: absolute path of the archive folder or file. @defaultValue `<project>/data` */
  dataDir: string;
  /** ADMIN_ROLE_IDS: members with one of these roles may use admin commands (besides Manage Server). */
  adminRoleIds: ReadonlySet<string>;
  /** ADMIN_USER_IDS: these users may use admin commands anywhere. */
  adminUserIds: ReadonlySet<string>;
  /** ANSWER_CHANNEL_IDS: channels where every question is answered without a mention (needs Message Content). */
  answerChannelIds: ReadonlySet<string>;
  /** DISCORD_API_URL: REST base URL, no trailing slash. @defaultValue {@link DEFAULT_API_URL} */
  apiUrl: string;
  /** RELOAD_TIMEOUT_S (in ms here): a load still running after this long is stopped. @defaultValue 10 minutes */
  reloadTimeoutMs?: number;
  /**
   * UPLOAD_MAX_MB (in bytes here): the largest file /upload accepts (it also never takes more than the
   * loader reads, 20 MB). @defaultValue {@link DEFAULT_UPLOAD_MAX_BYTES}
   */
  uploadMaxBytes: number;
  /** FEEDBACK_DB: the SQLite file for 👍/👎 votes (absolute). @defaultValue `.archivist-feedback.sqlite` beside the index cache */
  feedbackDb?: string;
  /** CACHE_DIR: absolute path of the folder for the on-disk index. @defaultValue `.archivist-cache/` beside the archive */
  cacheDir?: string;
  /** ALLOWED_GUILD_IDS: the only servers the bot serves (it leaves the others). @defaultValue every server (unset) */
  allowedGuildIds?: ReadonlySet<string>;
  /** ALLOW_DMS: answer /ask and the other question commands in direct messages. @defaultValue false */
  allowDms: boolean;
  /** LOG_LEVEL: the lowest level logged. @defaultValue 'info' */
  logLevel: LogLevel;
  /** FEEDBACK: 👍/👎 buttons under answers, their votes kept in FEEDBACK_DB. @defaultValue true (on) */
  feedback: boolean;
  /** HEALTH_PORT: serve GET /healthz and /metrics on this port (0: any free one). @defaultValue off (unset) */
  healthPort?: number;
  /** HEALTH_HOST: the address the health server listens on. @defaultValue 127.0.0.1 */
  healthHost: string;
  /**
   * SHARDS, SHARD_COUNT, SHARD_IDS: run the bot as shard processes under discord.js's ShardingManager.
   * Absent (none of them set, and always inside a shard process): one process, no manager.
   */
  sharding?: ShardingConfig;
  /**
   * DATABASE_URL: a PostgreSQL database shared by every machine (postgres://…). With it, votes go there
   * and a /reload reaches every machine; unset: everything stays on this machine. @defaultValue unset
   */
  databaseUrl?: string;
  /** ARCHIVE_STORE: where /upload and /remove keep files: `folder` (DATA_DIR) or `postgres` (DATABASE_URL, replicated into DATA_DIR). @defaultValue folder */
  archiveStore?: 'folder' | 'postgres';
  /** MACHINE_ID: this machine's name in the admin's reports and the database. @defaultValue the host name */
  machineId?: string;
}

/** How many shards the bot has in all, and which of them this machine runs. */
export interface ShardingConfig {
  /** Shards across all machines: a number, or `auto` for Discord's recommendation (GET /gateway/bot). */
  count: number | 'auto';
  /** The shards this machine runs (SHARD_IDS). @defaultValue all of them */
  ids?: readonly number[];
}

/**
 * Set by discord.js's ShardingManager in every shard process. There SHARDS and SHARD_COUNT are
 * discord.js's own (this process's shard id and the total), not the operator's settings.
 */
export const SHARD_PROCESS_MARKER = 'SHARDING_MANAGER';

/** More shards than this on one machine is a typo: each one holds the whole archive in memory. */
export const MAX_SHARDS = 4096;

/** One or more settings are wrong; `problems` has one message per setting. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

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

/** {@link missingTokenHelp} for the sources: the problem parseConfig reports for a missing token. */
export const MISSING_TOKEN_HELP = missingTokenHelp(false);

const SNOWFLAKE = /^\d{17,20}$/;

/** What LOG_LEVEL may be, most verbose first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const satisfies readonly LogLevel[];

/**
 * The problem with the archive path, or undefined when it exists. A mistyped DATA_DIR must stop the
 * start: served as it is, it would answer every question with "the archive is empty".
 */
export function dataDirProblem(dataDir: string): string | undefined {
  try {
    statSync(dataDir);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return `DATA_DIR ${dataDir} does not exist: set DATA_DIR to the archive folder (or file), relative to the project folder or absolute.`;
    }
    return `DATA_DIR ${dataDir} cannot be read (${code ?? String(error)}): the bot's user needs read access to it.`;
  }
}

export interface ParseConfigOptions {
  /** Settings that must be present (beyond those that have defaults). @defaultValue [] */
  required?: ReadonlyArray<'token' | 'clientId'>;
  /** Base for a relative DATA_DIR. @defaultValue {@link PROJECT_ROOT} */
  root?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and validates the settings; throws {@link ConfigError} listing every bad one. */
export function parseConfig(env: Env, { required = [], root = PROJECT_ROOT }: ParseConfigOptions = {}): Config {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };

  const token = value('DISCORD_TOKEN');
  if (!token && required.includes('token')) problems.push(MISSING_TOKEN_HELP);
  if (token && /\s/.test(token)) {
    problems.push('DISCORD_TOKEN contains whitespace; copy the token exactly as the Developer Portal shows it.');
  }

  const id = (name: string): string | undefined => {
    const v = value(name);
    if (v !== undefined && !SNOWFLAKE.test(v)) {
      problems.push(`${name} must be a Discord id (17 to 20 digits), got ${shown(v)}.`);
      return undefined;
    }
    return v;
  };
  const clientId = id('DISCORD_CLIENT_ID');
  if (!value('DISCORD_CLIENT_ID') && required.includes('clientId')) {
    problems.push(
      'DISCORD_CLIENT_ID is not set: copy the Application ID from https://discord.com/developers/applications → your application → General Information.',
    );
  }
  const guildId = id('DISCORD_GUILD_ID');

  const ids = (name: string): ReadonlySet<string> => {
    const v = value(name);
    if (v === undefined) return new Set();
    const list = v.split(/[\s,]+/).filter(Boolean);
    const bad = list.filter((x) => !SNOWFLAKE.test(x));
    if (bad.length) {
      problems.push(`${name} must be Discord ids (17 to 20 digits) separated by commas; not ids: ${bad.map(shown).join(', ')}.`);
    }
    return new Set(list.filter((x) => SNOWFLAKE.test(x)));
  };
  const flag = (name: string): boolean => {
    const v = value(name)?.toLowerCase();
    if (v === undefined || ['0', 'false', 'no', 'off'].includes(v)) return false;
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    problems.push(`${name} must be true or false (also 1/0, yes/no, on/off), got ${shown(v)}.`);
    return false;
  };
  const adminRoleIds = ids('ADMIN_ROLE_IDS');
  const adminUserIds = ids('ADMIN_USER_IDS');
  const answerChannelIds = ids('ANSWER_CHANNEL_IDS');

  let apiUrl = DEFAULT_API_URL;
  const rawApiUrl = value('DISCORD_API_URL');
  if (rawApiUrl !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(rawApiUrl);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      problems.push(`DISCORD_API_URL must be an http(s) URL such as ${DEFAULT_API_URL}, got ${shown(rawApiUrl)}.`);
    } else if (parsed.username || parsed.password) {
      problems.push('DISCORD_API_URL must not contain a user name or password.');
    } else {
      apiUrl = rawApiUrl.replace(/\/+$/, '');
    }
  }

  const dataDir = resolve(root, value('DATA_DIR') ?? 'data');
  const rawFeedbackDb = value('FEEDBACK_DB');
  const feedbackDb = rawFeedbackDb === undefined ? undefined : resolve(root, rawFeedbackDb);
  const cacheDir = value('CACHE_DIR');
  const allowedGuildIds = value('ALLOWED_GUILD_IDS') === undefined ? undefined : ids('ALLOWED_GUILD_IDS');
  const allowDms = flag('ALLOW_DMS');
  const rawHealthPort = value('HEALTH_PORT');
  const healthPort = rawHealthPort === undefined ? undefined : /^\d{1,5}$/.test(rawHealthPort) ? Number(rawHealthPort) : NaN;
  if (healthPort !== undefined && !(healthPort <= 65535)) {
    problems.push(`HEALTH_PORT must be a port number from 0 to 65535 (0: any free port), got ${shown(rawHealthPort!)}.`);
  }
  const healthHost = value('HEALTH_HOST') ?? '127.0.0.1';
  const rawLogLevel = value('LOG_LEVEL')?.toLowerCase() ?? 'info';
  const logLevel = LOG_LEVELS.find((level) => level === rawLogLevel);
  if (!logLevel) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (default info), got ${shown(value('LOG_LEVEL')!)}.`);
  const feedback = value('FEEDBACK') === undefined || flag('FEEDBACK');
  const sharding = env[SHARD_PROCESS_MARKER] ? undefined : parseSharding(value, problems);

  const databaseUrl = value('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/./.test(databaseUrl)) {
    // Never repeated: the URL may hold a password.
    problems.push('DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/archivist (the value is not shown).');
  }
  const rawStore = value('ARCHIVE_STORE')?.toLowerCase();
  const archiveStore = rawStore === 'postgres' ? 'postgres' : 'folder';
  if (rawStore !== undefined && rawStore !== 'folder' && rawStore !== 'postgres') {
    problems.push(`ARCHIVE_STORE must be folder or postgres, got ${shown(rawStore)}.`);
  } else if (archiveStore === 'postgres' && databaseUrl === undefined) {
    problems.push('ARCHIVE_STORE=postgres needs DATABASE_URL: the database that holds the archive every machine shares.');
  }
  const machineId = value('MACHINE_ID');
  if (machineId !== undefined && !/^[\w.-]{1,64}$/.test(machineId)) {
    problems.push(`MACHINE_ID must be 1 to 64 letters, digits, '.', '-' or '_', got ${shown(machineId)}.`);
  }

  let uploadMaxBytes = DEFAULT_UPLOAD_MAX_BYTES;
  const rawUploadMax = value('UPLOAD_MAX_MB');
  if (rawUploadMax !== undefined) {
    const mb = Number(rawUploadMax);
    if (!/^\d+(\.\d+)?$/.test(rawUploadMax) || !(mb > 0 && mb <= MAX_UPLOAD_MB)) {
      problems.push(`UPLOAD_MAX_MB must be a number of megabytes above 0 and at most ${MAX_UPLOAD_MB}, got ${shown(rawUploadMax)}.`);
    } else {
      uploadMaxBytes = Math.floor(mb * MB);
    }
  }

  let reloadTimeoutMs: number | undefined;
  const rawTimeout = value('RELOAD_TIMEOUT_S');
  if (rawTimeout !== undefined) {
    const seconds = Number(rawTimeout);
    if (!/^\d+(\.\d+)?$/.test(rawTimeout) || !(seconds >= 1 && seconds <= MAX_RELOAD_TIMEOUT_S)) {
      problems.push(`RELOAD_TIMEOUT_S must be a number of seconds from 1 to ${MAX_RELOAD_TIMEOUT_S}, got ${shown(rawTimeout)}.`);
    } else {
      reloadTimeoutMs = Math.round(seconds * 1000);
    }
  }

  if (problems.length) throw new ConfigError(problems);
  return {
    ...(token ? { token } : {}),
    ...(clientId ? { clientId } : {}),
    ...(guildId ? { guildId } : {}),
    dataDir,
    adminRoleIds,
    adminUserIds,
    answerChannelIds,
    apiUrl,
    ...(reloadTimeoutMs === undefined ? {} : { reloadTimeoutMs }),
    uploadMaxBytes,
    ...(feedbackDb ? { feedbackDb } : {}),
    ...(cacheDir ? { cacheDir: resolve(root, cacheDir) } : {}),
    ...(allowedGuildIds ? { allowedGuildIds } : {}),
    allowDms,
    logLevel: logLevel ?? 'info',
    feedback,
    // Shard processes would all claim the one port: the health server runs in a single process only.
    ...(healthPort !== undefined && !env[SHARD_PROCESS_MARKER] ? { healthPort } : {}),
    healthHost,
    ...(sharding ? { sharding } : {}),
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(archiveStore === 'postgres' ? { archiveStore } : {}),
    ...(machineId ? { machineId } : {}),
  };
}

const MB = 1024 * 1024;

/** The largest /upload by default: 10 MB, what Discord lets any member attach. */
export const DEFAULT_UPLOAD_MAX_BYTES = 10 * MB;

/** Largest UPLOAD_MAX_MB accepted: beyond it is a typo (the loader's own 20 MB limit applies anyway). */
const MAX_UPLOAD_MB = 1024;

/** Longest RELOAD_TIMEOUT_S: a day (setTimeout cannot wait much beyond 24 days anyway). */
const MAX_RELOAD_TIMEOUT_S = 86_400;

/**
 * A bot token (three base64url parts joined by dots), or any long run of mixed letters and digits
 * that could be another secret pasted into the wrong setting: never repeated in an error message.
 */
function looksLikeSecret(v: string): boolean {
  return v.length >= 24 && /^[\w.-]+$/.test(v) && /[a-z]/i.test(v) && /\d/.test(v);
}

/** A bad value as an error message shows it: quoted and short, or withheld when it may be a secret. */
function shown(v: string): string {
  if (looksLikeSecret(v)) return 'a value that looks like a token (not shown; a token belongs in DISCORD_TOKEN only)';
  return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
}

/** SHARDS=auto|N runs every shard here; SHARD_IDS (with SHARD_COUNT) runs some of them, for several machines. */
function parseSharding(value: (name: string) => string | undefined, problems: string[]): ShardingConfig | undefined {
  const shards = value('SHARDS');
  const shardCount = value('SHARD_COUNT');
  const shardIds = value('SHARD_IDS');
  if (shards === undefined && shardCount === undefined && shardIds === undefined) return undefined;

  const count = (name: string, v: string): number | undefined => {
    const n = /^\d+$/.test(v) ? Number(v) : NaN;
    if (n >= 1 && n <= MAX_SHARDS) return n;
    problems.push(`${name} must be a whole number from 1 to ${MAX_SHARDS}${name === 'SHARDS' ? ', or auto' : ''}, got ${shown(v)}.`);
    return undefined;
  };
  let fromShards: number | 'auto' | undefined;
  if (shards !== undefined) fromShards = shards.toLowerCase() === 'auto' ? 'auto' : count('SHARDS', shards);
  const fromCount = shardCount === undefined ? undefined : count('SHARD_COUNT', shardCount);
  if (typeof fromShards === 'number' && fromCount !== undefined && fromShards !== fromCount) {
    problems.push(`SHARDS (${fromShards}) and SHARD_COUNT (${fromCount}) disagree; set one of them.`);
    return undefined;
  }
  const total = fromCount ?? fromShards;
  if (total === undefined) return undefined; // a bad count, already reported
  if (shardIds === undefined) return { count: total };

  if (total === 'auto') {
    problems.push(
      'SHARD_IDS needs SHARD_COUNT set to a number: every machine must use the same total, and Discord’s recommendation (auto) can change between starts.',
    );
    return undefined;
  }
  const ids = parseShardIds(shardIds, total);
  if (typeof ids === 'string') {
    problems.push(ids);
    return undefined;
  }
  return { count: total, ids };
}

/** `0,1,4-7` → [0, 1, 4, 5, 6, 7], each below `total`; or the problem with it. */
function parseShardIds(v: string, total: number): number[] | string {
  const ids = new Set<number>();
  for (const part of v.split(/[\s,]+/).filter(Boolean)) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part);
    const first = range ? Number(range[1]) : NaN;
    const last = range?.[2] === undefined ? first : Number(range[2]);
    if (!range || last < first || last >= total) {
      return `SHARD_IDS must be shard ids from 0 to ${total - 1} (SHARD_COUNT is ${total}), as a list such as 0,1 or a range such as 0-3; not valid: ${shown(part)}.`;
    }
    for (let id = first; id <= last; id++) ids.add(id);
  }
  if (!ids.size) return 'SHARD_IDS is empty after parsing; list the shard ids this machine runs, such as 0,1.';
  return [...ids].sort((a, b) => a - b);
}
