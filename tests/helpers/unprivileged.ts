/**
 * Running part of a test as an unprivileged user. Root reads every file whatever its permissions, so
 * when the tests run as root (as in CI) an "unreadable file" can only be tested from a child process
 * running as `nobody` — which needs to be able to read the project (node_modules, sources).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/settings/index.js';

export const NOBODY = 65534;
export const runningAsRoot = process.getuid?.() === 0;

/**
 * How to run a child that cannot read a file with mode 000: `{}` (as this user) when not root,
 * `{ uid, gid }` of nobody when root and nobody can read the project, else a reason to skip.
 */
export function unprivilegedSpawnOptions(): { options: { uid?: number; gid?: number } } | { skip: string } {
  if (process.platform === 'win32') return { skip: 'file modes do not apply on Windows' };
  if (!runningAsRoot) return { options: {} };
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `require('fs').accessSync(${JSON.stringify(join(PROJECT_ROOT, 'node_modules', 'tsx', 'package.json'))}, require('fs').constants.R_OK)`,
    ],
    { uid: NOBODY, gid: NOBODY, timeout: 10_000 },
  );
  return probe.status === 0
    ? { options: { uid: NOBODY, gid: NOBODY } }
    : { skip: `running as root and the user nobody cannot read ${PROJECT_ROOT}, so no user here is denied a mode-000 file` };
}
