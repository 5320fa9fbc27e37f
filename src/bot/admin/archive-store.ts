/**
 * Where /upload and /remove change the archive. The folder (the default): files written into and
 * moved out of DATA_DIR (archive-files.ts), as always. PostgreSQL (ARCHIVE_STORE=postgres): the
 * change is one transaction in the shared archive (src/store/archive-db.ts), every machine's sync
 * writes it into its own folder replica and reloads, and the admin's reply names each machine's
 * outcome. Either way the file is first checked with the archive's own loader.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFileInWorker } from '../../archive/index.js';
import type { ArchiveDb, MachineOutcome } from '../../store/archive-db.js';
import { DEFAULT_LOAD_TIMEOUT_MS } from '../holder.js';
import { moveToTrash, saveUpload, type SaveOptions, type SaveResult, type TrashResult } from './archive-files.js';
import { escapeText, plural, truncate } from '../../discord/format.js';

/** An upload's outcome; `version` is the shared archive's version that holds it (PostgreSQL). */
type StoreSaveResult = SaveResult & { version?: number };
/** A removal's outcome: moved to the trash folder (`trashedAs`), or marked removed in the shared archive (`version`). */
type StoreRemoveResult = TrashResult | { ok: true; trashedAs?: undefined; version: number };

export interface ArchiveStore {
  readonly kind: 'folder' | 'postgres';
  /** Checks `bytes` (front matter set) with the loader, in a worker within the deadline, and adds them as `uploads/<name>` (suffixed when taken). */
  saveUpload(name: string, bytes: Uint8Array, by: string, options?: SaveOptions): Promise<StoreSaveResult>;
  /** Takes the archive file `file` out. */
  remove(file: string, by: string): Promise<StoreRemoveResult>;
  /** A /reload: every machine reloads (the version it will reach), or undefined when only this one does. */
  announceReload(by: string): Promise<number | undefined>;
  /** Lines for the admin naming every machine's outcome for `version` (waiting up to the deadline); none for the folder. */
  machineLines(version: number | undefined): Promise<string[]>;
}

/** The archive folder as today: nothing shared. */
export function folderStore(root: string): ArchiveStore {
  return {
    kind: 'folder',
    saveUpload: (name, bytes, _by, options) => saveUpload(root, name, bytes, options),
    remove: (file) => moveToTrash(root, file),
    announceReload: () => Promise.resolve(undefined),
    machineLines: () => Promise.resolve([]),
  };
}

/** Why a change to the shared archive did not happen, for the admin. */
export const DATABASE_DOWN = 'the shared archive (PostgreSQL) cannot be reached right now; try again in a few minutes';

/** How long the admin's reply waits for the other machines. */
const MACHINES_DEADLINE_MS = 30_000;
/** Machines seen this recently are expected to answer (each one writes at least every backstop poll). */
const MACHINE_SEEN_WITHIN_MS = 5 * 60_000;

interface PostgresStoreOptions {
  db: ArchiveDb;
  /** @defaultValue {@link MACHINES_DEADLINE_MS} */
  deadlineMs?: number;
  /** Told why a database call failed (the admin only sees {@link DATABASE_DOWN}). */
  onError?: (err: unknown) => void;
}

export function postgresStore({ db, deadlineMs = MACHINES_DEADLINE_MS, onError = () => {} }: PostgresStoreOptions): ArchiveStore {
  return {
    kind: 'postgres',
    async saveUpload(name, bytes, by, options) {
      const checked = await checkUpload(name, bytes, options);
      if (!checked.ok) return checked;
      try {
        const { file, version } = await db.addUpload(name, checked.bytes, by);
        return { ok: true, file, documents: checked.documents, skipped: checked.skipped, version };
      } catch (err) {
        onError(err);
        return { ok: false, reason: DATABASE_DOWN };
      }
    },
    async remove(file, by) {
      try {
        return await db.remove(file, by);
      } catch (err) {
        onError(err);
        return { ok: false, reason: DATABASE_DOWN };
      }
    },
    async announceReload(by) {
      return db.requestReload(by);
    },
    async machineLines(version) {
      if (version === undefined) return [];
      const deadline = Date.now() + deadlineMs;
      let machines: Awaited<ReturnType<ArchiveDb['outcomesSince']>>;
      for (;;) {
        try {
          machines = await db.outcomesSince(version, MACHINE_SEEN_WITHIN_MS);
        } catch (err) {
          onError(err);
          return ['**Machines:** the shared archive cannot be reached to read their outcomes.'];
        }
        if (machines.every((m) => m.outcome) || Date.now() >= deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      return machinesReport(machines, deadlineMs);
    },
  };
}

/** Every machine's outcome for the admin: one line each, those that did not answer by the deadline named. */
function machinesReport(machines: ReadonlyArray<{ machine: string; outcome?: MachineOutcome }>, deadlineMs: number): string[] {
  const done = machines.filter((m) => m.outcome?.ok).length;
  const lines = [`**Machines:** ${done} of ${plural(machines.length, 'machine')} reloaded.`];
  for (const { machine, outcome } of machines) {
    const name = `**${escapeText(truncate(machine, 64))}**`;
    if (!outcome) {
      lines.push(`- ${name}: no answer within ${Math.round(deadlineMs / 1000)} s; it catches up from the database when it is back.`);
    } else if (outcome.ok) {
      lines.push(`- ${name}: ${plural(outcome.documents, 'document')}, in ${(outcome.durationMs / 1000).toFixed(1)} s.`);
    } else {
      lines.push(`- ${name}: failed: ${escapeText(truncate(outcome.error ?? 'no reason given', 200))}`);
    }
  }
  return lines;
}

/**
 * What the loader makes of `bytes` (front matter set) as the file `name`, written and read in a
 * worker within the deadline, in a private temporary folder outside the archive; the bytes as written.
 */
async function checkUpload(
  name: string,
  bytes: Uint8Array,
  { frontMatter = {}, timeoutMs = DEFAULT_LOAD_TIMEOUT_MS }: SaveOptions = {},
): Promise<(Extract<SaveResult, { ok: true }> & { bytes: Uint8Array }) | Extract<SaveResult, { ok: false }>> {
  const staging = await mkdtemp(join(tmpdir(), 'archivist-upload-'));
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    const staged = join(staging, name);
    const loaded = await checkFileInWorker(staged, bytes, { frontMatter, signal: deadline });
    if (!loaded.ok) return loaded;
    if (loaded.documents.length === 0) return { ok: false, reason: 'the archive would take no document from it', skipped: loaded.skipped };
    return { ok: true, file: name, documents: loaded.documents, skipped: loaded.skipped, bytes: await readFile(staged) };
  } catch (error) {
    if (deadline.aborted)
      return { ok: false, reason: `checking it took longer than the ${timeoutMs / 1000} s limit (RELOAD_TIMEOUT_S) and was stopped` };
    return { ok: false, reason: `the bot could not check the file (${(error as { code?: string }).code ?? 'error'})` };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
