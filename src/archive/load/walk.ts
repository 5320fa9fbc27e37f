/**
 * Which files make up an archive: a folder walked recursively in a stable order, or one file.
 * Reads no file contents; only names, types and sizes.
 */
import { type Dirent, type Stats, lstatSync, readFileSync, statSync } from 'node:fs';
import ignore, { type Ignore } from 'ignore';
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, extname, join, resolve, sep } from 'node:path';
import { ArchiveLoadError } from '../errors.js';
import type { SkippedFile } from '../types.js';

/** Extensions the loader reads (lower case); files with any other extension are ignored silently. */
export const SUPPORTED_EXTENSIONS = ['.md', '.markdown', '.txt', '.json', '.jsonl', '.ndjson', '.html', '.htm'] as const;
export type SupportedExtension = (typeof SUPPORTED_EXTENSIONS)[number];

export interface ArchiveFile {
  /** Absolute path to read. */
  path: string;
  /** Path relative to the archive root, `/`-separated: the name used in ids and warnings. */
  file: string;
  extension: SupportedExtension;
  size: number;
  /** Modification and status-change times (ms since the epoch): with the size, how a cache tells an unchanged file without reading it. */
  mtimeMs: number;
  ctimeMs: number;
}

export interface ArchiveListing {
  files: ArchiveFile[];
  /** Entries seen but not followed: symlinks leaving the archive, broken links, unreadable folders. */
  skipped: SkippedFile[];
  /** Files and folders matched by the archive's `.archivistignore` (not listed, not counted as skipped). */
  ignored: number;
  /** True when the archive path named one file rather than a folder. */
  singleFile: boolean;
  /** The archive path as the caller gave it (for messages). */
  archivePath: string;
}

/** The archive's own ignore file: gitignore syntax, relative to the archive root. */
const IGNORE_FILE = '.archivistignore';

/** Largest ignore file read; a bigger one is reported as skipped and nothing is ignored. */
const IGNORE_FILE_MAX_BYTES = 64 * 1024;

/**
 * The rules in the archive root's `.archivistignore`, or undefined when there is none. Read only
 * if it is a regular file within {@link IGNORE_FILE_MAX_BYTES}; otherwise it is listed as skipped.
 */
function readIgnoreRules(root: string, skipped: SkippedFile[]): Ignore | undefined {
  const path = join(root, IGNORE_FILE);
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch {
    return undefined;
  }
  if (!stats.isFile()) {
    skipped.push({ file: IGNORE_FILE, reason: 'not a regular file; nothing ignored' });
    return undefined;
  }
  if (stats.size > IGNORE_FILE_MAX_BYTES) {
    skipped.push({ file: IGNORE_FILE, reason: `larger than ${IGNORE_FILE_MAX_BYTES / 1024} KB; nothing ignored` });
    return undefined;
  }
  try {
    return ignore().add(readFileSync(path, 'utf8'));
  } catch (error) {
    skipped.push({ file: IGNORE_FILE, reason: `cannot read file: ${codeOf(error)}; nothing ignored` });
    return undefined;
  }
}

/** Hidden entries (`.git`, `.archivist-cache`) and installed packages are never archive content. */
function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

function supportedExtension(name: string): SupportedExtension | undefined {
  const extension = extname(name).toLowerCase();
  return SUPPORTED_EXTENSIONS.find((e) => e === extension);
}

/**
 * Lists the archive's files: folders depth-first, entries sorted by name (code point order, so
 * the same on every machine and locale). Symlinks are followed only while they stay inside the
 * archive root; each real folder is walked once, so link cycles end.
 *
 * @throws ArchiveLoadError when `archivePath` cannot be read at all.
 */
