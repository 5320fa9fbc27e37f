/**
 * `npm run bench`: checks that the benchmark's own dependencies are installed, then runs it. A
 * separate entry because bench/main.ts imports the peer libraries statically, and a missing one
 * would otherwise fail as a bare ERR_MODULE_NOT_FOUND instead of saying how to install it.
 */
import { missingBenchDependencies, notInstalledMessage } from './installed.js';

const missing = missingBenchDependencies();
if (missing.length > 0) {
  process.stderr.write(notInstalledMessage(missing));
  process.exit(1);
}
await import('./main.js');
