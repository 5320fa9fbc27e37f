/**
 * Builds the bot: the discord.js client, the archive holder and the handlers. `npm start` and the
 * tests use this same factory; everything environmental (config, logger, archive loader, clock-driven
 * limits) is passed in.
 */
import { once } from 'node:events';
import { constants, existsSync } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Client, Events, GatewayIntentBits, Options, RESTEvents, type RESTOptions } from 'discord.js';
import { ArchiveHolder, workerLoad, type LoadArchive } from './holder.js';
import type { BotContext, BotCommand } from './context.js';
import type { Config } from './config.js';
import { Cooldowns, type CooldownOptions, guardInteractions, guardMessages, leaveIfNotAllowed } from './access/index.js';
import type { Logger } from '../discord/logger.js';
import { createMessageHandler } from './answers/index.js';
import { startHealthServer, type HealthServer, type HealthStatus, BotMetrics } from './ops/index.js';
import type { Archive } from '../archive/index.js';
import { NO_PINGS } from '../discord/reply.js';
import { guardDispatches } from '../discord/dispatch-guard.js';
import { createInteractionHandler } from '../discord/router.js';
import { SearchSessions } from './browse/index.js';
import { defaultFeedbackPath, formerFeedbackPath, SqliteFeedbackStore, type FeedbackStore } from '../feedback/store.js';
import { PostgresFeedbackStore } from '../feedback/postgres.js';
import {
  createShardLink,
  openSharedArchive,
  sharedIdentify,
  type LauncherChannel,
  type SharedArchive,
  type SharedIdentify,
} from './shards/index.js';
import { folderStore, postgresStore } from './admin/index.js';
import type { MachineSync } from '../store/machine-sync.js';

/** Autocomplete per user: 20 keystrokes in any 5 s, well above typing speed. */
export const AUTOCOMPLETE_TURNS = { uses: 20, windowMs: 5000 } as const;

export interface BotOptions {
  config: Config;
  logger: Logger;
  /** How the archive is read. @defaultValue Archive.load in a worker thread, with `config.cacheDir` */
  load?: LoadArchive;
  /** Per-user cooldown for /ask, /search and channel questions. @defaultValue 3 per 15 s */
  cooldown?: CooldownOptions;
  /** The commands to serve: the composition roots pass `commands/index.ts`'s list. */
  commands: readonly BotCommand[];
  /** REST client settings beyond the base URL (tests shorten `timeout`). @defaultValue discord.js's (15 s timeout, 3 retries) */
  rest?: Partial<Omit<RESTOptions, 'api'>>;
  /** Set in a shard process: the IPC channel to the launcher, and this process's shard ids. */
  launcher?: { channel: LauncherChannel; shardIds: readonly number[] };
}

export interface Bot {
  readonly client: Client;
  readonly context: BotContext;
  /** Loads the archive, logs in, and resolves once the client is ready. */
  start(): Promise<void>;
  /** Disconnects from Discord. Safe to call more than once. */
  stop(): Promise<void>;
}

/** The client exactly as the bot runs it (intents, REST base URL, mentions that ping nobody). */
export function createClient(config: Config, rest: Partial<Omit<RESTOptions, 'api'>> = {}, identify?: SharedIdentify['build']): Client {
  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages];
  // Reading every message in the answer channels needs the privileged Message Content intent;
  // a message that mentions the bot carries its content without it.
  if (config.answerChannelIds.size) intents.push(GatewayIntentBits.MessageContent);
  const client = new Client({
    intents,
    allowedMentions: NO_PINGS,
    rest: { ...rest, api: config.apiUrl },
    // DATABASE_URL: logins spaced with every machine's, through the database.
    ...(identify ? { ws: { buildIdentifyThrottler: identify } } : {}),
    // The bot never looks messages up, and members and users arrive with each interaction: keep the
    // caches small so memory stays flat in busy servers (the bot's own user and member are kept).
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0,
      GuildMemberManager: { maxSize: 200, keepOverLimit: (member) => member.id === member.client.user.id },
      UserManager: { maxSize: 1000, keepOverLimit: (user) => user.id === user.client.user.id },
      PresenceManager: 0,
      ReactionManager: 0,
    }),
  });
  guardDispatches(client);
  return client;
}

/** The feedback database, or undefined (logged) when it cannot be opened: votes are a bonus, answers are not. */
function openFeedback(config: Config, logger: Logger): FeedbackStore | undefined {
  if (!config.feedback) {
    logger.info('feedback buttons off (FEEDBACK=off)');
    return undefined;
  }
  if (config.databaseUrl) {
    // Shared by every machine; made on first use, so a database that is down at start costs no answer.
    const store = new PostgresFeedbackStore(config.databaseUrl);
    store.onError = (err) => logger.warn('an answer could not be recorded for votes', { err });
    logger.info('feedback in PostgreSQL (DATABASE_URL)');
    return store;
  }
  const path = config.feedbackDb ?? defaultFeedbackPath(config.dataDir, config.cacheDir);
  const former = config.cacheDir && !config.feedbackDb ? formerFeedbackPath(config.cacheDir) : undefined;
  if (former && former !== path && existsSync(former)) {
    logger.warn(
      'a votes database is in the folder holding CACHE_DIR, where it is no longer looked for; set FEEDBACK_DB to it to keep its votes',
      { former, path },
    );
  }
  try {
    const store = SqliteFeedbackStore.open(path);
    logger.info('feedback database open', { path });
    return store;
  } catch (err) {
    logger.warn('cannot open the feedback database; answers go without vote buttons', { path, err });
    return undefined;
  }
}

