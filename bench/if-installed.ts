/**
 * `tsx bench/if-installed.ts <command> [args…]`: runs the command (a gate over bench/: its type
 * check, its lint) when the benchmark's dependencies are installed; otherwise says it skipped it
 * and how to install them, and succeeds. CI (.ci/run) installs them, so CI never skips.
 */
import { spawnSync } from 'node:child_process';
import { missingBenchDependencies, notInstalledMessage } from './installed.js';

const [command, ...args] = process.argv.slice(2);
if (command === undefined) {
  process.stderr.write('usage: tsx bench/if-installed.ts <command> [args…]\n');
  process.exit(2);
}
const missing = missingBenchDependencies();
if (missing.length > 0) {
  process.stderr.write(`Skipped \`${[command, ...args].join(' ')}\`: ${notInstalledMessage(missing)}`);
  process.exit(0);
}
const run = spawnSync(command, args, { stdio: 'inherit' });
if (run.error) throw run.error;
process.exit(run.status ?? 1);
