/**
 * The reload an admin command starts (/reload, and /upload and /remove after they change the
 * folder): through the holder, so the reload deadline and single flight apply, and, when the bot
 * runs as shard processes, on every shard through the launcher.
 */
import type { LoadProgress } from '../../archive/index.js';
import type { ArchiveHolder } from '../holder.js';
import type { ShardLink, ShardedReload } from '../shards/index.js';

/** What a reload needs of the bot's context (BotContext has both). */
type Reloadable = { readonly archive: ArchiveHolder; readonly shards?: ShardLink };

/**
 * Reloads; `onProgress` is told how far the long part has got: this process's load, or sharded, the
 * launcher's index update.
 */
export async function reloadEverywhere(ctx: Reloadable, onProgress?: (progress: LoadProgress) => void): Promise<ShardedReload> {
  return ctx.shards ? ctx.shards.reloadEverywhere(onProgress) : { report: await ctx.archive.reload(onProgress) };
}

/**
 * {@link reloadEverywhere} after the caller changed the archive folder: a reload that was already
 * running may have read the folder before the change, so when this one only joined it, a fresh
 * reload follows (any reload running by then started after the change).
 */
export async function reloadAfterChange(ctx: Reloadable): Promise<ShardedReload> {
  const first = await reloadEverywhere(ctx);
  return first.report.joined ? reloadEverywhere(ctx) : first;
}