export async function listArchive(archivePath: string): Promise<ArchiveListing> {
  const absolute = resolve(archivePath);
  let realRoot: string;
  let rootStats: Stats;
  try {
    realRoot = await realpath(absolute);
    rootStats = await stat(realRoot);
  } catch (error) {
    throw new ArchiveLoadError('unreadable', describeFsError(error, archivePath));
  }

  if (rootStats.isFile()) {
    const extension = supportedExtension(absolute);
    if (!extension) {
      throw new ArchiveLoadError('unsupported', `${archivePath} is not a supported file type (${SUPPORTED_EXTENSIONS.join(' ')})`);
    }
    const file: ArchiveFile = { path: realRoot, file: basename(absolute), extension, ...sizeAndTimes(rootStats) };
    return { files: [file], skipped: [], ignored: 0, singleFile: true, archivePath };
  }
  if (!rootStats.isDirectory()) {
    throw new ArchiveLoadError('unsupported', `${archivePath} is neither a file nor a folder`);
  }

  const listing: ArchiveListing = { files: [], skipped: [], ignored: 0, singleFile: false, archivePath };
  const ignoreRules = readIgnoreRules(realRoot, listing.skipped);
  const visited = new Set<string>([realRoot]);
  const inside = (real: string): boolean => real === realRoot || real.startsWith(realRoot + sep);

  const walkFolder = async (folder: string, shownAs: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      // An unreadable root means there is no archive; an unreadable subfolder is one warning.
      if (folder === realRoot) throw new ArchiveLoadError('unreadable', describeFsError(error, archivePath));
      listing.skipped.push({ file: shownAs, reason: nameProblem(shownAs, error) ?? `cannot read folder: ${codeOf(error)}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

    for (const entry of entries) {
      if (isIgnoredName(entry.name)) continue;
      const path = join(folder, entry.name);
      const file = shownAs === '' ? entry.name : `${shownAs}/${entry.name}`;
      if (ignoreRules?.ignores(entry.isDirectory() ? `${file}/` : file)) {
        listing.ignored++;
        continue;
      }

      if (entry.isDirectory()) {
        visited.add(path);
        await walkFolder(path, file);
      } else if (entry.isFile()) {
        const extension = supportedExtension(entry.name);
        if (!extension) continue;
        try {
          // statSync: one stat per file is most of a listing's time, and through the thread pool
          // it cost 5-10x more (10,000 files: 0.4-1.4 s async, 0.05-0.1 s sync), which would
          // eat half of a 2 s start from the cache. Loading blocks the thread it runs on
          // anyway (analysis is synchronous); a bot that must stay responsive loads in a worker.
          listing.files.push({ path, file, extension, ...sizeAndTimes(statSync(path)) });
        } catch (error) {
          listing.skipped.push({ file, reason: nameProblem(file, error) ?? `cannot read file: ${codeOf(error)}` });
        }
      } else if (entry.isSymbolicLink()) {
        await followLink(path, file);
      } else {
        // A FIFO, socket or device is never read (a FIFO would block the load), but it is named.
        listing.skipped.push({ file, reason: `${NOT_REGULAR_FILE_REASON} (${specialKind(entry)})` });
      }
    }
  };

  const followLink = async (path: string, file: string): Promise<void> => {
    const extension = supportedExtension(file);
    let real: string;
    let target: Stats;
    try {
      real = await realpath(path);
      target = await stat(real);
    } catch {
      if (extension) listing.skipped.push({ file, reason: 'broken symlink' });
      return;
    }
    if (!target.isDirectory() && !(target.isFile() && extension)) return;
    if (!inside(real)) {
      // An archive is what is under its root; a link out could expose any file on the machine.
      listing.skipped.push({ file, reason: 'symlink points outside the archive' });
      return;
    }
    if (target.isDirectory()) {
      // A link back to a folder already walked (an ancestor, say) would loop or repeat it.
      if (visited.has(real)) return;
      visited.add(real);
      await walkFolder(real, file);
    } else if (extension) {
      listing.files.push({ path: real, file, extension, ...sizeAndTimes(target) });
    }
  };

  await walkFolder(realRoot, '');
  return listing;
}

/** The reason given for a FIFO, socket or device where an archive file could be. */
export const NOT_REGULAR_FILE_REASON = 'not a regular file';

/** Node reads a name that is not valid UTF-8 with U+FFFD in place of the bad bytes. */
const NOT_UTF8_NAME_REASON = 'file name is not valid UTF-8 (rename it)';

function specialKind(entry: Dirent): string {
  if (entry.isFIFO()) return 'a FIFO';
  if (entry.isSocket()) return 'a socket';
  return 'a device';
}

/**
 * A name that is not valid UTF-8 cannot be opened by the name Node decoded (ENOENT): say so rather
 * than report the file missing. A real name with U+FFFD in it opens, so it never gets here.
 */
function nameProblem(file: string, error: unknown): string | undefined {
  return codeOf(error) === 'ENOENT' && file.includes('\uFFFD') ? NOT_UTF8_NAME_REASON : undefined;
}

function sizeAndTimes(stats: Stats): Pick<ArchiveFile, 'size' | 'mtimeMs' | 'ctimeMs'> {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs };
}

/** The error's code (`EACCES`, `ENOENT`), which says more in a warning than a long message. */
export function codeOf(error: unknown): string {
  const code: unknown = error instanceof Error ? Reflect.get(error, 'code') : undefined;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}

/** A sentence for the user: what is wrong with the path they gave. */
export function describeFsError(error: unknown, path: string): string {
  switch (codeOf(error)) {
    case 'ENOENT':
    case 'ENOTDIR':
      return `${path} does not exist`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied reading ${path}`;
    case 'ELOOP':
      return `${path} is a symlink loop`;
    default:
      return `${path}: ${error instanceof Error ? error.message : String(error)}`;
  }
}
