/**
 * Whether the benchmark's own dependencies (bench/package.json: the peer libraries) are installed.
 * The root `npm ci` installs only what the bot and the CLI use, so the benchmark, its type check,
 * its lint and its tests run only once `npm --prefix bench ci` has installed them.
 *
 * This module imports nothing from those dependencies: it is what runs before them.
 */
import { readFileSync } from 'node:fs';

/** The one command that installs the benchmark's dependencies, from the project root. */
export const INSTALL_COMMAND = 'npm --prefix bench ci';

/** Names of bench/package.json dependencies that cannot be resolved from bench/. */
export function missingBenchDependencies(): string[] {
  const manifest = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  return Object.keys(manifest.dependencies ?? {}).filter((name) => {
    try {
      import.meta.resolve(name);
      return false;
    } catch {
      return true;
    }
  });
}

/** What to tell someone about to use the benchmark without its dependencies. */
export function notInstalledMessage(missing: readonly string[]): string {
  return `The benchmark's dependencies are not installed (missing: ${missing.join(', ')}). Install them once with:\n\n  ${INSTALL_COMMAND}\n`;
}
