/**
 * The fake's REST API (under `/api/v10`): the routes the bot uses, each answered the way Discord
 * answers it. Every request is recorded; tests can wait for one, or have the next matching ones fail
 * (a 429 with Retry-After, a 500, a request that never answers).
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { botMessage, type FakeWorld, type Json } from './payloads.js';

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

/** What the REST routes read and change in the rest of the fake. */
export interface RestWorld extends FakeWorld {
  readonly token: string;
  readonly wsUrl: string;
  readonly recommendedShards: number;
  /** Registered commands: key 'global' or a guild id. */
  readonly commands: Map<string, Json[]>;
  /** Messages the bot created, by id, so components can refer to them. */
  readonly messages: Map<string, Json>;
  readonly leftGuilds: Set<string>;
  /** Files the CDN serves, by path ({@link attachmentPath}). */
  readonly attachments: ReadonlyMap<string, CdnFile>;
  /** Sends a gateway dispatch (the REST side's effects that Discord announces, e.g. GUILD_DELETE). */
  dispatch(t: string, d: unknown): void;
}

/** A file on the fake CDN. */
export interface CdnFile {
  bytes: Uint8Array;
  contentType: string;
  /** Send no Content-Length (the body streams in chunks): the reader learns the size only by reading. */
  chunked?: boolean;
}

type Send = (status: number, payload?: unknown, headers?: Record<string, string>) => void;
type SendBytes = (status: number, bytes: Uint8Array, headers: Record<string, string>, chunked?: boolean) => void;
const unknownGuild = { message: 'Unknown Guild', code: 10004 };
const unknownWebhook = { message: 'Unknown Webhook', code: 10015 };

export class FakeRest {
  readonly requests: RecordedRequest[] = [];

  private readonly failRules: Array<FailRule & { times: number }> = [];
  private readonly waiters = new Set<() => void>();
  private readonly listeners = new Set<(request: RecordedRequest) => void>();

  constructor(private readonly world: RestWorld) {}

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

