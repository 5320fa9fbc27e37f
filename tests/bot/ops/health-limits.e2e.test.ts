/**
 * The health port under a flood of idle connections (red team, round 2): 1,100 of them exhausted
 * the bot's file descriptors and a later /reload failed with EMFILE. A bounded number of loopback
 * sockets shows the cap and the idle timeout.
 */
import { connect, type Socket } from 'node:net';
import { Registry } from 'prom-client';
import { afterAll, expect, test } from 'vitest';
import { HEALTH_MAX_CONNECTIONS, startHealthServer, type HealthServer } from '../../../src/bot/ops/health.js';
import { until } from '../../../testing/fake-discord/harness.js';

let server: HealthServer | undefined;
const sockets: Socket[] = [];
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await server?.close();
});

test('connections past the cap are closed at once, and idle ones after the idle timeout', async () => {
  server = await startHealthServer({
    port: 0,
    host: '127.0.0.1',
    registry: new Registry(),
    onError: () => {},
    idleTimeoutMs: 1500,
    status: () => ({ ready: true, gateway: { ready: true, pingMs: 1 }, archive: { loaded: true }, lastReload: null }),
  });
  // A small cap: a monitor needs a connection or two.
  expect(HEALTH_MAX_CONNECTIONS).toBeLessThanOrEqual(64);
  const opened = 84;
  const extra = opened - 64;
  let closed = 0;
  for (let i = 0; i < opened; i++) {
    const socket = connect(server.port, '127.0.0.1');
    socket.on('error', () => {});
    socket.on('close', () => closed++);
    sockets.push(socket);
  }
  // Only the cap is held: the rest are closed by the server as they arrive.
  await until(() => closed >= extra, `${extra} connections over the cap closed`, 10_000);
  // The idle ones (they never send a request) are closed too, freeing their descriptors.
  await until(() => closed === sockets.length, 'every idle connection closed', 15_000);
});
