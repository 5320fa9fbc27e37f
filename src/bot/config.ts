/**
 * The bot's settings: the settings table (src/settings/) read from the environment (and `.env`)
 * and validated once at start, plus what spans several settings (the shards, what a command
 * requires). Every problem gets its own message naming the setting; the token's value never
 * appears in one.
 */
import { statSync } from 'node:fs';
import {
  DEFAULT_API_URL,
  DEFAULT_UPLOAD_MAX_BYTES,
  LOG_LEVELS,
  MAX_SHARDS,
  missingTokenHelp,
  PROJECT_ROOT,
  readSettings,
  SettingsError,
  shown,
  type SettingProblem,
  type Settings,
} from '../settings/index.js';

export { DEFAULT_API_URL, DEFAULT_UPLOAD_MAX_BYTES, LOG_LEVELS, MAX_SHARDS, missingTokenHelp, PROJECT_ROOT };

/**
 * The bot's settings: every setting of the table under its key (see src/settings/table.ts for
 * each one's meaning and default), the shard settings composed into `sharding`.
 */
export type Config = Omit<Settings, 'shards' | 'shardCount' | 'shardIds' | 'shardsPerProcess'> & {
  /**
   * SHARDS, SHARD_COUNT, SHARD_IDS (and SHARDS_PER_PROCESS): run the bot as shard processes under discord.js's ShardingManager.
   * Absent (none of them set, and always inside a shard process): one process, no manager.
   */
  sharding?: ShardingConfig;
};

/** How many shards the bot has in all, and which of them this machine runs. */
export interface ShardingConfig {
  /** Shards across all machines: a number, or `auto` for Discord's recommendation (GET /gateway/bot). */
  count: number | 'auto';
  /** The shards this machine runs (SHARD_IDS). @defaultValue all of them */
  ids?: readonly number[];
  /** How many shards one process runs (SHARDS_PER_PROCESS), each process one index. @defaultValue all of this machine's */
  perProcess?: number;
}

/**
 * Set by discord.js's ShardingManager in every shard process. There SHARDS and SHARD_COUNT are
 * discord.js's own (this process's shard id and the total), not the operator's settings.
 */
export const SHARD_PROCESS_MARKER = 'SHARDING_MANAGER';

/** One or more settings are wrong; `problems` has one message per setting. */
export class ConfigError extends SettingsError {
  constructor(problems: readonly string[]) {
    super(problems);
    this.name = 'ConfigError';
  }
}

/** {@link missingTokenHelp} for the sources: the problem parseConfig reports for a missing token. */
export const MISSING_TOKEN_HELP = missingTokenHelp(false);

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

interface ParseConfigOptions {
  /** Settings that must be present (beyond those that have defaults). @defaultValue [] */
  required?: ReadonlyArray<'token' | 'clientId'>;
  /** Base for a relative DATA_DIR. @defaultValue {@link PROJECT_ROOT} */
  root?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and validates the settings; throws {@link ConfigError} listing every bad one. */
export function parseConfig(env: Env, { required = [], root = PROJECT_ROOT }: ParseConfigOptions = {}): Config {
  const inShardProcess = Boolean(env[SHARD_PROCESS_MARKER]);
  // In a shard process SHARDS and SHARD_COUNT are discord.js's own, not the operator's.
  const read = inShardProcess
    ? { ...env, SHARDS: undefined, SHARD_COUNT: undefined, SHARD_IDS: undefined, SHARDS_PER_PROCESS: undefined }
    : env;
  const { settings, problems } = readSettings(read, { root, required });
  const { shards, shardCount, shardIds, shardsPerProcess, ...rest } = settings;
  const counted = composeSharding(shards, shardCount, shardIds, problems);
  const sharding = counted && shardsPerProcess !== undefined ? { ...counted, perProcess: shardsPerProcess } : counted;
  if (shardsPerProcess !== undefined && !counted && !problems.some((p) => p.name.startsWith('SHARD'))) {
    problems.push({
      name: 'SHARDS_PER_PROCESS',
      message: 'SHARDS_PER_PROCESS needs SHARDS, or SHARD_COUNT with SHARD_IDS: without shards the bot is one process already.',
    });
  }
  if (rest.archiveStore === 'postgres' && rest.databaseUrl === undefined && !problems.some((p) => p.name === 'DATABASE_URL')) {
    problems.push({
      name: 'ARCHIVE_STORE',
      message: 'ARCHIVE_STORE=postgres needs DATABASE_URL: the database that holds the archive every machine shares.',
    });
  }
  if (problems.length) throw new ConfigError(problems.map((p) => p.message));
  const config: Config = {
    ...rest,
    // Shard processes would all claim the one port: the health server runs in a single process only.
    healthPort: inShardProcess ? undefined : rest.healthPort,
    ...(sharding ? { sharding } : {}),
  };
  // Unset settings are absent, not undefined.
  for (const key of Object.keys(config) as (keyof Config)[]) if (config[key] === undefined) delete config[key];
  return config;
}

/** SHARDS=auto|N runs every shard here; SHARD_IDS (with SHARD_COUNT) runs some of them, for several machines. */
function composeSharding(
  shards: number | 'auto' | undefined,
  shardCount: number | undefined,
  shardIds: string | undefined,
  problems: SettingProblem[],
): ShardingConfig | undefined {
  if (problems.some((p) => p.name === 'SHARDS' || p.name === 'SHARD_COUNT')) return undefined; // a bad count, already reported
  if (shards === undefined && shardCount === undefined && shardIds === undefined) return undefined;
  const problem = (message: string): undefined => {
    problems.push({ name: 'SHARDS', message });
    return undefined;
  };
  if (typeof shards === 'number' && shardCount !== undefined && shards !== shardCount) {
    return problem(`SHARDS (${shards}) and SHARD_COUNT (${shardCount}) disagree; set one of them.`);
  }
  const total = shardCount ?? shards;
  if (total === undefined) return undefined;
  if (shardIds === undefined) return { count: total };

  if (total === 'auto') {
    return problem(
      'SHARD_IDS needs SHARD_COUNT set to a number: every machine must use the same total, and Discord’s recommendation (auto) can change between starts.',
    );
  }
  const ids = parseShardIds(shardIds, total);
  if (typeof ids === 'string') return problem(ids);
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