export function createBot({
  config,
  logger,
  load: baseLoad = workerLoad(config.cacheDir, logger),
  cooldown,
  commands,
  rest,
  launcher,
}: BotOptions): Bot {
  const identify = config.databaseUrl ? sharedIdentify(config.databaseUrl, logger) : undefined;
  const client = createClient(config, rest, identify?.build);
  // ARCHIVE_STORE=postgres: the archive every machine shares. Without a launcher this process holds the
  // machine's index, so it syncs the replica (DATA_DIR) before each load and listens for changes.
  const shared: SharedArchive | undefined =
    config.archiveStore === 'postgres' && config.databaseUrl
      ? openSharedArchive({ ...config, databaseUrl: config.databaseUrl }, logger)
      : undefined;
  const syncsHere = shared !== undefined && launcher === undefined;
  let loads = 0;
  const load: LoadArchive = syncsHere
    ? async (path, signal) => {
        await shared.pull(loads++ === 0);
        return baseLoad(path, signal);
      }
    : baseLoad;
  let sync: MachineSync | undefined;
  const archive = new ArchiveHolder(config.dataDir, logger, load, config.reloadTimeoutMs);
  const metrics = new BotMetrics({ archive: () => archiveSize(archive), pingMs: () => client.ws.ping });
  let lastReload: HealthStatus['lastReload'] = null;
  archive.onReloaded = (report) => {
    metrics.reloaded(report);
    void sync?.recordOutcome({
      ok: report.ok,
      documents: report.archive.documents.length,
      durationMs: report.durationMs,
      ...(report.ok ? {} : { error: report.error.message }),
    });
    lastReload = {
      ok: report.ok,
      at: new Date().toISOString(),
      durationMs: report.durationMs,
      ...(report.ok ? {} : { error: report.error.message }),
    };
  };
  let health: HealthServer | undefined;
  const context: BotContext = {
    metrics,
    config,
    logger,
    archive,
    cooldowns: new Cooldowns(cooldown),
    autocompleteTurns: new Cooldowns(AUTOCOMPLETE_TURNS),
    searches: new SearchSessions(),
    feedback: openFeedback(config, logger),
    archiveStore: shared
      ? postgresStore({ db: shared.db, onError: (err) => logger.warn('the shared archive cannot be reached', { err }) })
      : folderStore(config.dataDir),
    ...(launcher ? { shards: createShardLink({ ...launcher, holder: archive, logger }) } : {}),
  };
  // Private by default: servers not in ALLOWED_GUILD_IDS (and DMs without ALLOW_DMS) are refused before any command runs.
  const adminCommands = new Set(commands.filter((c) => c.definition.default_member_permissions != null).map((c) => c.definition.name));
  const onInteraction = guardInteractions(
    config,
    logger,
    (name) => adminCommands.has(name),
    createInteractionHandler(context, commands),
    (command) => metrics.question(command ?? 'unknown', 'refused'),
  );
  const onMessage = guardMessages(config, logger, createMessageHandler(context));
  client.on(Events.GuildCreate, (guild) => void leaveIfNotAllowed(config, logger, guild));

  // Handlers never reject (the boundary catches), but a listener must not leave a promise floating.
  client.on(Events.InteractionCreate, (interaction) => void onInteraction(interaction));
  client.on(Events.MessageCreate, (message) => void onMessage(message));
  client.on(Events.Error, (err) => logger.error('discord client error', { err }));
  client.on(Events.Warn, (msg) => logger.warn('discord client warning', { detail: msg }));
  client.on(Events.ShardDisconnect, (event, shardId) => logger.warn('gateway disconnected', { shardId, code: event.code }));
  client.on(Events.ShardReconnecting, (shardId) => logger.info('gateway reconnecting', { shardId }));
  client.on(Events.ShardResume, (shardId, replayed) => logger.info('gateway resumed', { shardId, replayed }));
  // Rate limits: a 429 from Discord, or a request discord.js holds back itself (its global limit of 50
  // requests a second, a route's bucket). Under load that is one event per request, so one line per
  // route and kind every 10 s, with how many more there were meanwhile.
  const rateLimitLogged = new Map<string, { at: number; more: number }>();
  const noteRateLimit = (kind: '429' | 'global' | 'route', fields: { route: string; method: string; retryAfterMs: number }): void => {
    metrics.rateLimited(kind);
    const key = `${kind} ${fields.method} ${fields.route}`;
    const now = Date.now();
    const last = rateLimitLogged.get(key);
    if (last && now - last.at < 10_000) {
      last.more++;
      return;
    }
    if (rateLimitLogged.size > 1000) rateLimitLogged.clear();
    rateLimitLogged.set(key, { at: now, more: 0 });
    logger.warn('rate limited by Discord', { kind, ...fields, ...(last?.more ? { moreSinceLastLine: last.more } : {}) });
  };
  client.rest.on(RESTEvents.RateLimited, (info) =>
    noteRateLimit(info.global ? 'global' : 'route', { route: info.route, method: info.method, retryAfterMs: info.retryAfter }),
  );
  // Interaction responses bypass the handler that emits RateLimited, so their 429s are seen here.
  client.rest.on(RESTEvents.Response, (request, response) => {
    if (response.status !== 429) return;
    const retryAfter = Number(response.headers.get('retry-after'));
    noteRateLimit('429', {
      route: request.route,
      method: request.method,
      retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : 0,
    });
  });

  let stopped = false;
  return {
    client,
    context,
    async start() {
      if (!config.token) throw new Error('DISCORD_TOKEN is not set.');
      if (config.healthPort !== undefined) {
        // Up before the archive loads and the gateway connects, answering 503 until both are ready.
        health = await startHealthServer({
          port: config.healthPort,
          host: config.healthHost,
          registry: metrics.registry,
          status: () => ({ ...healthStatus(client, archive, lastReload), ...(sync ? { sharedArchive: sync.status } : {}) }),
          onError: (err) => logger.error('health server error', { err }),
        });
        logger.info('health server listening', { host: config.healthHost, port: health.port });
      }
      const first = await context.archive.init();
      if (syncsHere) {
        let held = 0;
        const counted = metrics.sharedArchive(() => held);
        sync = await shared.startSync(
          async () => {
            const report = await archive.reload();
            return { ok: report.ok, documents: report.archive.documents.length, durationMs: report.durationMs };
          },
          (trigger, result) => {
            held = sync?.status.version ?? held;
            counted(trigger, result);
          },
        );
        held = sync.status.version;
        await sync.recordOutcome({ ok: true, documents: first.documents.length, durationMs: 0 });
      }
      // The folder store writes into DATA_DIR; the shared one writes to the database (DATA_DIR is its replica).
      if (config.uploads && !shared) await warnIfReadOnly(config.dataDir, logger);
      const ready = once(client, Events.ClientReady);
      ready.catch(() => {}); // awaited below; if login throws first, it must not become an unhandled rejection
      await client.login(config.token);
      await ready;
      // Servers it was in before ALLOWED_GUILD_IDS was set arrive with READY, not as GuildCreate.
      await Promise.all(client.guilds.cache.map((guild) => leaveIfNotAllowed(config, logger, guild)));
      logger.info('logged in', {
        user: client.user?.tag,
        userId: client.user?.id,
        guilds: client.guilds.cache.size,
        messageContentIntent: config.answerChannelIds.size > 0,
      });
      if (config.clientId && client.application && client.application.id !== config.clientId) {
        logger.warn('DISCORD_CLIENT_ID differs from the application this token belongs to', {
          configured: config.clientId,
          actual: client.application.id,
        });
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      context.shards?.close();
      await health?.close();
      await client.destroy();
      await identify?.close();
      await context.feedback?.close();
      await shared?.close();
      logger.info('disconnected');
    },
  };
}

/** /upload and /remove write into the archive folder: say at start when they cannot (a read-only mount, say). */
async function warnIfReadOnly(dataDir: string, logger: Logger): Promise<void> {
  const folder = (await stat(dataDir)).isDirectory() ? dataDir : dirname(dataDir);
  try {
    await access(folder, constants.W_OK);
  } catch (err) {
    logger.warn('the archive folder is not writable: /upload and /remove will fail', {
      path: folder,
      code: (err as NodeJS.ErrnoException).code,
      fix: 'set UPLOADS=off, or give the bot write access to it (systemd: ReadWritePaths=)',
    });
  }
}

const sizes = new WeakMap<Archive, { documents: number; passages: number }>();

/** The size of the archive in use (undefined before the first load), computed once per archive. */
function archiveSize(holder: ArchiveHolder): { documents: number; passages: number } | undefined {
  let current: Archive;
  try {
    current = holder.current;
  } catch {
    return undefined;
  }
  let size = sizes.get(current);
  if (!size) {
    const { documents, passages } = current.stats();
    sizes.set(current, (size = { documents, passages }));
  }
  return size;
}

function healthStatus(client: Client, holder: ArchiveHolder, lastReload: HealthStatus['lastReload']): HealthStatus {
  const size = archiveSize(holder);
  const gateway = { ready: client.isReady(), pingMs: client.ws.ping };
  return {
    ready: gateway.ready && size !== undefined,
    gateway,
    archive: size ? { loaded: true, ...size, loadedAt: holder.current.loadedAt.toISOString() } : { loaded: false },
    lastReload,
  };
}
