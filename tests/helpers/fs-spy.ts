/**
 * Watches (and can interfere with) what the code under test does to the file system, in this test
 * process: the path-taking functions of `node:fs` and `node:fs/promises` are wrapped, and
 * `syncBuiltinESMExports` makes the wrappers what every `import { open } from 'node:fs/promises'`
 * sees. Used to prove the bot reads nothing outside its archive, and to delete or rewrite a file at
 * the moment a reload opens it.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

/** Called before the real function with its name and path (and every call recorded so far); may throw, or change the file first. */
export type FsHook = (call: { fn: string; path: string }, calls: ReadonlyArray<{ fn: string; path: string }>) => void | Promise<void>;

const PROMISE_FNS = [
  'open',
  'readFile',
  'readdir',
  'opendir',
  'stat',
  'lstat',
  'realpath',
  'access',
  'writeFile',
  'appendFile',
  'rename',
  'unlink',
  'rm',
  'mkdir',
  'copyFile',
] as const;
const SYNC_FNS = [
  'openSync',
  'readFileSync',
  'readdirSync',
  'opendirSync',
  'statSync',
  'lstatSync',
  'realpathSync',
  'accessSync',
  'existsSync',
  'writeFileSync',
  'appendFileSync',
  'renameSync',
  'unlinkSync',
  'rmSync',
  'mkdirSync',
  'copyFileSync',
] as const;
const CALLBACK_FNS = [
  'open',
  'readFile',
  'readdir',
  'stat',
  'lstat',
  'realpath',
  'access',
  'writeFile',
  'createReadStream',
  'createWriteStream',
] as const;

function pathOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg instanceof URL) return arg.pathname;
  if (Buffer.isBuffer(arg)) return arg.toString();
  return undefined;
}

/** Records every file system call with a path (and runs `hook` first) until the returned stop() is called. */
export function spyOnFs(hook?: FsHook): { calls: Array<{ fn: string; path: string }>; stop: () => void } {
  const calls: Array<{ fn: string; path: string }> = [];
  const restore: Array<() => void> = [];
  const wrap = (owner: Record<string, unknown>, name: string, label: string, async: boolean) => {
    const original = owner[name];
    if (typeof original !== 'function') return;
    const wrapped = async
      ? async function (this: unknown, ...args: unknown[]) {
          const path = pathOf(args[0]);
          if (path !== undefined) {
            calls.push({ fn: label, path });
            await hook?.({ fn: label, path }, calls);
          }
          return (original as (...a: unknown[]) => unknown).apply(this, args);
        }
      : function (this: unknown, ...args: unknown[]) {
          const path = pathOf(args[0]);
          if (path !== undefined) calls.push({ fn: label, path });
          return (original as (...a: unknown[]) => unknown).apply(this, args);
        };
    owner[name] = wrapped;
    restore.push(() => (owner[name] = original));
  };
  const promises = fs.promises as unknown as Record<string, unknown>;
  const sync = fs as unknown as Record<string, unknown>;
  for (const name of PROMISE_FNS) wrap(promises, name, `promises.${name}`, true);
  for (const name of SYNC_FNS) wrap(sync, name, name, false);
  for (const name of CALLBACK_FNS) wrap(sync, name, name, false);
  syncBuiltinESMExports();
  return {
    calls,
    stop: () => {
      for (const undo of restore.reverse()) undo();
      syncBuiltinESMExports();
    },
  };
}

/** Runs `action` with `hook` before each file system call it makes; the spy stops however `action` ends. */
export async function withFsHook<T>(hook: FsHook, action: () => Promise<T>): Promise<T> {
  const spy = spyOnFs(hook);
  try {
    return await action();
  } finally {
    spy.stop();
  }
}

/** Bytes this process has read through system calls so far (Linux), or undefined where unknown. */
export function bytesReadByProcess(): number | undefined {
  try {
    const io = fs.readFileSync('/proc/self/io', 'utf8');
    const match = /^rchar:\s*(\d+)/m.exec(io);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
