/**
 * A small fake Discord on loopback for driving the real discord.js client: one HTTP server carrying
 * the REST API ({@link FakeRest}) and the gateway ({@link FakeGateway}), the servers and channels
 * they share, and the things users do (commands, buttons, messages) sent as Discord sends them
 * (payloads built in `payloads.ts`).
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGateway } from './gateway.js';
import {
  attachmentPath,
  attachmentPayload,
  botUser,
  MANAGE_GUILD,
  MEMBER_PERMISSIONS,
  commandOptions,
  messageCommandData,
  resolvedOptions,
  dmInteractionBase,
  guildIdOnShard,
  guildPayload,
  interactionBase,
  makeUser,
  shardOf,
  Snowflakes,
  userMessage,
  type Actor,
  type FakeUser,
  type FakeAttachment,
  type FakeWorld,
  type Json,
  type OptionValue,
  type UserMessageOptions,
} from './payloads.js';
import { FakeRest, type CdnFile, type FailRule, type RecordedRequest } from './rest.js';

export { MANAGE_GUILD, MEMBER_PERMISSIONS, RATE_LIMIT_SCOPE, type Actor, type FakeAttachment, type FakeUser } from './payloads.js';
export type { FailRule, RecordedRequest } from './rest.js';

export class FakeDiscord implements FakeWorld {
  readonly token: string;
  readonly applicationId = '1100000000000000001';
  readonly guildId = '1200000000000000001';
  readonly channelId = '1300000000000000001';
  readonly otherChannelId = '1300000000000000002';
  /** A role for admins (used with ADMIN_ROLE_IDS), and the bot's own managed role. */
  readonly adminRoleId = '1200000000000000010';
  readonly botRoleId = '1200000000000000011';
  readonly botUser: FakeUser;
  /** Registered commands: key 'global' or a guild id. */
  readonly commands = new Map<string, Json[]>();
  /** Messages the fake has created (bot replies), by id, so components can refer to them. */
  readonly messages = new Map<string, Json>();
  /** Guilds besides {@link guildId}, each with one channel: guild id → channel id. */
  readonly extraGuilds = new Map<string, string>();
  /** Servers the bot left (DELETE /users/@me/guilds/{id}). */
  readonly leftGuilds = new Set<string>();
  /** Files the CDN serves, by path. */
  readonly attachments = new Map<string, CdnFile>();
  /** The shard count GET /gateway/bot recommends. */
  recommendedShards = 1;
  apiUrl = '';
  wsUrl = '';
  /** Where the CDN serves attachments (Discord's cdn.discordapp.com), on the same loopback server. */
  cdnUrl = '';

  private readonly http: Server;
  private readonly rest: FakeRest;
  private readonly gateway: FakeGateway;
  private readonly snowflakes = new Snowflakes();

  private constructor(token: string) {
    this.token = token;
    this.botUser = botUser(this.applicationId);
    this.rest = new FakeRest(this);
    this.http = createServer((req, res) => void this.rest.handle(req, res));
    this.gateway = new FakeGateway(this.http, this);
  }

  static async start(token = 'fake-bot-token.for-tests-only.0123456789abcdef'): Promise<FakeDiscord> {
    const fake = new FakeDiscord(token);
    fake.http.listen(0, '127.0.0.1');
    await once(fake.http, 'listening');
    const { port } = fake.http.address() as AddressInfo;
    fake.apiUrl = `http://127.0.0.1:${port}/api`;
    fake.wsUrl = `ws://127.0.0.1:${port}/gateway`;
    fake.cdnUrl = `http://127.0.0.1:${port}/cdn`;
    return fake;
  }

  async close(): Promise<void> {
    this.gateway.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  // ---- Ids ----------------------------------------------------------------------------------------

  /** Added to the clock in new snowflakes: negative makes what users do look that much older (a bot running behind). */
  get idClockOffsetMs(): number {
    return this.snowflakes.clockOffsetMs;
  }
  set idClockOffsetMs(ms: number) {
    this.snowflakes.clockOffsetMs = ms;
  }

  /** A snowflake for "now", unique within this fake. */
  nextId(): string {
    return this.snowflakes.next();
  }

  makeUser(id: string, username: string): FakeUser {
    return makeUser(id, username);
  }

  private memberCount = 0;

  /** A new server member with an id of their own, so one test's per-user cooldown never touches another's. */
  member(extra: Partial<Actor> = {}): Actor {
    const n = ++this.memberCount;
    return { user: makeUser(String(1400000000000010000n + BigInt(n)), `member${n}`), ...extra };
  }

  /** A new member with Manage Server: an admin to the bot. */
  manager(extra: Partial<Actor> = {}): Actor {
    return this.member({ permissions: String(BigInt(MEMBER_PERMISSIONS) | MANAGE_GUILD), ...extra });
  }

  // ---- REST (see rest.ts) ---------------------------------------------------------------------------

  get requests(): RecordedRequest[] {
    return this.rest.requests;
  }

  /** Fail the next `times` requests matching `rule` with its status (e.g. 429 + Retry-After). */
  failNext(rule: FailRule): void {
    this.rest.failNext(rule);
  }

  /** Calls `listener` with every request as it is answered (failed ones included); returns a function that stops it. */
  onRequest(listener: (request: RecordedRequest) => void): () => void {
    return this.rest.onRequest(listener);
  }

  /** Resolves with the first request (from `since`) matching `predicate` that the fake answered with 2xx. */
  waitForRequest(
    predicate: (r: RecordedRequest) => boolean,
    options?: { timeoutMs?: number; since?: number; includeFailed?: boolean },
  ): Promise<RecordedRequest> {
    return this.rest.waitForRequest(predicate, options);
  }

  describeRequests(since = 0): string {
    return this.rest.describeRequests(since);
  }

  // ---- Gateway (see gateway.ts) -----------------------------------------------------------------------

  /** IDENTIFY payloads received. */
  get identifies(): Json[] {
    return this.gateway.identifies;
  }

  /** When each IDENTIFY arrived (Date.now()), in the order of {@link identifies}. */
  get identifiedAt(): number[] {
    return this.gateway.identifiedAt;
  }

  /** RESUME payloads received. */
  get resumes(): Json[] {
    return this.gateway.resumes;
  }

  /** Sends a dispatch to every identified connection of the shard its guild belongs to (shard 0 for DMs). */
  dispatch(t: string, d: unknown): void {
    this.gateway.dispatch(t, d);
  }

  /** Closes the gateway connections (the client should resume). */
  dropConnections(code = 4000): void {
    this.gateway.dropConnections(code);
  }

  /** Cuts the gateway connections without a close frame, as a network failure would. */
  terminateConnections(): void {
    this.gateway.terminateConnections();
  }

  /** Sends INVALID_SESSION (op 9): with `resumable` false the client must identify again. */
  invalidateSession(resumable = false): void {
    this.gateway.invalidateSession(resumable);
  }

  // ---- Servers and shards ---------------------------------------------------------------------------
  // Discord routes each guild to shard (guild_id >> 22) % shard_count; a connection names its shard
  // in IDENTIFY (`shard: [id, count]`, [0, 1] when absent) and gets only its guilds' events.

  /** The shard a guild belongs to among `count` shards. */
  static shardOf = shardOf;

  /** A guild id that lands on `shard` of `count` (the `n`th such id). */
  static guildIdOnShard = guildIdOnShard;

  /** Adds a guild (the bot is a member) with one text channel; connections identified later receive it. */
  addGuild(guildId: string): { guildId: string; channelId: string } {
    const channelId = this.nextId();
    this.extraGuilds.set(guildId, channelId);
    return { guildId, channelId };
  }

  /** The bot is added to a server while it runs: the guild is added and its GUILD_CREATE sent now. */
  joinGuild(guildId: string): { guildId: string; channelId: string } {
    const added = this.addGuild(guildId);
    this.dispatch('GUILD_CREATE', guildPayload(this, guildId));
    return added;
  }

  /** The guild a channel belongs to ({@link guildId} for its own channels and unknown ones). */
  guildOfChannel(channelId: string): string {
    for (const [guildId, channel] of this.extraGuilds) if (channel === channelId) return guildId;
    return this.guildId;
  }

  // ---- The CDN ---------------------------------------------------------------------------------------

  /**
   * Puts a file on the CDN, as a user's upload would, and returns its attachment object to pass as
   * an attachment option. `size` is what Discord reports (default: the bytes' length); a test may
   * make it lie, as a file that changed or a forged payload would; `chunked` serves it without a
   * Content-Length, so only reading tells its size.
   */
  addAttachment(
    filename: string,
    bytes: Uint8Array | string,
    { contentType = 'text/plain; charset=utf-8', size, chunked = false }: { contentType?: string; size?: number; chunked?: boolean } = {},
  ): FakeAttachment {
    const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    const id = this.nextId();
    this.attachments.set(attachmentPath(this.channelId, id, filename), { bytes: data, contentType, chunked });
    return attachmentPayload(this.cdnUrl, { id, channelId: this.channelId, filename, size: size ?? data.byteLength, contentType });
  }

  /** Whether anything asked the CDN for `attachment` (a refusal before downloading leaves no such request). */
  cdnRequested(attachment: FakeAttachment): boolean {
    const path = new URL(attachment.url).pathname;
    return this.requests.some((r) => r.rawPath === path);
  }

  // ---- What users do -----------------------------------------------------------------------------

  private commandId(name: string): string {
    for (const list of this.commands.values()) {
      const found = list.find((c) => c.name === name);
      if (found) return found.id as string;
    }
    return '1500000000000000001';
  }

  /** Dispatches a slash command (attachment options resolved as Discord sends them); returns the interaction payload (id, token). */
  slashCommand(actor: Actor, name: string, options: Record<string, OptionValue> = {}, channelId?: string): Json {
    const interaction = {
      ...interactionBase(this, actor, channelId),
      type: 2,
      data: {
        id: this.commandId(name),
        name,
        type: 1,
        guild_id: this.guildOfChannel(channelId ?? this.channelId),
        options: commandOptions(options),
        ...resolvedOptions(options),
      },
    };
    this.dispatch('INTERACTION_CREATE', interaction);
    return interaction;
  }

  /** Dispatches a slash command used in a direct message with the bot: no guild, no member, no member permissions. */
  slashCommandInDm(actor: Actor, name: string, options: Record<string, string | number | boolean> = {}): Json {
    const interaction = {
      ...dmInteractionBase(this, actor),
      type: 2,
      data: { id: this.commandId(name), name, type: 1, options: commandOptions(options) },
    };
    this.dispatch('INTERACTION_CREATE', interaction);
    return interaction;
  }

  /** Dispatches an autocomplete for `focused` with the typed `value`. */
  autocomplete(actor: Actor, name: string, focused: string, value: string, others: Record<string, string | number> = {}): Json {
    const interaction = {
      ...interactionBase(this, actor),
      type: 4,
      data: {
        id: this.commandId(name),
        name,
        type: 1,
        options: [...commandOptions(others), { name: focused, type: 3, value, focused: true }],
      },
    };
    this.dispatch('INTERACTION_CREATE', interaction);
    return interaction;
  }

  /** Dispatches an autocomplete in a direct message with the bot (no guild, no member). */
  autocompleteInDm(actor: Actor, name: string, focused: string, value: string): Json {
    const interaction = {
      ...dmInteractionBase(this, actor),
      type: 4,
      data: { id: this.commandId(name), name, type: 1, options: [{ name: focused, type: 3, value, focused: true }] },
    };
    this.dispatch('INTERACTION_CREATE', interaction);
    return interaction;
  }

  /** Dispatches a button press on a message the bot sent. */
  pressButton(actor: Actor, messageId: string, customId: string): Json {
    const message = this.messages.get(messageId);
    if (!message) throw new Error(`FakeDiscord: no message ${messageId}`);
    const interaction = {
      ...interactionBase(this, actor, message.channel_id as string),
      type: 3,
      data: { custom_id: customId, component_type: 2 },
      message,
    };
    this.dispatch('INTERACTION_CREATE', interaction);
    return interaction;
  }

  /** Dispatches a message context-menu command (Apps → `name`) used on `target`, a message payload. */
  messageContextMenu(actor: Actor, name: string, target: Json): Json {
    const interaction = {
      ...interactionBase(this, actor, target.channel_id as string | undefined),
      type: 2,
      data: messageCommandData(this.commandId(name), name, target),
    };
    this.dispatch('INTERACTION_CREATE', interaction);
    return interaction;
  }

  /** A message from `actor` as Discord would send it, without dispatching it (the target of a context menu, say). */
  userMessage(actor: Actor, content: string, options: UserMessageOptions = {}): Json {
    return userMessage(this, actor, content, options);
  }

  /** Dispatches a MESSAGE_CREATE from `actor` in the guild channel. */
  postMessage(actor: Actor, content: string, options: UserMessageOptions = {}): Json {
    const message = userMessage(this, actor, content, options);
    this.dispatch('MESSAGE_CREATE', message);
    return message;
  }
}
