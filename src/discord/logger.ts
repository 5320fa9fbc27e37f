/**
 * The bot's logger: pino, one JSON object per line, behind the small {@link Logger} interface the
 * bot calls (`logger.info(msg, fields)`). Secrets never reach a line: pino's redaction paths blank
 * fields named like secrets (a `token`, an `authorization` header), and every finished line is
 * scrubbed of the bot token, anything shaped like a Discord token and interaction/webhook tokens
 * inside REST URLs — in a message, an error's text or a stack as much as in a field.
 *
 * On a terminal, outside production, lines are made readable by pino-pretty, a development
 * dependency loaded only then: after `npm prune --omit=dev` it is absent and lines stay JSON.
 */
import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

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
  /**
   * 'json' lines, or 'pretty' for people (pino-pretty; JSON when it is not installed).
   * @defaultValue 'pretty' on a terminal unless NODE_ENV is production, else 'json'
   */
  format?: 'json' | 'pretty';
  /** Exact strings never to write (the bot token). */
  secrets?: ReadonlyArray<string | undefined>;
  /** @defaultValue () => new Date() */
  now?: () => Date;
}

export const REDACTED = '[redacted]';

/**
 * Fields blanked wherever they appear (at the top of a line's fields or one object down): names
 * under which a secret would be logged by mistake. The finished line is scrubbed again by {@link redact}.
 */
export const REDACTED_PATHS: readonly string[] = ['token', 'authorization', 'password', 'secret', 'DISCORD_TOKEN'].flatMap((key) => [
  key,
  `*.${key}`,
]);

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

/** Errors, sets, maps and bigints as JSON can hold them, however deep they sit in a line's fields. */
function plain(value: unknown, depth = 0): unknown {
  if (value instanceof Error) return serializeError(value);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object' || depth >= 6) return value;
  if (value instanceof Set) return [...(value as Set<unknown>)].map((v) => plain(v, depth + 1));
  if (value instanceof Map)
    return Object.fromEntries([...(value as Map<unknown, unknown>)].map(([k, v]) => [String(k), plain(v, depth + 1)]));
  if (Array.isArray(value)) return value.map((v) => plain(v, depth + 1));
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value; // written as pino writes it (toJSON)
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v, depth + 1)]));
}

/**
 * pino-pretty's formatter, when this is development on a terminal and it is installed; otherwise
 * undefined (production, and after `npm prune --omit=dev`, log JSON).
 */
function prettyFormatter(): ((line: string) => string) | undefined {
  try {
    // Required by name at run time, never imported: it is a development dependency.
    const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
    return prettyFactory({ colorize: process.stdout.hasColors?.() ?? false, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  } catch {
    return undefined;
  }
}

function wrap(log: PinoLogger): Logger {
  const at =
    (level: LogLevel) =>
    (msg: string, fields: LogFields = {}): void => {
      if (!log.isLevelEnabled(level)) return;
      // `msg` first in the object: it is written right after the level, time and bound fields.
      log[level]({ msg, ...(plain(fields) as LogFields) });
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (fields) => wrap(log.child(plain(fields) as LogFields)),
  };
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const {
    level = 'info',
    write = (line: string) => void process.stdout.write(`${line}\n`),
    format = process.stdout.isTTY && process.env.NODE_ENV !== 'production' ? 'pretty' : 'json',
    secrets = [],
    now = () => new Date(),
  } = options;
  const pretty = format === 'pretty' ? prettyFormatter() : undefined;
  const destination: DestinationStream = {
    write(chunk: string) {
      try {
        const line = redact(chunk.endsWith('\n') ? chunk.slice(0, -1) : chunk, secrets);
        write(pretty ? pretty(line).replace(/\n$/, '') : line);
      } catch {
        // A broken log sink must never take the bot down.
      }
    },
  };
  const log = pino(
    {
      level,
      base: null,
      timestamp: () => `,"time":"${now().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
      // Errors are made plain data before pino sees them (serializeError keeps discord.js's fields).
      serializers: { err: (value: unknown) => value },
      redact: { paths: [...REDACTED_PATHS], censor: REDACTED },
    },
    destination,
  );
  return wrap(log);
}
