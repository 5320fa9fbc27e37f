/**
 * The SQLite votes database's files: where they are by default, and that only the bot's user can
 * read or change them. Questions and the salt that links votes to voters are private, so the
 * database (its -wal and -shm follow its mode) and the salt file are created 0600, a file of ours
 * that others can read is made private, and a file another user owns or can write, or a folder
 * every user can write, is refused rather than adopted (someone else could have planted it, salt
 * included, to read every question and link voters).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { copyFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/** The database's file name when FEEDBACK_DB is not set: hidden, so the archive loader never reads it. */
export const FEEDBACK_FILE_NAME = '.archivist-feedback.sqlite';

/**
 * Where the votes database is when FEEDBACK_DB is not set. With CACHE_DIR set the operator has said
 * the archive folder is not to be written (a read-only archive), so the database goes inside
 * CACHE_DIR, a folder the bot made for itself; never beside it, since its parent can be a shared
 * folder such as /tmp. Otherwise inside the archive folder (beside a one-file archive), the
 * operator's own folder, as the index cache is by default.
 */
export function defaultFeedbackPath(archivePath: string, cacheDir?: string): string {
  if (cacheDir) return join(cacheDir, FEEDBACK_FILE_NAME);
  const isFile = statSync(archivePath, { throwIfNoEntry: false })?.isFile() ?? false;
  return join(isFile ? dirname(archivePath) : archivePath, FEEDBACK_FILE_NAME);
}

/** Where the database was by default, when CACHE_DIR was set, before it moved out of the folder holding the cache. */
export function formerFeedbackPath(cacheDir: string): string {
  return join(dirname(cacheDir), FEEDBACK_FILE_NAME);
}

/** The file holding the salt of the voters' hashes: beside the database, never inside it, so a copy of the database links no votes. */
function saltPath(databasePath: string): string {
  return `${databasePath}.salt`;
}

/** A votes database (or its folder, or salt) the bot will not use; the message says why and what to do. */
export class UnsafeFeedbackFileError extends Error {
  override readonly name = 'UnsafeFeedbackFileError';
}

const OWNER_ONLY = 0o600;

/** This process's user id; undefined where file owners do not apply (Windows). */
const ownUid = (): number | undefined => process.getuid?.();

function checkFolder(folder: string): void {
  const uid = ownUid();
  const stats = statSync(folder);
  if (uid === undefined) return;
  if (stats.uid !== uid && stats.uid !== 0) {
    throw new UnsafeFeedbackFileError(
      `the folder ${folder} belongs to another user (uid ${stats.uid}), who could replace the votes database; set FEEDBACK_DB to a file in a folder of the bot's own user`,
    );
  }
  if (stats.mode & 0o002) {
    throw new UnsafeFeedbackFileError(
      `the folder ${folder} is writable by every user, who could plant or replace the votes database; set FEEDBACK_DB to a file in a folder only the bot's user can write`,
    );
  }
}

/** Refuses `path` when another user owns it or can write it; makes it private when others could read it. Nothing to check when it does not exist. */
function checkOwnFile(path: string, what: string): void {
  const stats: Stats | undefined = statSync(path, { throwIfNoEntry: false });
  const uid = ownUid();
  if (!stats || uid === undefined) return;
  if (!stats.isFile()) throw new UnsafeFeedbackFileError(`${what} ${path} is not a file`);
  if (stats.uid !== uid) {
    throw new UnsafeFeedbackFileError(
      `${what} ${path} belongs to another user (uid ${stats.uid}), so the bot will not use it: someone else may have put it there. Move it away, or set FEEDBACK_DB`,
    );
  }
  if (stats.mode & 0o002) {
    throw new UnsafeFeedbackFileError(
      `${what} ${path} can be changed by every user (mode ${(stats.mode & 0o777).toString(8)}), so the bot will not use it. Check it, then chmod 600 it`,
    );
  }
  if (stats.mode & 0o077) chmodSync(path, OWNER_ONLY);
}

/**
 * Makes ready the files of the votes database at `path` for the bot to write: creates its folder
 * (0700) and an empty database file (0600) when missing, and checks the folder, the database, its
 * -wal and -shm and the salt file (see the module comment).
 *
 * @throws UnsafeFeedbackFileError when one of them must not be used.
 */
export function prepareFeedbackFiles(path: string): void {
  const folder = dirname(path);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  checkFolder(folder);
  try {
    // Created here, 0600, before SQLite opens it (SQLite would create it with the umask's mode).
    closeSync(openSync(path, 'wx', OWNER_ONLY));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  checkOwnFile(path, 'the votes database');
  for (const suffix of ['-wal', '-shm']) checkOwnFile(`${path}${suffix}`, `the votes database's ${suffix.slice(1)} file`);
  checkOwnFile(saltPath(path), "the votes database's salt file");
}

/**
 * The salt for voters' hashes, from the salt file beside `path`. Missing, it is made: from
 * `legacy` (the salt an older version kept inside the database) so earlier votes keep their
 * hashes, else at random; and written 0600.
 */
export function readOrCreateSalt(path: string, legacy: string | undefined): string {
  const file = saltPath(path);
  try {
    const salt = readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/.test(salt))
      throw new UnsafeFeedbackFileError(`the salt file ${file} does not hold a salt; restore it from a backup or move it away`);
    return salt;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const salt = legacy ?? randomBytes(32).toString('hex');
  writeFileSync(file, `${salt}\n`, { flag: 'wx', mode: OWNER_ONLY });
  return salt;
}

/**
 * A private copy of the database at `path` (with its -wal, which may hold the latest votes) in a
 * new temporary folder: for reading a database whose folder this user cannot write, where SQLite
 * cannot open a WAL database even to read.
 */
export async function copyForReading(path: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'archivist-feedback-copy-'));
  const copy = join(folder, basename(path));
  await copyFile(path, copy);
  await copyFile(`${path}-wal`, `${copy}-wal`).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  return copy;
}
