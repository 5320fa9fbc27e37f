/**
 * A small structured logger: one JSON object per line (or a readable line on a terminal), with
 * secrets redacted from the finished line — the bot token, anything shaped like a Discord token,
 * and interaction/webhook tokens inside REST URLs. No dependency: the bot logs little.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  /** Lowest level written. @defaultValue 'info' */
  level?: LogLevel;
  /** Where finished lines go (without a newline). @defaultValue a line on stdout */
  write?: (line: string) => void;
  /** 'json' lines, or 'pretty' for people. @defaultValue 'pretty' on a terminal, else 'json' */
  format?: 'json' | 'pretty';
  /** Exact strings never to write (the bot token). */
  secrets?: ReadonlyArray<string | undefined>;
  /** @defaultValue () => new Date() */
  now?: () => Date;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
export const REDACTED = '[redacted]';

/** Token shapes that are redacted even when nobody listed them as secrets. */
const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // Bot/user tokens: base64 id . timestamp . hmac. The look-behind lets a match start only where a
  // run of token characters starts: without it a long run with no dots was rescanned from every
  // character (quadratic; a 100 KB field would have stalled every log line).
  [/(?<![\w-])[\w-]{20,}\.[\w-]{5,}\.[\w-]{20,}/g, REDACTED],
  // Interaction callback and webhook URLs carry a token as a path segment.
  [/(\/interactions\/\d+\/)[^/\s"'?]+/g, `$1${REDACTED}`],
  [/(\/webhooks\/\d+\/)[^/\s"'?]+/g, `$1${REDACTED}`],
];

/** Removes `secrets` and token-shaped strings from `text`. */
export function redact(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    out = out.split(secret).join(REDACTED);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) out = out.split(escaped).join(REDACTED);
  }
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Plain data for an Error (message, stack, and the extra fields discord.js errors carry). */
export function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const out: LogFields = { name: error.name, message: error.message };
  for (const key of ['code', 'status', 'method', 'url'] as const) {
    const v = (error as unknown as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = v;
  }
  if (error.stack) out.stack = error.stack;
  if (error.cause !== undefined) out.cause = serializeError(error.cause);
  return out;
}

function toJson(fields: LogFields): string {
  return JSON.stringify(fields, (_key, v: unknown) => {
    if (v instanceof Error) return serializeError(v);
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof Set) return [...(v as Set<unknown>)];
    return v;
  });
}

export function createLogger(options: LoggerOptions = {}, bound: LogFields = {}): Logger {
  const {
    level = 'info',
    write = (line: string) => void process.stdout.write(`${line}\n`),
    format = process.stdout.isTTY ? 'pretty' : 'json',
    secrets = [],
    now = () => new Date(),
  } = options;
  const min = LEVELS[level];

  const log = (lvl: LogLevel, msg: string, fields: LogFields = {}): void => {
    if (LEVELS[lvl] < min) return;
    const time = now().toISOString();
    let line: string;
    if (format === 'json') {
      line = toJson({ time, level: lvl, msg, ...bound, ...fields });
    } else {
      const extra = { ...bound, ...fields };
      const { err, ...rest } = extra;
      line = `${time} ${lvl.toUpperCase().padEnd(5)} ${msg}`;
      if (Object.keys(rest).length) line += ` ${toJson(rest)}`;
      if (err !== undefined) line += `\n${err instanceof Error ? (err.stack ?? err.message) : toJson({ err })}`;
    }
    try {
      write(redact(line, secrets));
    } catch {
      // A broken log sink must never take the bot down.
    }
  };

  return {
    debug: (msg, fields) => log('debug', msg, fields),
    info: (msg, fields) => log('info', msg, fields),
    warn: (msg, fields) => log('warn', msg, fields),
    error: (msg, fields) => log('error', msg, fields),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
  };
}
