/**
 * Running one benchmark step in a child process of its own (so its memory and JIT state are its
 * own) and reading back the one line it marks as its answer: `<marker> {json}` on stdout.
 */
import { spawn } from 'node:child_process';
import { projectRoot } from './paths.js';

export interface ChildRun {
  /** Script to run under tsx, relative to the project root. */
  script: string;
  args: string[];
  /** The answer line's prefix, e.g. `@@RESULT`. */
  marker: string;
  /** Extra Node flags (before `--import tsx`). */
  nodeArgs?: string[];
  /** Kill the child and reject after this long. */
  timeoutMs?: number;
}

/** The parsed answer and the child's whole wall time, or a rejection naming how it failed. */
export function runMarkedChild<T>({ script, args, marker, nodeArgs = [], timeoutMs }: ChildRun): Promise<{ value: T; wallMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`timed out after ${timeoutMs / 1000} s`));
          }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      const line = stdout.split('\n').find((l) => l.startsWith(`${marker} `));
      if (code === 0 && line) {
        resolve({ value: JSON.parse(line.slice(marker.length + 1)) as T, wallMs });
        return;
      }
      const lines = stderr.trim().split('\n');
      const lastError = lines.find((l) => /error/i.test(l)) ?? lines.at(-1) ?? '';
      reject(new Error(`${script} exited ${code ?? signal}: ${lastError}`));
    });
  });
}
