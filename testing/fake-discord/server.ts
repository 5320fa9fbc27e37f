/**
 * A small fake Discord on loopback for driving the real discord.js client: the REST routes the bot
 * uses (under `/api/v10`) and a plain-JSON WebSocket gateway. It records every REST request, can be
 * told to fail the next matching request (a 429 with Retry-After, a 500), and builds the gateway
 * payloads (interactions, messages) the way Discord sends them.
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

type Json = Record<string, any>;

export interface RecordedRequest {
  method: string;
  /** Decoded path without the `/api/v10` prefix, e.g. `/webhooks/1/tok/messages/@original`. */
  path: string;
  /** The raw path as received (still URL-encoded). */
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: any;
  /** Status the fake answered with. */
  status: number;
  /** Body the fake answered with. */
  response?: any;
  /** The message the request created, when it created one (an interaction response answered 204 has no body to carry it). */
  created?: any;
  at: number;
}

export interface FailRule {
  method?: string;
  path: RegExp;
  /** The status to answer with; ignored with `hang`. */
  status: number;
  /** Never answer (until the client gives up and closes the connection): a request that times out. */
  hang?: boolean;
  headers?: Record<string, string>;
  body?: Json;
  /** How many matching requests to fail. @defaultValue 1 */
  times?: number;
}

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

export class FakeDiscord {
  readonly token: string;
  readonly applicationId = '1100000000000000001';
  readonly guildId = '1200000000000000001';
  readonly channelId = '1300000000000000001';
  readonly otherChannelId = '1300000000000000002';
  /** A role for admins (used with ADMIN_ROLE_IDS), and the bot's own managed role. */
  readonly adminRoleId = '1200000000000000010';
  readonly botRoleId = '1200000000000000011';
  readonly botUser: FakeUser;
  readonly requests: RecordedRequest[] = [];
  /** Registered commands: key 'global' or a guild id. */
  readonly commands = new Map<string, Json[]>();
  /** IDENTIFY payloads received. */
  readonly identifies: Json[] = [];
  /** RESUME payloads received. */
  readonly resumes: Json[] = [];
  /** Messages the fake has created (bot replies), by id, so components can refer to them. */
  readonly messages = new Map<string, Json>();
  apiUrl = '';
  wsUrl = '';

  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private readonly failRules: Array<Required<Omit<FailRule, 'method' | 'headers' | 'body' | 'hang'>> & FailRule> = [];
  private readonly waiters = new Set<() => void>();
  private readonly listeners = new Set<(request: RecordedRequest) => void>();
  private seq = 0;
  private counter = 0n;
  private sessionCount = 0;

  private constructor(token: string) {
    this.token = token;
    this.botUser = { id: this.applicationId, username: 'Archivist', global_name: null, discriminator: '0', avatar: null, bot: true };
    this.http = createServer((req, res) => void this.handle(req, res));
    this.wss = new WebSocketServer({ server: this.http, path: '/gateway' });
    this.wss.on('connection', (socket) => this.onConnection(socket));
  }

