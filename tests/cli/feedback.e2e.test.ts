/**
 * `archivist feedback` (red team, round 2): it reads a copy of the votes database that is read-only
 * to it (a backup, a read-only mount), says plainly when there is no database, and prints
 * members' questions without the controls that could reorder or rewrite the terminal.
 */
import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../src/settings/index.js';
import { SqliteFeedbackStore } from '../../src/feedback/store.js';
import { unprivilegedSpawnOptions } from '../helpers/unprivileged.js';

const run = promisify(execFile);
const unprivileged = unprivilegedSpawnOptions();

async function feedback(args: string[], options: { uid?: number; gid?: number } = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'feedback', ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, FEEDBACK_DB: '', DATA_DIR: '', CACHE_DIR: '' },
      ...options,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

describe('archivist feedback', () => {
  test.skipIf('skip' in unprivileged)(
    'reads a read-only copy of the database, and strips bidi and control characters from questions',
    async () => {
      const source = join(await mkdtemp(join(tmpdir(), 'archivist-votes-src-')), 'feedback.sqlite');
      const store = SqliteFeedbackStore.open(source);
      // Right-to-left override: on a terminal the rest of the line would read backwards ("...txt.exe").
      const question = 'which report\u202Etxt.exe\u202C is \u2066right\u2069 \u001b[2Jnow?';
      store.vote(store.recordAnswer(question, []), '1400000000000005001', false);
      store.close();

      // A backup in a folder nobody may write, the file read-only: SQLite cannot open it in place even to read.
      const backups = await mkdtemp(join(tmpdir(), 'archivist-votes-copy-'));
      const copy = join(backups, 'votes', 'feedback.sqlite');
      await mkdir(join(backups, 'votes'));
      await copyFile(source, copy);
      await copyFile(`${source}-wal`, `${copy}-wal`).catch(() => undefined);
      await chmod(copy, 0o444);
      await chmod(`${copy}-wal`, 0o444).catch(() => undefined);
      await chmod(join(backups, 'votes'), 0o555);
      await chmod(backups, 0o755);

      const { code, stdout, stderr } = await feedback(['--db', copy], 'options' in unprivileged ? unprivileged.options : {});
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toContain('Answers:   1 rated, 1 vote: 0% helpful (0 up, 1 down)');
      expect(stdout).toContain('  1 down, 0 up: which reporttxt.exe is right  [2Jnow?');
      expect(stdout).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u001b]/);
    },
  );

  test('no database: says there is none yet, and where it looked', async () => {
    const missing = join(await mkdtemp(join(tmpdir(), 'archivist-votes-none-')), 'feedback.sqlite');
    const { code, stderr } = await feedback(['--db', missing]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `archivist: no votes database at ${missing}: the bot creates it when it first shows an answer with 👍/👎 buttons (set FEEDBACK_DB or --db to read another)\n`,
    );
  });
});
