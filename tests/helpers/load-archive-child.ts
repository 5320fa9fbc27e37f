/**
 * Loads the archive at argv[2] with the real loader and prints the result as JSON (or the error as
 * `{ "error": message }`). Run by tests in a child process, e.g. as another user: root reads every
 * file whatever its permissions, so an unreadable file can only be tested as someone else.
 */
import { loadArchive } from '../../src/archive/load/index.js';

const path = process.argv[2];
if (!path) throw new Error('usage: load-archive-child.ts PATH');
try {
  process.stdout.write(JSON.stringify(await loadArchive(path)));
} catch (error) {
  process.stdout.write(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
}
