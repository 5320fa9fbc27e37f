/**
 * The votes database's files on disk (red team, round 2): created private, the salt apart from the
 * votes, and a database someone else planted — another user's, writable by others, or in a folder
 * every user can write — refused rather than adopted.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { chmod, chown, mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { SqliteFeedbackStore, UnsafeFeedbackFileError } from '../../src/feedback/store.js';
import { NOBODY, runningAsRoot } from '../helpers/unprivileged.js';

const ALICE = '1400000000000005001';

async function privateFolder(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'archivist-votes-'));
}

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe('the votes database’s files', () => {
  test('database, -wal, -shm and salt are created 0600, and the salt is not inside the database', async () => {
    const path = join(await privateFolder(), 'state', 'feedback.sqlite');
    const store = SqliteFeedbackStore.open(path);
    store.vote(store.recordAnswer('where is the dam?', []), ALICE, true);
    for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}.salt`]) expect(await modeOf(file), file).toBe(0o600);
    expect(await modeOf(join(path, '..'))).toBe(0o700);
    const salt = (await readFile(`${path}.salt`, 'utf8')).trim();
    expect(store.userHash(ALICE)).toBe(createHash('sha256').update(`${salt}:${ALICE}`).digest('hex'));
    store.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare("SELECT COUNT(*) AS n FROM meta WHERE key = 'salt'").get()).toEqual({ n: 0 });
    db.close();
  });

  test('an older database: the salt inside it moves to the salt file (the same hashes), and a readable file is made private', async () => {
    const path = join(await privateFolder(), 'feedback.sqlite');
    const legacySalt = 'ab'.repeat(32);
    const old = new Database(path);
    old.exec('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    old.prepare('INSERT INTO meta VALUES (?, ?)').run('salt', legacySalt);
    old.close();
    await chmod(path, 0o644);
    const store = SqliteFeedbackStore.open(path);
    expect(store.userHash(ALICE)).toBe(createHash('sha256').update(`${legacySalt}:${ALICE}`).digest('hex'));
    store.close();
    expect((await readFile(`${path}.salt`, 'utf8')).trim()).toBe(legacySalt);
    expect(await modeOf(path)).toBe(0o600);
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM meta').get()).toEqual({ n: 0 });
    db.close();
  });

  test('a folder every user can write (such as /tmp) is refused', async () => {
    const shared = await privateFolder();
    await chmod(shared, 0o1777);
    expect(() => SqliteFeedbackStore.open(join(shared, 'feedback.sqlite'))).toThrow(
      new UnsafeFeedbackFileError(
        `the folder ${shared} is writable by every user, who could plant or replace the votes database; set FEEDBACK_DB to a file in a folder only the bot's user can write`,
      ),
    );
  });

  test('a database or salt file others can write is refused, not adopted', async () => {
    const folder = await privateFolder();
    const path = join(folder, 'feedback.sqlite');
    await writeFile(path, '');
    await chmod(path, 0o666);
    expect(() => SqliteFeedbackStore.open(path)).toThrow(
      `the votes database ${path} can be changed by every user (mode 666), so the bot will not use it. Check it, then chmod 600 it`,
    );
    await chmod(path, 0o600);
    await writeFile(`${path}.salt`, `${'cd'.repeat(32)}\n`, { mode: 0o666 });
    await chmod(`${path}.salt`, 0o666);
    expect(() => SqliteFeedbackStore.open(path)).toThrow(
      `the votes database's salt file ${path}.salt can be changed by every user (mode 666)`,
    );
  });

  test.skipIf(!runningAsRoot)('a database, -wal or salt file another user owns is refused (as root: files given to nobody)', async () => {
    for (const planted of ['', '-wal', '.salt']) {
      const folder = await privateFolder();
      const path = join(folder, 'feedback.sqlite');
      await mkdir(folder, { recursive: true });
      await writeFile(`${path}${planted}`, '', { mode: 0o600 });
      await chown(`${path}${planted}`, NOBODY, NOBODY);
      expect(() => SqliteFeedbackStore.open(path), planted).toThrow(/belongs to another user \(uid 65534\), so the bot will not use it/);
    }
  });
});