  static async start(token = 'fake-bot-token.for-tests-only.0123456789abcdef'): Promise<FakeDiscord> {
    const fake = new FakeDiscord(token);
    fake.http.listen(0, '127.0.0.1');
    await once(fake.http, 'listening');
    const { port } = fake.http.address() as AddressInfo;
    fake.apiUrl = `http://127.0.0.1:${port}/api`;
    fake.wsUrl = `ws://127.0.0.1:${port}/gateway`;
    return fake;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  /** Added to the clock in new snowflakes: negative makes what users do look that much older (a bot running behind). */
  idClockOffsetMs = 0;

  /** A snowflake for "now", unique within this fake. */
  nextId(): string {
    return String(((BigInt(Date.now() + this.idClockOffsetMs) - DISCORD_EPOCH) << 22n) | (this.counter++ & 0xfffn));
  }

  makeUser(id: string, username: string): FakeUser {
    return { id, username, global_name: username, discriminator: '0', avatar: null };
  }

  // ---- REST -------------------------------------------------------------------------------------

  /** Fail the next `times` requests matching `rule` with its status (e.g. 429 + Retry-After). */
  failNext(rule: FailRule): void {
    this.failRules.push({ times: 1, ...rule });
  }

  /** Calls `listener` with every request as it is answered (failed ones included); returns a function that stops it. */
  onRequest(listener: (request: RecordedRequest) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the first request (from `since`) matching `predicate` that the fake answered with 2xx. */
  async waitForRequest(
    predicate: (r: RecordedRequest) => boolean,
    { timeoutMs = 10_000, since = 0, includeFailed = false }: { timeoutMs?: number; since?: number; includeFailed?: boolean } = {},
  ): Promise<RecordedRequest> {
    const find = () => this.requests.slice(since).find((r) => (includeFailed || r.status < 300) && predicate(r));
    const found = find();
    if (found) return found;
    return new Promise((resolve, reject) => {
      const check = () => {
        const r = find();
        if (r) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve(r);
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`FakeDiscord: no matching request within ${timeoutMs} ms. Requests seen:\n${this.describeRequests(since)}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  describeRequests(since = 0): string {
    return this.requests
      .slice(since)
      .map((r) => `  ${r.status} ${r.method} ${r.path}`)
      .join('\n');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rawPath = url.pathname.replace(/^\/api(\/v\d+)?/, '');
    const path = decodeURIComponent(rawPath);
    let body: any;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const method = req.method ?? 'GET';
    const record: RecordedRequest = {
      method,
      path,
      rawPath,
      query: url.searchParams,
      headers: req.headers,
      body,
      status: 0,
      at: Date.now(),
    };

    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      record.response = payload;
      this.requests.push(record);
      res.writeHead(status, { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
      res.end(payload === undefined ? undefined : JSON.stringify(payload));
      for (const waiter of [...this.waiters]) waiter();
      for (const listener of [...this.listeners]) listener(record);
    };

    const rule = this.failRules.find((r) => r.times > 0 && (!r.method || r.method === method) && r.path.test(path));
    if (rule) {
      rule.times--;
      if (rule.hang) {
        // Recorded as status 0 once the client gives up; never answered.
        res.on('close', () => {
          record.status = 0;
          this.requests.push(record);
          for (const listener of [...this.listeners]) listener(record);
        });
        return;
      }
      send(rule.status, rule.body ?? { message: `Fake failure ${rule.status}`, code: 0 }, rule.headers);
      return;
    }

    const app = this.applicationId;
    const authed = req.headers.authorization === `Bot ${this.token}`;
    let m: RegExpExecArray | null;

    if ((m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path)) && method === 'POST') {
      const message = this.storeMessage(body?.data ?? {}, this.channelId, { interaction: true });
      record.created = message;
      if (url.searchParams.get('with_response') === 'true') {
        send(200, { interaction: { id: m[1], type: 2 }, resource: { type: body?.type, message } });
      } else {
        send(204);
      }
      return;
    }
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/.exec(path))) {
      if (m[1] !== app) return send(404, { message: 'Unknown Webhook', code: 10015 });
      if (method === 'PATCH') return send(200, this.storeMessage(body ?? {}, this.channelId, { interaction: true }));
      if (method === 'DELETE') return send(204);
      if (method === 'GET') return send(200, this.storeMessage({}, this.channelId, { interaction: true }));
    }
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)$/.exec(path)) && method === 'POST') {
      if (m[1] !== app) return send(404, { message: 'Unknown Webhook', code: 10015 });
      return send(200, this.storeMessage(body ?? {}, this.channelId, { interaction: true }));
    }

    if (!authed) return send(401, { message: '401: Unauthorized', code: 0 });

    if (path === '/gateway/bot' && method === 'GET') {
      return send(200, {
        url: this.wsUrl,
        shards: this.recommendedShards,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
      });
    }
    if ((m = /^\/users\/@me\/guilds\/(\d+)$/.exec(path)) && method === 'DELETE') {
      // The bot leaves a server: it is gone from every later READY, and GUILD_DELETE tells the client.
      const guildId = m[1]!;
      if (guildId !== this.guildId && !this.extraGuilds.has(guildId)) return send(404, { message: 'Unknown Guild', code: 10004 });
      if (this.leftGuilds.has(guildId)) return send(404, { message: 'Unknown Guild', code: 10004 });
      // Kept among the guilds (its channel still names it, so a late interaction from there can be sent), marked left.
      this.leftGuilds.add(guildId);
      send(204);
      this.dispatch('GUILD_DELETE', { id: guildId });
      return;
    }
    if ((m = /^\/channels\/(\d+)\/messages$/.exec(path)) && method === 'POST') {
      return send(200, this.storeMessage(body ?? {}, m[1]!, { interaction: false }));
    }
    if ((m = /^\/applications\/(\d+)\/commands$/.exec(path)) || (m = /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/.exec(path))) {
      if (m[1] !== app) return send(403, { message: 'Missing Access', code: 50001 });
      const key = m[2] ?? 'global';
      if (method === 'GET') return send(200, this.commands.get(key) ?? []);
      if (method === 'PUT') {
        const previous = new Map((this.commands.get(key) ?? []).map((c) => [c.name, c]));
        const stored = (body as Json[]).map((c) => ({
          id: previous.get(c.name)?.id ?? this.nextId(),
          application_id: app,
          version: this.nextId(),
          type: 1,
          default_member_permissions: null,
          contexts: null,
          integration_types: [0],
          nsfw: false,
          ...(m![2] ? { guild_id: m![2] } : {}),
          ...c,
        }));
        this.commands.set(key, stored);
        return send(200, stored);
      }
    }
    send(404, { message: `Fake Discord has no route ${method} ${path}`, code: 0 });
  }

  /** A full message object as Discord returns it, remembered for later component interactions. */
  private storeMessage(body: Json, channelId: string, { interaction }: { interaction: boolean }): Json {
    const message: Json = {
      id: this.nextId(),
      channel_id: channelId,
      guild_id: this.guildId,
      author: this.botUser,
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
      ...(interaction ? { webhook_id: this.applicationId, application_id: this.applicationId } : {}),
      ...(body.message_reference ? { message_reference: body.message_reference } : {}),
    };
    this.messages.set(message.id, message);
    return message;
  }

  // ---- Gateway ----------------------------------------------------------------------------------

  private onConnection(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null }));
    socket.on('message', (data) => {
      const packet = JSON.parse((data as Buffer).toString()) as Json;
      if (packet.op === 1) socket.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      else if (packet.op === 2) this.onIdentify(socket, packet.d);
      else if (packet.op === 6) {
        this.resumes.push(packet.d);
        this.socketShards.set(socket, this.sessionShards.get(packet.d?.session_id) ?? [0, 1]);
        (socket as WebSocket & { identified?: boolean }).identified = true;
        this.send(socket, 'RESUMED', {});
      }
    });
  }

  private onIdentify(socket: WebSocket, identify: Json): void {
    this.identifies.push(identify);
    (socket as WebSocket & { identified?: boolean }).identified = true;
    const shard = this.identifyShard(socket, identify, `session-${++this.sessionCount}`);
    const guilds = this.guildsOnShard(shard);
    this.send(socket, 'READY', {
      v: 10,
      user: { ...this.botUser, verified: true, mfa_enabled: false, flags: 0 },
      guilds: guilds.map((id) => ({ id, unavailable: true })),
      session_id: `session-${this.sessionCount}`,
      resume_gateway_url: this.wsUrl,
      shard,
      application: { id: this.applicationId, flags: 0 },
    });
    for (const id of guilds) this.send(socket, 'GUILD_CREATE', this.guildPayload(id));
  }

  private send(socket: WebSocket, t: string, d: unknown): void {
    socket.send(JSON.stringify({ op: 0, t, s: ++this.seq, d }));
  }

  /** Sends a dispatch to every identified connection of the shard its guild belongs to (shard 0 for DMs). */
  dispatch(t: string, d: unknown): void {
    const ready = [...this.sockets].filter((s) => (s as WebSocket & { identified?: boolean }).identified && this.carries(s, d));
    if (!ready.length) throw new Error(`FakeDiscord: no identified gateway connection for ${t}`);
    for (const socket of ready) this.send(socket, t, d);
  }

  /** Closes the gateway connections (the client should resume). */
  dropConnections(code = 4000): void {
    for (const socket of this.sockets) socket.close(code, 'fake drop');
  }

  /** Cuts the gateway connections without a close frame, as a network failure would. */
  terminateConnections(): void {
    for (const socket of this.sockets) socket.terminate();
  }

  /** Sends INVALID_SESSION (op 9): with `resumable` false the client must identify again. */
  invalidateSession(resumable = false): void {
    for (const socket of this.sockets) socket.send(JSON.stringify({ op: 9, d: resumable, s: null, t: null }));
  }

  private guildPayload(guildId = this.guildId): Json {
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
      ...(managed ? { tags: { bot_id: this.applicationId } } : {}),
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
        role(this.adminRoleId, 'Archive admins', MEMBER_PERMISSIONS),
        role(this.botRoleId, 'Archivist', MEMBER_PERMISSIONS, true),
      ],
      channels:
        guildId === this.guildId
          ? [channel(this.channelId, 'general'), channel(this.otherChannelId, 'questions')]
          : [channel(this.extraGuilds.get(guildId)!, 'general')],
      threads: [],
      members: [{ user: this.botUser, roles: [this.botRoleId], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 }],
      voice_states: [],
      presences: [],
      emojis: [],
      stickers: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  // ---- Shards -------------------------------------------------------------------------------------
  // Discord routes each guild to shard (guild_id >> 22) % shard_count; a connection names its shard
  // in IDENTIFY (`shard: [id, count]`, [0, 1] when absent) and gets only its guilds' events.

  /** The shard count GET /gateway/bot recommends. */
  recommendedShards = 1;
  /** Guilds besides {@link guildId}, each with one channel: guild id → channel id. */
  private readonly extraGuilds = new Map<string, string>();
  private readonly socketShards = new WeakMap<WebSocket, [number, number]>();
  private readonly sessionShards = new Map<string, [number, number]>();

  /** The shard a guild belongs to among `count` shards. */
  static shardOf(guildId: string, count: number): number {
    return Number((BigInt(guildId) >> 22n) % BigInt(count));
  }

  /** A guild id that lands on `shard` of `count` (the `n`th such id). */
  static guildIdOnShard(shard: number, count: number, n = 0): string {
    const base = 300_000_000_000n + BigInt(n * count);
    return String(((base - (base % BigInt(count)) + BigInt(shard)) << 22n) | 1n);
  }

  /** Adds a guild (the bot is a member) with one text channel; connections identified later receive it. */
  addGuild(guildId: string): { guildId: string; channelId: string } {
    const channelId = this.nextId();
    this.extraGuilds.set(guildId, channelId);
    return { guildId, channelId };
  }

  /** Servers the bot left (DELETE /users/@me/guilds/{id}). */
  readonly leftGuilds = new Set<string>();

  /** The bot is added to a server while it runs: the guild is added and its GUILD_CREATE sent now. */
  joinGuild(guildId: string): { guildId: string; channelId: string } {
    const added = this.addGuild(guildId);
    this.dispatch('GUILD_CREATE', this.guildPayload(guildId));
    return added;
  }

  /** The guild a channel belongs to ({@link guildId} for its own channels and unknown ones). */
  guildOfChannel(channelId: string): string {
    for (const [guildId, channel] of this.extraGuilds) if (channel === channelId) return guildId;
    return this.guildId;
  }

  private identifyShard(socket: WebSocket, identify: Json, sessionId: string): [number, number] {
    const requested = identify?.shard as unknown;
    const shard: [number, number] =
      Array.isArray(requested) && requested.length === 2 && requested.every((n) => Number.isInteger(n))
        ? [requested[0], requested[1]]
        : [0, 1];
    this.socketShards.set(socket, shard);
    this.sessionShards.set(sessionId, shard);
    return shard;
  }

  private guildsOnShard([id, count]: [number, number]): string[] {
    return [this.guildId, ...this.extraGuilds.keys()].filter(
      (guild) => !this.leftGuilds.has(guild) && FakeDiscord.shardOf(guild, count) === id,
    );
  }

  /** Whether a dispatch belongs on this connection: its guild's shard, or shard 0 for events without a guild. */
  private carries(socket: WebSocket, d: unknown): boolean {
    const [id, count] = this.socketShards.get(socket) ?? [0, 1];
    const guildId = (d as { guild_id?: unknown } | null)?.guild_id;
    return typeof guildId === 'string' ? FakeDiscord.shardOf(guildId, count) === id : id === 0;
  }

  // ---- Building what users do --------------------------------------------------------------------

  private interactionBase(actor: Actor, channelId = this.channelId): Json {
    const guildId = this.guildOfChannel(channelId);
    return {
      id: this.nextId(),
      application_id: this.applicationId,
      token: `itoken-${this.nextId()}`,
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

  private commandId(name: string): string {
    for (const list of this.commands.values()) {
      const found = list.find((c) => c.name === name);
      if (found) return found.id as string;
    }
    return '1500000000000000001';
  }

  /** Dispatches a slash command; returns the interaction payload (id, token). */
  slashCommand(actor: Actor, name: string, options: Record<string, string | number | boolean> = {}, channelId?: string): Json {
    const interaction = {
      ...this.interactionBase(actor, channelId),
      type: 2,
      data: {
        id: this.commandId(name),
        name,
        type: 1,
        guild_id: this.guildOfChannel(channelId ?? this.channelId),
        options: Object.entries(options).map(([key, value]) => ({ name: key, type: optionType(value), value })),
      },
    };
    this.dispatch('INTERACTION_CREATE', interaction);
    return interaction;
  }

  /** Dispatches a slash command used in a direct message with the bot: no guild, no member, no member permissions. */
  slashCommandInDm(actor: Actor, name: string, options: Record<string, string | number | boolean> = {}): Json {
    const { guild_id: _g, guild: _guild, member: _m, app_permissions: _p, ...base } = this.interactionBase(actor);
    const dmChannelId = this.nextId();
    const interaction = {
      ...base,
      channel_id: dmChannelId,
      channel: { id: dmChannelId, type: 1, recipients: [actor.user], last_message_id: null, flags: 0 },
      user: actor.user,
      context: 1,
      authorizing_integration_owners: { '0': this.guildId },
      type: 2,
      data: {
        id: this.commandId(name),
        name,
        type: 1,
        options: Object.entries(options).map(([key, value]) => ({ name: key, type: optionType(value), value })),
      },
    };
    this.dispatch('INTERACTION_CREATE', interaction);
    return interaction;
  }

  /** Dispatches an autocomplete for `focused` with the typed `value`. */
  autocomplete(actor: Actor, name: string, focused: string, value: string, others: Record<string, string | number> = {}): Json {
    const interaction = {
      ...this.interactionBase(actor),
      type: 4,
      data: {
        id: this.commandId(name),
        name,
        type: 1,
        options: [
          ...Object.entries(others).map(([key, v]) => ({ name: key, type: optionType(v), value: v })),
          { name: focused, type: 3, value, focused: true },
        ],
      },
    };
    this.dispatch('INTERACTION_CREATE', interaction);
    return interaction;
  }

  /** Dispatches a button press on a message the bot sent. */
  pressButton(actor: Actor, messageId: string, customId: string): Json {
    const message = this.messages.get(messageId);
    if (!message) throw new Error(`FakeDiscord: no message ${messageId}`);
    const interaction = {
      ...this.interactionBase(actor, message.channel_id as string),
      type: 3,
      data: { custom_id: customId, component_type: 2 },
      message,
    };
    this.dispatch('INTERACTION_CREATE', interaction);
    return interaction;
  }

  /** Dispatches a MESSAGE_CREATE from `actor` in the guild channel. */
  postMessage(
    actor: Actor,
    content: string,
    {
      channelId = this.channelId,
      mentions = [],
      mentionRoles = [],
      mentionEveryone = false,
      replyTo,
    }: {
      channelId?: string;
      mentions?: FakeUser[];
      mentionRoles?: string[];
      mentionEveryone?: boolean;
      /** A message (one the fake stored) this one replies to, as Discord sends a reply: reference and referenced message. */
      replyTo?: Json;
    } = {},
  ): Json {
    const message = {
      id: this.nextId(),
      channel_id: channelId,
      guild_id: this.guildOfChannel(channelId),
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
            message_reference: { type: 0, message_id: replyTo.id, channel_id: replyTo.channel_id, guild_id: this.guildId },
            referenced_message: replyTo,
          }
        : {}),
    };
    this.dispatch('MESSAGE_CREATE', message);
    return message;
  }
}

function optionType(value: string | number | boolean): number {
  if (typeof value === 'boolean') return 5;
  if (typeof value === 'number') return Number.isInteger(value) ? 4 : 10;
  return 3;
}
