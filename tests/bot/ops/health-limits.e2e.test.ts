/**
 * The health port under a flood of idle connections (red team, round 2): 1,100 of them exhausted
 * the bot's file descriptors and a later /reload failed with EMFILE. A bounded number of loopback
 * sockets shows the cap and the idle timeout, each on its own.
 */
import { connect, type Socket } from 'node:net';
import { Registry } from 'prom-client';
import { afterEach, expect, test } from 'vitest';
import { HEALTH_MAX_CONNECTIONS, startHealthServer, type HealthServer } from '../../../src/bot/ops/health.js';
import { until } from '../../../testing/fake-discord/harness.js';

let server: HealthServer | undefined;
let sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets = [];
  await server?.close();
  server = undefined;
});

async function start(idleTimeoutMs: number): Promise<HealthServer> {
  server = await startHealthServer({
    port: 0,
    host: '127.0.0.1',
    registry: new Registry(),
    onError: () => {},
    idleTimeoutMs,
    status: () => ({ ready: true, gateway: { ready: true, pingMs: 1 }, archive: { loaded: true }, lastReload: null }),
  });
  return server;
}

/** Opens `count` idle connections; `closed` counts those the server has closed. */
function flood(port: number, count: number): { readonly closed: Set<Socket> } {
  const closed = new Set<Socket>();
  for (let i = 0; i < count; i++) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.on('close', () => closed.add(socket));
    sockets.push(socket);
  }
  return { closed };
}

test('connections past the cap are closed as they arrive; the held ones still answer', async () => {
  // A small cap: a monitor needs a connection or two.
  expect(HEALTH_MAX_CONNECTIONS).toBe(32);
  const { port } = await start(120_000); // no idle timeout within this test
  const opened = HEALTH_MAX_CONNECTIONS + 52;
  const { closed } = flood(port, opened);
  await until(() => closed.size >= opened - HEALTH_MAX_CONNECTIONS, 'connections over the cap closed', 10_000);

  // Every connection has reached the server; a held one is served, and no held one was closed.
  const held = sockets.find((socket) => !closed.has(socket));
  if (!held) throw new Error('no connection held');
  let response = '';
  held.on('data', (chunk: Buffer) => (response += chunk.toString('latin1')));
  held.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
  await until(() => closed.has(held), 'the health answer on a held connection', 10_000);
  expect(response).toMatch(/^HTTP\/1\.1 200 /);
  expect(closed.size).toBe(opened - HEALTH_MAX_CONNECTIONS + 1);
});

test('idle connections are closed after the idle timeout, freeing their descriptors', async () => {
  const { port } = await start(1000);
  const { closed } = flood(port, 5);
  // Node's own defaults would hold them for a minute or more.
  await until(() => closed.size === 5, 'every idle connection closed', 15_000);
});
