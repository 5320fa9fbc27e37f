/**
 * The JSON the fake Discord sends and returns, built the way Discord builds it: users, guilds,
 * messages, interactions, snowflakes and shard routing. Pure functions of a {@link FakeWorld}, so the
 * REST side and the gateway side build the same objects.
 */
import type { RateLimitData } from 'discord.js';

export type Json = Record<string, any>;

export interface FakeUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: null;
  bot?: boolean;
}

export interface Actor {
  user: FakeUser;
  roles?: string[];
  /** Permission bit field as a decimal string. @defaultValue Send Messages etc., no Manage Server */
  permissions?: string;
}

/** View Channel | Send Messages | Read Message History | Use Application Commands. */
export const MEMBER_PERMISSIONS = String((1n << 10n) | (1n << 11n) | (1n << 16n) | (1n << 31n));
export const MANAGE_GUILD = 1n << 5n;

const DISCORD_EPOCH = 1420070400000n;

/** The scopes a 429's `X-RateLimit-Scope` names, by what they mean: one client's limit, every client's, or one resource's. */
export const RATE_LIMIT_SCOPE = {
  perUser: 'user',
  global: 'global',
  perResource: 'shared',
} as const satisfies Record<string, RateLimitData['scope']>;

/** What the payload builders need to know about the fake's servers, channels and bot. */
export interface FakeWorld {
  readonly applicationId: string;
  readonly guildId: string;
  readonly channelId: string;
  readonly otherChannelId: string;
  readonly adminRoleId: string;
  readonly botRoleId: string;
  readonly botUser: FakeUser;
  /** Guilds besides `guildId`, each with one channel: guild id → channel id. */
  readonly extraGuilds: ReadonlyMap<string, string>;
  nextId(): string;
  guildOfChannel(channelId: string): string;
}

/** Snowflakes for "now", unique within one fake; `clockOffsetMs` makes them look older or newer. */
export class Snowflakes {
  clockOffsetMs = 0;
  private counter = 0n;

  next(): string {
    return String(((BigInt(Date.now() + this.clockOffsetMs) - DISCORD_EPOCH) << 22n) | (this.counter++ & 0xfffn));
  }
}

// ---- Shards -------------------------------------------------------------------------------------
// Discord routes each guild to shard (guild_id >> 22) % shard_count.

