/**
 * The settings' entry: the table (table.ts) and reading it. The bot, the CLI and the index
 * preparation child import settings from here.
 */
import { PROJECT_ROOT } from './project-root.js';
import { SETTINGS, type Setting } from './table.js';

export { PROJECT_ROOT } from './project-root.js';
export { shown } from './parsers.js';
export { DEFAULT_API_URL, DEFAULT_UPLOAD_MAX_BYTES, LOG_LEVELS, MAX_SHARDS, missingTokenHelp, SETTINGS, type Setting } from './table.js';

type Row = (typeof SETTINGS)[number];

/** Every setting's value, by key. */
export type Settings = { [R in Row as R['key']]: R extends Setting<string, infer T> ? T : never };
export type SettingKey = keyof Settings;

/** A setting's value was wrong. */
export interface SettingProblem {
  /** The setting's name. */
  readonly name: string;
  readonly message: string;
}

export interface ReadOptions {
  /** Where relative paths start. @defaultValue {@link PROJECT_ROOT} */
  root?: string;
  /** Settings that must be set (each says how, in its `missing` line). @defaultValue none */
  required?: readonly SettingKey[];
}

type Env = Readonly<Record<string, string | undefined>>;

/** A setting's text: trimmed, and undefined when unset or empty (a copied `.env.example` leaves them empty). */
function rawValue(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

function readRow(row: Setting, env: Env, root: string, required: readonly string[], problems: SettingProblem[]): unknown {
  const raw = rawValue(env, row.name);
  const problem = (message: string): undefined => {
    problems.push({ name: row.name, message });
    return undefined;
  };
  if (raw === undefined && row.missing !== undefined && required.includes(row.key)) problem(row.missing);
  return row.parse(raw, { name: row.name, root, problem });
}

/** Reads every setting, in the table's order; each wrong one is a problem (the others keep their values). */
export function readSettings(
  env: Env,
  { root = PROJECT_ROOT, required = [] }: ReadOptions = {},
): { settings: Settings; problems: SettingProblem[] } {
  const problems: SettingProblem[] = [];
  const settings: Record<string, unknown> = {};
  for (const row of SETTINGS as readonly Setting[]) settings[row.key] = readRow(row, env, root, required, problems);
  return { settings: settings as Settings, problems };
}

/** One or more settings are wrong; `problems` has one message per setting. */
export class SettingsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SettingsError';
  }
}

/** Reads one setting (the CLI, the preparation child); throws {@link SettingsError} when it is wrong. */
export function readSetting<K extends SettingKey>(env: Env, key: K, root: string = PROJECT_ROOT): Settings[K] {
  const row = (SETTINGS as readonly Setting[]).find((r) => r.key === key)!;
  const problems: SettingProblem[] = [];
  const value = readRow(row, env, root, [], problems);
  if (problems.length) throw new SettingsError(problems.map((p) => p.message));
  return value as Settings[K];
}
