/**
 * Vitest global setup: the bundled archive (`data/`) must be exactly as the clone has it after the
 * whole suite — no test writes into it, not even an index cache. Tests make their own archives in a
 * temporary folder, or point the cache elsewhere (CACHE_DIR) when they must read `data/`.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const DATA = path.resolve(import.meta.dirname, '..', 'data');

/** Every entry under data/ (hidden ones included) with its size and modification time. */
function listing(folder = DATA, prefix = ''): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix + entry.name;
    if (entry.isDirectory()) return [`${relative}/`, ...listing(path.join(folder, entry.name), `${relative}/`)];
    const { size, mtimeMs } = statSync(path.join(folder, entry.name));
    return [`${relative} ${size} ${mtimeMs}`];
  });
}

export default function setup(): () => void {
  const before = listing();
  return () => {
    const after = listing();
    const added = after.filter((line) => !before.includes(line));
    const removed = before.filter((line) => !after.includes(line));
    if (added.length || removed.length) {
      // Vitest reports a teardown error but keeps the exit code: set it, so CI fails.
      process.exitCode = 1;
      throw new Error(`tests changed data/: added or changed ${JSON.stringify(added)}, removed ${JSON.stringify(removed)}`);
    }
  };
}
