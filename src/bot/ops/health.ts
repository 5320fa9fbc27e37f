/**
 * HEALTH_PORT: a small HTTP server for whatever watches the bot. GET /healthz answers 200 with a
 * JSON status when the gateway is ready and the archive loaded, 503 with the same body otherwise;
 * GET /metrics serves the Prometheus metrics. Nothing else, and nothing secret: no token, no paths
 * beyond the archive's, no message text.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { SyncStatus } from '../../store/machine-sync.js';

export interface HealthStatus {
  ready: boolean;
  gateway: { ready: boolean; pingMs: number };
  archive: { loaded: boolean; documents?: number; passages?: number; loadedAt?: string };
  lastReload: { ok: boolean; at: string; durationMs: number; error?: string } | null;
  /** ARCHIVE_STORE=postgres only: this machine, the database connection, and the versions. */
  sharedArchive?: SyncStatus;
}

/** Connections the health server holds at once; more are closed as they arrive. A monitor needs one or two. */
export const HEALTH_MAX_CONNECTIONS = 32;
/** A health connection idle, or slow to send its request, this long is closed. */
const HEALTH_IDLE_TIMEOUT_MS = 10_000;

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startHealthServer(options: {
  port: number;
  host: string;
  status: () => HealthStatus;
  registry: Registry;
  onError: (err: unknown) => void;
  /** A connection idle (or still sending its request) this long is closed. @defaultValue {@link HEALTH_IDLE_TIMEOUT_MS} */
  idleTimeoutMs?: number;
}): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/healthz') {
      const status = options.status();
      res.writeHead(status.ready ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(status));
    } else if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': options.registry.contentType }).end(text),
        (err: unknown) => {
          options.onError(err);
          res.writeHead(500).end();
        },
      );
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: try /healthz or /metrics\n');
    }
  });
  // Whatever connects cannot hold the process's file descriptors (1,100 idle sockets made a later
  // /reload fail with EMFILE): a few connections at once, each closed when idle or slow to ask.
  server.maxConnections = HEALTH_MAX_CONNECTIONS;
  const idleMs = options.idleTimeoutMs ?? HEALTH_IDLE_TIMEOUT_MS;
  server.headersTimeout = idleMs;
  server.requestTimeout = idleMs;
  server.keepAliveTimeout = Math.min(idleMs, 5000);
  server.setTimeout(idleMs, (socket) => socket.destroy());
  server.on('error', options.onError);
  server.listen(options.port, options.host);
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([err]) => Promise.reject(err as Error))]);
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