  /** Stores a message the bot created, for later component interactions that refer to it. */
  storeMessage(body: Json, channelId: string, { interaction }: { interaction: boolean }): Json {
    const message = botMessage(this.world, body, channelId, { interaction });
    this.world.messages.set(message.id, message);
    return message;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const record = await readRequest(req);
    const send: Send = (status, payload, headers = {}) => {
      record.status = status;
      record.response = payload;
      res.writeHead(status, { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
      res.end(payload === undefined ? undefined : JSON.stringify(payload));
      this.recorded(record);
    };
    const sendBytes: SendBytes = (status, bytes, headers, chunked = false) => {
      record.status = status;
      res.writeHead(status, { ...(chunked ? {} : { 'content-length': String(bytes.byteLength) }), ...headers });
      if (chunked) {
        // Several writes, so the client sees a body whose length it cannot know up front.
        for (let at = 0; at < bytes.byteLength; at += 16 * 1024) res.write(bytes.subarray(at, at + 16 * 1024));
        res.end();
      } else res.end(bytes);
      this.recorded(record);
    };

    const rule = this.failRules.find((r) => r.times > 0 && (!r.method || r.method === record.method) && r.path.test(record.path));
    if (rule) {
      rule.times--;
      // A hanging request is recorded with status 0 once the client gives up; it is never answered.
      if (rule.hang) res.on('close', () => this.recorded(record));
      else send(rule.status, rule.body ?? { message: `Fake failure ${rule.status}`, code: 0 }, rule.headers);
      return;
    }
    this.route(record, req.headers.authorization === `Bot ${this.world.token}`, send, sendBytes);
  }

  private recorded(record: RecordedRequest): void {
    this.requests.push(record);
    for (const waiter of [...this.waiters]) waiter();
    for (const listener of [...this.listeners]) listener(record);
  }

  private route(record: RecordedRequest, authed: boolean, send: Send, sendBytes: SendBytes): void {
    const { method, path, body, query } = record;
    const world = this.world;
    let m: RegExpExecArray | null;

    // The CDN: attachments by their (unguessable, in Discord) path, no token needed.
    if ((m = /^\/(?:cdn|media)(\/attachments\/.*)$/.exec(record.rawPath)) && method === 'GET') {
      const file = world.attachments.get(m[1]!);
      if (!file) return send(404, { message: '404: Not Found', code: 0 });
      return sendBytes(200, file.bytes, { 'content-type': file.contentType }, file.chunked);
    }

    // Interaction callbacks and webhooks authenticate by their token in the path, not the bot token.
    if ((m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path)) && method === 'POST') {
      const message = this.storeMessage(body?.data ?? {}, world.channelId, { interaction: true });
      record.created = message;
      if (query.get('with_response') === 'true') send(200, { interaction: { id: m[1], type: 2 }, resource: { type: body?.type, message } });
      else send(204);
      return;
    }
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/.exec(path))) {
      if (m[1] !== world.applicationId) return send(404, unknownWebhook);
      if (method === 'PATCH') return send(200, this.storeMessage(body ?? {}, world.channelId, { interaction: true }));
      if (method === 'DELETE') return send(204);
      if (method === 'GET') return send(200, this.storeMessage({}, world.channelId, { interaction: true }));
    }
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)$/.exec(path)) && method === 'POST') {
      if (m[1] !== world.applicationId) return send(404, unknownWebhook);
      return send(200, this.storeMessage(body ?? {}, world.channelId, { interaction: true }));
    }

    if (!authed) return send(401, { message: '401: Unauthorized', code: 0 });

    if (path === '/gateway/bot' && method === 'GET') {
      return send(200, {
        url: world.wsUrl,
        shards: world.recommendedShards,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
      });
    }
    if ((m = /^\/users\/@me\/guilds\/(\d+)$/.exec(path)) && method === 'DELETE') return this.leaveGuild(m[1]!, send);
    if ((m = /^\/channels\/(\d+)\/messages$/.exec(path)) && method === 'POST') {
      return send(200, this.storeMessage(body ?? {}, m[1]!, { interaction: false }));
    }
    if ((m = /^\/applications\/(\d+)\/commands$/.exec(path)) || (m = /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/.exec(path))) {
      if (m[1] !== world.applicationId) return send(403, { message: 'Missing Access', code: 50001 });
      const key = m[2] ?? 'global';
      if (method === 'GET') return send(200, world.commands.get(key) ?? []);
      if (method === 'PUT') return send(200, this.putCommands(key, m[2], body as Json[]));
    }
    send(404, { message: `Fake Discord has no route ${method} ${path}`, code: 0 });
  }

  /** The bot leaves a server: it is gone from every later READY, and GUILD_DELETE tells the client. */
  private leaveGuild(guildId: string, send: Send): void {
    const world = this.world;
    if (guildId !== world.guildId && !world.extraGuilds.has(guildId)) return send(404, unknownGuild);
    if (world.leftGuilds.has(guildId)) return send(404, unknownGuild);
    // Kept among the guilds (its channel still names it, so a late interaction from there can be sent), marked left.
    world.leftGuilds.add(guildId);
    send(204);
    world.dispatch('GUILD_DELETE', { id: guildId });
  }

  /** Bulk overwrite: a command keeps its id when its name was registered before, as Discord does. */
  private putCommands(key: string, guildId: string | undefined, commands: Json[]): Json[] {
    const world = this.world;
    const previous = new Map((world.commands.get(key) ?? []).map((c) => [c.name, c]));
    const stored = commands.map((c) => ({
      id: previous.get(c.name)?.id ?? world.nextId(),
      application_id: world.applicationId,
      version: world.nextId(),
      type: 1,
      default_member_permissions: null,
      contexts: null,
      integration_types: [0],
      nsfw: false,
      ...(guildId ? { guild_id: guildId } : {}),
      ...c,
    }));
    world.commands.set(key, stored);
    return stored;
  }
}

async function readRequest(req: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const rawPath = url.pathname.replace(/^\/api(\/v\d+)?/, '');
  let body: any;
  try {
    body = raw ? JSON.parse(raw) : undefined;
  } catch {
    body = raw;
  }
  return {
    method: req.method ?? 'GET',
    path: decodeURIComponent(rawPath),
    rawPath,
    query: url.searchParams,
    headers: req.headers,
    body,
    status: 0,
    at: Date.now(),
  };
}
