/**
 * Changing the archive folder from Discord: /upload writes under `uploads/`, /remove moves a file to
 * `.archivist-trash/` (a hidden folder the loader never reads). Nothing is ever overwritten or
 * deleted: a name that is taken gets a suffix (`name-2.md`), and every file appears at its new place
 * whole or not at all. Nothing here knows about Discord.
 */
import { randomBytes } from 'node:crypto';
import { link, lstat, mkdir, mkdtemp, realpath, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import {
  checkFileInWorker,
  SUPPORTED_EXTENSIONS,
  type ArchiveDocument,
  type FrontMatterFields,
  type SkippedFile,
} from '../../archive/index.js';
import { DEFAULT_LOAD_TIMEOUT_MS } from '../holder.js';

/** What /upload and /remove answer when UPLOADS=off (a read-only archive, as docs/deploy.md's unit has it). */
export const UPLOADS_OFF =
  'Adding and removing documents from Discord is off on this bot (UPLOADS=off): its archive folder is read-only to it. Change the files on the server, then run `/reload`.';

/** Where /upload puts files, relative to the archive folder. */
export const UPLOADS_FOLDER = 'uploads';
/** Where /remove puts files, relative to the archive folder: hidden, so the loader skips it. */
export const TRASH_FOLDER = '.archivist-trash';

/** Longest file name /upload writes, extension included, in characters. */
const MAX_NAME_CHARS = 100;
/**
 * ...and in UTF-8 bytes: file systems limit names to 255 bytes, and a CJK character takes 3 (100 of
 * them are 300). Room is left for the `-999` a taken name gets, and the staging folder's names.
 */
const MAX_NAME_BYTES = 200;
/** Suffixes tried for a name that is taken (`-2` … `-999`) before giving up. */
const MAX_SUFFIX = 999;

/** The archive's extension of `name` (lower case), or undefined when the archive does not read such files. */
export function archiveExtension(name: string): string | undefined {
  const extension = extname(name).toLowerCase();
  return (SUPPORTED_EXTENSIONS as readonly string[]).includes(extension) ? extension : undefined;
}

/**
 * A file name that is safe to write: no folders (`../`, `\`), not hidden, no control, format
 * (bidi, zero-width) or other invisible characters, compatibility forms folded (NFKC), only letters,
 * digits, `-`, `_` and `.`, at most {@link MAX_NAME_CHARS} characters and {@link MAX_NAME_BYTES} bytes, ending in `extension`.
 */
export function safeFileName(name: string, extension: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const stem = base.slice(0, base.length - extname(base).length);
  const cleaned = stem
    .normalize('NFKC')
    .replace(/[\p{C}\p{Zl}\p{Zp}]/gu, '')
    .replace(/[^\p{L}\p{M}\p{N}._-]+/gu, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-{2,}/g, '-')
    .replace(/^[.\-_]+|[.\-_]+$/g, '');
  const room = MAX_NAME_CHARS - extension.length;
  let byteRoom = MAX_NAME_BYTES - Buffer.byteLength(extension);
  const kept: string[] = [];
  for (const char of [...cleaned].slice(0, room)) {
    byteRoom -= Buffer.byteLength(char);
    if (byteRoom < 0) break;
    kept.push(char);
  }
  const short = kept.join('').replace(/[.\-_]+$/, '');
  return `${short || 'upload'}${extension}`;
}

/** `name`, then `stem-2.ext`, `stem-3.ext`, … */
function candidates(name: string): string[] {
  const extension = extname(name);
  const stem = name.slice(0, name.length - extension.length);
  return [name, ...Array.from({ length: MAX_SUFFIX - 1 }, (_, i) => `${stem}-${i + 2}${extension}`)];
}

/**
 * Moves the file at `from` into `folder` as `name`, or the first free suffixed name; returns the
 * name used. A hard link claims the name atomically (it fails if the name exists), then the old
 * name is removed; where links are not allowed, a checked rename does the same (a race can then
 * only lose the suffix, never a file, since rename is only tried on a name seen free).
 */
export async function moveWithoutOverwrite(from: string, folder: string, name: string): Promise<string> {
  for (const candidate of candidates(name)) {
    const to = join(folder, candidate);
    try {
      await link(from, to);
      await unlink(from);
      return candidate;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code !== 'EPERM' && code !== 'EXDEV' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
      if (await exists(to)) continue;
      await rename(from, to);
      return candidate;
    }
  }
  throw new Error(`every name from ${name} to its -${MAX_SUFFIX} suffix is taken`);
}

/** A file system error's code (`EACCES`, `ENOSPC`): what an admin can look up, without paths. */
function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : 'unexpected error';
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** True when `path` is `root` or inside it (both absolute, resolved). */
function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root + sep);
}

/** The archive folder's real path, or why it cannot take files (it is one file, or missing). */
async function archiveFolder(root: string): Promise<{ ok: true; real: string } | { ok: false; reason: string }> {
  try {
    const real = await realpath(root);
    if (!(await stat(real)).isDirectory()) {
      return { ok: false, reason: 'the archive is a single file, not a folder, so files cannot be added to it or removed from it here' };
    }
    return { ok: true, real };
  } catch {
    return { ok: false, reason: 'the archive folder cannot be read' };
  }
}

