/**
 * The fake's gateway: a plain-JSON WebSocket that says HELLO, answers heartbeats, takes IDENTIFY
 * (with `shard`) and RESUME, and sends each dispatch only to the connections of the shard its guild
 * belongs to — as Discord does. It can also misbehave on purpose: drop, cut or invalidate sessions.
 */
import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { guildPayload, shardOf, type FakeWorld, type Json } from './payloads.js';

type Shard = [id: number, count: number];

/** What the gateway asks of the rest of the fake: who is in which guild, and where to resume. */
export interface GatewayWorld extends FakeWorld {
  readonly leftGuilds: ReadonlySet<string>;
  readonly wsUrl: string;
}

export class FakeGateway {
  /** IDENTIFY payloads received. */
  readonly identifies: Json[] = [];
  /** When each of {@link identifies} arrived (Date.now()), in the same order. */
  readonly identifiedAt: number[] = [];
  /** RESUME payloads received. */
  readonly resumes: Json[] = [];

  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private readonly identified = new WeakSet<WebSocket>();
  private readonly socketShards = new WeakMap<WebSocket, Shard>();
  private readonly sessionShards = new Map<string, Shard>();
  private seq = 0;
  private sessionCount = 0;

  constructor(
    server: Server,
    private readonly world: GatewayWorld,
  ) {
    this.wss = new WebSocketServer({ server, path: '/gateway' });
    this.wss.on('connection', (socket) => this.onConnection(socket));
  }

  close(): void {
    for (const socket of this.sockets) socket.terminate();
    this.wss.close();
  }

  /** Sends a dispatch to every identified connection of the shard its guild belongs to (shard 0 for DMs). */
  dispatch(t: string, d: unknown): void {
    const ready = [...this.sockets].filter((s) => this.identified.has(s) && this.carries(s, d));
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

  private onConnection(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null }));
    socket.on('message', (data) => {
      const packet = JSON.parse((data as Buffer).toString()) as Json;
      if (packet.op === 1) socket.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      else if (packet.op === 2) this.onIdentify(socket, packet.d);
      else if (packet.op === 6) this.onResume(socket, packet.d);
    });
  }

  private onIdentify(socket: WebSocket, identify: Json): void {
    this.identifies.push(identify);
    this.identifiedAt.push(Date.now());
    this.identified.add(socket);
    const sessionId = `session-${++this.sessionCount}`;
    const shard = requestedShard(identify);
    this.socketShards.set(socket, shard);
    this.sessionShards.set(sessionId, shard);
    const guilds = this.guildsOnShard(shard);
    this.send(socket, 'READY', {
      v: 10,
      user: { ...this.world.botUser, verified: true, mfa_enabled: false, flags: 0 },
      guilds: guilds.map((id) => ({ id, unavailable: true })),
      session_id: sessionId,
      resume_gateway_url: this.world.wsUrl,
      shard,
      application: { id: this.world.applicationId, flags: 0 },
    });
    for (const id of guilds) this.send(socket, 'GUILD_CREATE', guildPayload(this.world, id));
  }

  private onResume(socket: WebSocket, resume: Json): void {
    this.resumes.push(resume);
    this.socketShards.set(socket, this.sessionShards.get(resume?.session_id) ?? [0, 1]);
    this.identified.add(socket);
    this.send(socket, 'RESUMED', {});
  }

  private send(socket: WebSocket, t: string, d: unknown): void {
    socket.send(JSON.stringify({ op: 0, t, s: ++this.seq, d }));
  }

  private guildsOnShard([id, count]: Shard): string[] {
    return [this.world.guildId, ...this.world.extraGuilds.keys()].filter(
      (guild) => !this.world.leftGuilds.has(guild) && shardOf(guild, count) === id,
    );
  }

  /** Whether a dispatch belongs on this connection: its guild's shard, or shard 0 for events without a guild. */
  private carries(socket: WebSocket, d: unknown): boolean {
    const [id, count] = this.socketShards.get(socket) ?? [0, 1];
    const guildId = (d as { guild_id?: unknown } | null)?.guild_id;
    return typeof guildId === 'string' ? shardOf(guildId, count) === id : id === 0;
  }
}

/** The `shard` an IDENTIFY names, [0, 1] when absent or malformed. */
function requestedShard(identify: Json): Shard {
  const requested = identify?.shard as unknown;
  return Array.isArray(requested) && requested.length === 2 && requested.every((n) => Number.isInteger(n))
    ? [requested[0], requested[1]]
    : [0, 1];
}
