/**
 * How a setting's text becomes its value: small parsers the table (table.ts) combines. Each gets the
 * trimmed text (undefined when unset or empty) and reports what is wrong through `problem`, in words
 * that name the setting; a value that may be a secret is never repeated.
 */
import { resolve } from 'node:path';

/** What a parser is given besides the text. */
export interface ParseContext {
  /** The setting's name (its environment variable). */
  readonly name: string;
  /** Where relative paths start: the project folder. */
  readonly root: string;
  /** Records what is wrong with the value; returns undefined, for `return problem(…)`. */
  readonly problem: (message: string) => undefined;
}

/** Reads a setting's text (undefined: unset or empty) into its value. */
export type Parser<T> = (raw: string | undefined, context: ParseContext) => T;

const SNOWFLAKE = /^\d{17,20}$/;

/**
 * A bot token (three base64url parts joined by dots), or any long run of mixed letters and digits
 * that could be another secret pasted into the wrong setting: never repeated in an error message.
 */
function looksLikeSecret(v: string): boolean {
  return v.length >= 24 && /^[\w.-]+$/.test(v) && /[a-z]/i.test(v) && /\d/.test(v);
}

/** A bad value as an error message shows it: quoted and short, or withheld when it may be a secret. */
export function shown(v: string): string {
  if (looksLikeSecret(v)) return 'a value that looks like a token (not shown; a token belongs in DISCORD_TOKEN only)';
  return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
}

/** Any text, as it is. */
export const text =
  (fallback?: string): Parser<string | undefined> =>
  (raw) =>
    raw ?? fallback;

/** Text with a default: never undefined. */
export const textOr =
  (fallback: string): Parser<string> =>
  (raw) =>
    raw ?? fallback;

/** A path, resolved from the project folder; `fallback` (also resolved) when unset. */
export const path =
  (fallback?: string): Parser<string | undefined> =>
  (raw, { root }) =>
    raw === undefined ? (fallback === undefined ? undefined : resolve(root, fallback)) : resolve(root, raw);

/** A path with a default: never undefined. */
export const pathOr =
  (fallback: string): Parser<string> =>
  (raw, { root }) =>
    resolve(root, raw ?? fallback);

/** One Discord id. */
export const snowflake: Parser<string | undefined> = (raw, { name, problem }) =>
  raw === undefined || SNOWFLAKE.test(raw) ? raw : problem(`${name} must be a Discord id (17 to 20 digits), got ${shown(raw)}.`);

/** Discord ids separated by commas (or spaces); the good ones are kept beside a problem naming the others. */
function idList(raw: string, { name, problem }: ParseContext): ReadonlySet<string> {
  const list = raw.split(/[\s,]+/).filter(Boolean);
  const bad = list.filter((x) => !SNOWFLAKE.test(x));
  if (bad.length) problem(`${name} must be Discord ids (17 to 20 digits) separated by commas; not ids: ${bad.map(shown).join(', ')}.`);
  return new Set(list.filter((x) => SNOWFLAKE.test(x)));
}

/** Discord ids; none when unset. */
export const snowflakes: Parser<ReadonlySet<string>> = (raw, context) => (raw === undefined ? new Set() : idList(raw, context));

/** Discord ids, or undefined when unset (unset means "no limit", unlike an empty list). */
export const snowflakesOrUnset: Parser<ReadonlySet<string> | undefined> = (raw, context) =>
  raw === undefined ? undefined : idList(raw, context);

/** true/false (also 1/0, yes/no, on/off), any case. */
export const flag =
  (fallback: boolean): Parser<boolean> =>
  (raw, { name, problem }) => {
    const v = raw?.toLowerCase();
    if (v === undefined) return fallback;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    problem(`${name} must be true or false (also 1/0, yes/no, on/off), got ${shown(v)}.`);
    return fallback;
  };

/** One of a few words, any case. */
export const oneOf =
  <const T extends string>(values: readonly T[], fallback: T): Parser<T> =>
  (raw, { name, problem }) => {
    if (raw === undefined) return fallback;
    const found = values.find((v) => v === raw.toLowerCase());
    if (found) return found;
    problem(`${name} must be one of ${values.join(', ')} (default ${fallback}), got ${shown(raw)}.`);
    return fallback;
  };

/** An http(s) URL without credentials, its trailing slashes dropped. */
export const httpUrl =
  (fallback: string): Parser<string> =>
  (raw, { name, problem }) => {
    if (raw === undefined) return fallback;
    let parsed: URL | undefined;
    try {
      parsed = new URL(raw);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      problem(`${name} must be an http(s) URL such as ${fallback}, got ${shown(raw)}.`);
    } else if (parsed.username || parsed.password) {
      problem(`${name} must not contain a user name or password.`);
    } else {
      return raw.replace(/\/+$/, '');
    }
    return fallback;
  };

/** A TCP port, 0 to 65535 (0: any free one); undefined when unset. */
export const port: Parser<number | undefined> = (raw, { name, problem }) => {
  if (raw === undefined) return undefined;
  const n = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (n <= 65535) return n;
  return problem(`${name} must be a port number from 0 to 65535 (0: any free port), got ${shown(raw)}.`);
};

/**
 * A decimal number in (`above`, `max`] or [`min`, `max`], times `scale` (rounded by `round`):
 * megabytes to bytes, seconds to milliseconds. `describe` is the problem's middle: "a number of …".
 */
export const decimal =
  <F extends number | undefined>(options: {
    fallback: F;
    min?: number;
    above?: number;
    max: number;
    scale: number;
    round: (n: number) => number;
    describe: string;
  }): Parser<number | F> =>
  (raw, { name, problem }) => {
    if (raw === undefined) return options.fallback;
    const n = Number(raw);
    const inRange =
      (options.above === undefined || n > options.above) && (options.min === undefined || n >= options.min) && n <= options.max;
    if (!/^\d+(\.\d+)?$/.test(raw) || !inRange) {
      problem(`${name} must be ${options.describe}, got ${shown(raw)}.`);
      return options.fallback;
    }
    return options.round(n * options.scale);
  };

/** A whole number from 1 to `max`. */
export function wholeNumber(v: string, max: number, { name, problem }: ParseContext, orAuto = ''): number | undefined {
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (n >= 1 && n <= max) return n;
  return problem(`${name} must be a whole number from 1 to ${max}${orAuto}, got ${shown(v)}.`);
}