/** What the loader made of an upload before it was placed. */
export interface CheckedUpload {
  /** The documents the loader read from the file (ids are provisional). */
  documents: readonly ArchiveDocument[];
  /** Records of the file the loader skipped, with why (the file as a whole was readable). */
  skipped: readonly SkippedFile[];
}

export type SaveResult = ({ ok: true; file: string } & CheckedUpload) | { ok: false; reason: string; skipped?: readonly SkippedFile[] };

export interface SaveOptions {
  /** Front matter to set in the file first (Markdown and text files). @defaultValue none */
  frontMatter?: FrontMatterFields;
  /** The check (writing and loading the file, in a worker) is stopped after this long (RELOAD_TIMEOUT_S). @defaultValue 10 minutes */
  timeoutMs?: number;
}

/**
 * Checks `bytes` (with `frontMatter` set) with the archive's own loader, as the file `name` would
 * be read, and saves it as `uploads/<name>` (suffixed if taken). A file the loader would not take a
 * document from is not saved; the reasons are the loader's. The file is written and checked in a
 * worker thread, within the reload's deadline, in a hidden folder inside `uploads/` (a reload
 * meanwhile skips it), then moved into place whole. `file` is its path relative to the archive,
 * `/`-separated, as the archive names it.
 */
export async function saveUpload(
  root: string,
  name: string,
  bytes: Uint8Array,
  { frontMatter = {}, timeoutMs = DEFAULT_LOAD_TIMEOUT_MS }: SaveOptions = {},
): Promise<SaveResult> {
  const folder = await archiveFolder(root);
  if (!folder.ok) return folder;
  const uploads = join(folder.real, UPLOADS_FOLDER);
  let staging: string;
  try {
    await mkdir(uploads, { recursive: true });
    if (!inside(folder.real, await realpath(uploads))) return { ok: false, reason: `${UPLOADS_FOLDER}/ leads out of the archive folder` };
    staging = await mkdtemp(join(uploads, `.incoming-${randomBytes(4).toString('hex')}-`));
  } catch (error) {
    return { ok: false, reason: `the bot cannot write to ${UPLOADS_FOLDER}/ in the archive folder (${errorCode(error)})` };
  }
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    const staged = join(staging, name);
    const loaded = await checkFileInWorker(staged, bytes, { frontMatter, signal: deadline });
    if (!loaded.ok) return loaded;
    if (loaded.documents.length === 0) {
      return { ok: false, reason: 'the archive would take no document from it', skipped: loaded.skipped };
    }
    const placed = await moveWithoutOverwrite(staged, uploads, name);
    return { ok: true, file: `${UPLOADS_FOLDER}/${placed}`, documents: loaded.documents, skipped: loaded.skipped };
  } catch (error) {
    if (deadline.aborted)
      return { ok: false, reason: `checking it took longer than the ${timeoutMs / 1000} s limit (RELOAD_TIMEOUT_S) and was stopped` };
    return { ok: false, reason: `the bot could not write the file into ${UPLOADS_FOLDER}/ (${errorCode(error)})` };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

export type TrashResult = { ok: true; trashedAs: string } | { ok: false; reason: string };

/**
 * Moves the archive file `file` (relative, `/`-separated, as documents name it) into
 * `.archivist-trash/`, keeping its folders (`uploads/a.md` → `.archivist-trash/uploads/a.md`, suffixed
 * if taken). Refuses anything that is not a file inside the archive folder.
 */
export async function moveToTrash(root: string, file: string): Promise<TrashResult> {
  const folder = await archiveFolder(root);
  if (!folder.ok) return folder;
  const refused: TrashResult = { ok: false, reason: `${file} is not a file inside the archive folder` };
  const parts = file.split('/');
  if (isAbsolute(file) || file.includes('\\') || parts.some((p) => p === '' || p === '.' || p === '..') || parts[0] === TRASH_FOLDER) {
    return refused;
  }
  const path = resolve(folder.real, ...parts);
  if (!inside(folder.real, path)) return refused;
  try {
    // The folder it is in must really be inside the archive (a symlinked folder could lead out).
    if (!inside(folder.real, await realpath(dirname(path)))) return refused;
    const stats = await lstat(path);
    if (!stats.isFile() && !stats.isSymbolicLink()) return refused;
  } catch {
    return { ok: false, reason: `${file} is no longer in the archive folder (moved or deleted since the last load)` };
  }
  const trashFolder = join(folder.real, TRASH_FOLDER, ...parts.slice(0, -1));
  try {
    await mkdir(trashFolder, { recursive: true });
    const placed = await moveWithoutOverwrite(path, trashFolder, parts.at(-1)!);
    return { ok: true, trashedAs: relative(folder.real, join(trashFolder, placed)).split(sep).join('/') };
  } catch (error) {
    return { ok: false, reason: `the bot could not move it into ${TRASH_FOLDER}/ (${errorCode(error)})` };
  }
}
