/**
 * Builds the bot: the discord.js client, the archive holder and the handlers. `npm start` and the
 * tests use this same factory; everything environmental (config, logger, archive loader, clock-driven
 * limits) is passed in.
 */
import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, Options } from 'discord.js';
import { commands as allCommands } from '../../commands/index.js';
import { ArchiveHolder, defaultLoad, type LoadArchive } from './archive-holder.js';
import type { BotContext, Command } from './command.js';
import type { Config } from './config.js';
import { Cooldowns, type CooldownOptions } from './cooldown.js';
import type { Logger } from './logger.js';
import { createMessageHandler } from './mention.js';
import { NO_PINGS } from './reply.js';
import { createInteractionHandler } from './router.js';
import { SearchSessions } from './search-sessions.js';

export interface BotOptions {
  config: Config;
  logger: Logger;
  /** How the archive is read. @defaultValue Archive.load */
  load?: LoadArchive;
  /** Per-user cooldown for /ask, /search and channel questions. @defaultValue 3 per 15 s */
  cooldown?: CooldownOptions;
  /** @defaultValue every command in commands/index.ts */
  commands?: readonly Command[];
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
export function createClient(config: Config): Client {
  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages];
  // Reading every message in the answer channels needs the privileged Message Content intent;
  // a message that mentions the bot carries its content without it.
  if (config.answerChannelIds.size) intents.push(GatewayIntentBits.MessageContent);
  return new Client({
    intents,
    allowedMentions: NO_PINGS,
    rest: { api: config.apiUrl },
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
}

export function createBot({ config, logger, load = defaultLoad, cooldown, commands = allCommands }: BotOptions): Bot {
  const client = createClient(config);
  const context: BotContext = {
    config,
    logger,
    archive: new ArchiveHolder(config.dataDir, logger, load),
    cooldowns: new Cooldowns(cooldown),
    searches: new SearchSessions(),
  };
  const onInteraction = createInteractionHandler(context, commands);
  const onMessage = createMessageHandler(context);

  // Handlers never reject (the boundary catches), but a listener must not leave a promise floating.
  client.on(Events.InteractionCreate, (interaction) => void onInteraction(interaction));
  client.on(Events.MessageCreate, (message) => void onMessage(message));
  client.on(Events.Error, (err) => logger.error('discord client error', { err }));
  client.on(Events.Warn, (msg) => logger.warn('discord client warning', { detail: msg }));
  client.on(Events.ShardDisconnect, (event, shardId) => logger.warn('gateway disconnected', { shardId, code: event.code }));
  client.on(Events.ShardReconnecting, (shardId) => logger.info('gateway reconnecting', { shardId }));
  client.on(Events.ShardResume, (shardId, replayed) => logger.info('gateway resumed', { shardId, replayed }));
  client.rest.on('rateLimited', (info) =>
    logger.warn('rate limited by Discord', { route: info.route, method: info.method, retryAfterMs: info.retryAfter, global: info.global }),
  );

  let stopped = false;
  return {
    client,
    context,
    async start() {
      if (!config.token) throw new Error('DISCORD_TOKEN is not set.');
      await context.archive.init();
      const ready = once(client, Events.ClientReady);
      ready.catch(() => {}); // awaited below; if login throws first, it must not become an unhandled rejection
      await client.login(config.token);
      await ready;
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
      await client.destroy();
      logger.info('disconnected');
    },
  };
}
