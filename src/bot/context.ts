/** The context every command handler gets, built once in the client factory, and the bot's command type. */
import type { AnyCommand } from '../discord/command.js';
import type { FeedbackStore } from '../feedback/store.js';
import type { Logger } from '../discord/logger.js';
import type { ArchiveStore } from './admin/index.js';
import type { Config } from './config.js';
import type { Cooldowns } from './access/index.js';
import type { ArchiveHolder } from './holder.js';
import type { SearchSessions } from './browse/index.js';
import type { ShardLink } from './shards/index.js';
import type { BotMetrics } from './ops/index.js';

/** Everything a handler may use. */
export interface BotContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly archive: ArchiveHolder;
  readonly cooldowns: Cooldowns;
  /** Per-user autocomplete turns (a flood of keystrokes cannot crowd out everyone else's questions). */
  readonly autocompleteTurns: Cooldowns;
  readonly searches: SearchSessions;
  /** Where 👍/👎 votes go; absent when the database could not be opened (answers then have no vote buttons). */
  readonly feedback: FeedbackStore | undefined;
  /** Where /upload and /remove change the archive: the folder, or the archive every machine shares (PostgreSQL). */
  readonly archiveStore: ArchiveStore;
  /** Set in a shard process started by the launcher: a /reload goes to every shard through it. */
  readonly shards?: ShardLink;
  /** The Prometheus metrics (served when HEALTH_PORT is set). */
  readonly metrics?: BotMetrics;
}

/** A command module of this bot: `commands/<name>.ts`. */
export type BotCommand = AnyCommand<BotContext>;