/** The shard a guild belongs to among `count` shards. */
export function shardOf(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** A guild id that lands on `shard` of `count` (the `n`th such id). */
export function guildIdOnShard(shard: number, count: number, n = 0): string {
  const base = 300_000_000_000n + BigInt(n * count);
  return String(((base - (base % BigInt(count)) + BigInt(shard)) << 22n) | 1n);
}

// ---- Objects ------------------------------------------------------------------------------------

export function botUser(applicationId: string): FakeUser {
  return { id: applicationId, username: 'Archivist', global_name: null, discriminator: '0', avatar: null, bot: true };
}

export function makeUser(id: string, username: string): FakeUser {
  return { id, username, global_name: username, discriminator: '0', avatar: null };
}

/** GUILD_CREATE's guild: roles (@everyone, admins, the bot's managed role), channels, the bot as member. */
export function guildPayload(world: FakeWorld, guildId: string): Json {
  const channel = (id: string, name: string) => ({
    id,
    type: 0,
    name,
    guild_id: guildId,
    position: 0,
    permission_overwrites: [],
    nsfw: false,
    parent_id: null,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
  });
  const role = (id: string, name: string, permissions: string, managed = false) => ({
    id,
    name,
    permissions,
    position: 0,
    color: 0,
    hoist: false,
    managed,
    mentionable: false,
    flags: 0,
    // Discord tags a bot's managed role with the bot's id.
    ...(managed ? { tags: { bot_id: world.applicationId } } : {}),
  });
  return {
    id: guildId,
    name: 'Fake Guild',
    icon: null,
    owner_id: '1400000000000000999',
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    features: [],
    mfa_level: 0,
    system_channel_flags: 0,
    premium_tier: 0,
    preferred_locale: 'en-US',
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    large: false,
    unavailable: false,
    member_count: 3,
    joined_at: new Date().toISOString(),
    roles: [
      role(guildId, '@everyone', MEMBER_PERMISSIONS),
      role(world.adminRoleId, 'Archive admins', MEMBER_PERMISSIONS),
      role(world.botRoleId, 'Archivist', MEMBER_PERMISSIONS, true),
    ],
    channels:
      guildId === world.guildId
        ? [channel(world.channelId, 'general'), channel(world.otherChannelId, 'questions')]
        : [channel(world.extraGuilds.get(guildId)!, 'general')],
    threads: [],
    members: [{ user: world.botUser, roles: [world.botRoleId], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 }],
    voice_states: [],
    presences: [],
    emojis: [],
    stickers: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** A message the bot created through REST (a reply, an interaction response or follow-up), as Discord returns it. */
export function botMessage(world: FakeWorld, body: Json, channelId: string, { interaction }: { interaction: boolean }): Json {
  return {
    id: world.nextId(),
    channel_id: channelId,
    guild_id: world.guildId,
    author: world.botUser,
    content: body.content ?? '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: body.embeds ?? [],
    pinned: false,
    type: body.message_reference ? 19 : interaction ? 20 : 0,
    flags: body.flags ?? 0,
    components: body.components ?? [],
    ...(interaction ? { webhook_id: world.applicationId, application_id: world.applicationId } : {}),
    ...(body.message_reference ? { message_reference: body.message_reference } : {}),
  };
}

export interface UserMessageOptions {
  channelId?: string;
  mentions?: FakeUser[];
  mentionRoles?: string[];
  mentionEveryone?: boolean;
  /** A message (one the fake stored) this one replies to, as Discord sends a reply: reference and referenced message. */
  replyTo?: Json;
}

/** MESSAGE_CREATE's message from a user in a guild channel. */
export function userMessage(
  world: FakeWorld,
  actor: Actor,
  content: string,
  { channelId = world.channelId, mentions = [], mentionRoles = [], mentionEveryone = false, replyTo }: UserMessageOptions = {},
): Json {
  return {
    id: world.nextId(),
    channel_id: channelId,
    guild_id: world.guildOfChannel(channelId),
    author: actor.user,
    member: { roles: actor.roles ?? [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 },
    content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: mentionEveryone,
    mentions: mentions.map((u) => ({ ...u, member: { roles: [], joined_at: new Date().toISOString() } })),
    mention_roles: mentionRoles,
    attachments: [],
    embeds: [],
    pinned: false,
    type: replyTo ? 19 : 0,
    flags: 0,
    components: [],
    ...(replyTo
      ? {
          message_reference: { type: 0, message_id: replyTo.id, channel_id: replyTo.channel_id, guild_id: world.guildId },
          referenced_message: replyTo,
        }
      : {}),
  };
}

/** What every guild interaction carries: ids, token, channel, the member who acted and their permissions. */
export function interactionBase(world: FakeWorld, actor: Actor, channelId = world.channelId): Json {
  const guildId = world.guildOfChannel(channelId);
  return {
    id: world.nextId(),
    application_id: world.applicationId,
    token: `itoken-${world.nextId()}`,
    version: 1,
    guild_id: guildId,
    guild: { id: guildId, locale: 'en-US', features: [] },
    channel_id: channelId,
    channel: { id: channelId, type: 0, guild_id: guildId, name: 'general', permissions: MEMBER_PERMISSIONS },
    member: {
      user: actor.user,
      roles: actor.roles ?? [],
      permissions: actor.permissions ?? MEMBER_PERMISSIONS,
      joined_at: new Date().toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      nick: null,
      avatar: null,
    },
    app_permissions: MEMBER_PERMISSIONS,
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': guildId },
    context: 0,
    attachment_size_limit: 10_485_760,
  };
}

/** The same interaction as sent from a direct message with the bot: no guild, no member, no member permissions. */
export function dmInteractionBase(world: FakeWorld, actor: Actor): Json {
  const { guild_id: _g, guild: _guild, member: _m, app_permissions: _p, ...base } = interactionBase(world, actor);
  const dmChannelId = world.nextId();
  return {
    ...base,
    channel_id: dmChannelId,
    channel: { id: dmChannelId, type: 1, recipients: [actor.user], last_message_id: null, flags: 0 },
    user: actor.user,
    context: 1,
    authorizing_integration_owners: { '0': world.guildId },
  };
}

/** A file attached to an interaction or message, as Discord describes it (served from its CDN). */
export interface FakeAttachment {
  id: string;
  filename: string;
  /** Bytes, as Discord reports it (a test may make it differ from what the CDN serves). */
  size: number;
  url: string;
  proxy_url: string;
  content_type?: string;
}

/** A value of a slash command option: an attachment option (type 11) takes a {@link FakeAttachment}. */
export type OptionValue = string | number | boolean | FakeAttachment;

/** The path (on the fake's HTTP server) where the CDN serves an attachment. */
export function attachmentPath(channelId: string, id: string, filename: string): string {
  return `/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
}

/** An attachment's object: its CDN URL on `cdnBase` (`url` and `proxy_url`, as Discord gives both). */
export function attachmentPayload(
  cdnBase: string,
  { id, channelId, filename, size, contentType }: { id: string; channelId: string; filename: string; size: number; contentType?: string },
): FakeAttachment {
  const path = attachmentPath(channelId, id, filename);
  return {
    id,
    filename,
    size,
    url: `${cdnBase}${path}?ex=00000000&is=00000000&hm=fake`,
    proxy_url: `${cdnBase.replace('/cdn', '/media')}${path}`,
    ...(contentType ? { content_type: contentType } : {}),
  };
}

function isAttachment(value: OptionValue): value is FakeAttachment {
  return typeof value === 'object';
}

/** Slash command options as Discord sends them, with each value's option type (an attachment is sent by id). */
export function commandOptions(options: Record<string, OptionValue>): Json[] {
  return Object.entries(options).map(([name, value]) => ({ name, type: optionType(value), value: isAttachment(value) ? value.id : value }));
}

/** `data.resolved` for options that refer to objects (attachments), or nothing when none do. */
export function resolvedOptions(options: Record<string, OptionValue>): Json {
  const attachments = Object.values(options).filter(isAttachment);
  return attachments.length ? { resolved: { attachments: Object.fromEntries(attachments.map((a) => [a.id, a])) } } : {};
}

function optionType(value: OptionValue): number {
  if (isAttachment(value)) return 11;
  if (typeof value === 'boolean') return 5;
  if (typeof value === 'number') return Number.isInteger(value) ? 4 : 10;
  return 3;
}

/** A message context-menu command's `data` (type 3): the target message travels resolved with it. */
export function messageCommandData(commandId: string, name: string, target: Json): Json {
  return {
    id: commandId,
    name,
    type: 3,
    target_id: target.id,
    ...(target.guild_id ? { guild_id: target.guild_id } : {}),
    resolved: { messages: { [target.id]: target } },
  };
}
