/** Bounded attachment downloads against the fake Discord's CDN route: size, deadline, status, hosts. */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { attachmentHosts, downloadWithin, isPrivateAddress, privateAttachmentHosts } from '../../../src/bot/admin/download.js';
import { FakeDiscord } from '../../../testing/fake-discord/server.js';

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await FakeDiscord.start();
});
afterAll(async () => {
  await fake?.close();
});

const options = (extra: Partial<Parameters<typeof downloadWithin>[1]> = {}) => ({
  maxBytes: 1024,
  allowedHosts: attachmentHosts(fake.apiUrl),
  privateHosts: privateAttachmentHosts(fake.apiUrl),
  ...extra,
});

test('the bytes as served, up to the limit exactly', async () => {
  const bytes = Buffer.alloc(1024, 0x61);
  const result = await downloadWithin(fake.addAttachment('a.txt', bytes, { chunked: true }).url, options());
  expect(result).toEqual({ ok: true, bytes });
});

test('a download that never finishes is stopped at its deadline', async () => {
  const attachment = fake.addAttachment('slow.txt', 'text');
  fake.failNext({ method: 'GET', path: /^\/cdn\/attachments\//, status: 0, hang: true });
  expect(await downloadWithin(attachment.url, options({ timeoutMs: 1000 }))).toEqual({
    ok: false,
    reason: 'the download took longer than 1 s and was stopped',
  });
});

test('a missing file, an address that is not http(s), and Discord’s own CDN hosts', async () => {
  const gone = `${fake.cdnUrl}/attachments/1/2/gone.txt`;
  expect(await downloadWithin(gone, options())).toEqual({
    ok: false,
    reason: 'Discord did not hand over the file (HTTP 404); try uploading it again',
  });
  expect(await downloadWithin('file:///etc/passwd', options())).toEqual({
    ok: false,
    reason: 'the attachment has no valid address to download it from',
  });
  expect([...attachmentHosts('https://discord.com/api')]).toEqual(['cdn.discordapp.com', 'media.discordapp.net', 'discord.com']);
});

test('a redirect is not followed, whatever host it names', async () => {
  // An "internal service" the bot can reach but members cannot: a redirect must not lead the download there.
  let reached = 0;
  const internal = createServer((_req, res) => {
    reached++;
    res.end('internal secrets');
  });
  internal.listen(0, '127.0.0.1');
  await once(internal, 'listening');
  try {
    const target = `http://127.0.0.1:${(internal.address() as AddressInfo).port}/admin`;
    const attachment = fake.addAttachment('moved.txt', 'text');
    fake.failNext({ method: 'GET', path: /^\/cdn\/attachments\//, status: 302, headers: { location: target } });
    expect(await downloadWithin(attachment.url, options())).toEqual({
      ok: false,
      reason: "Discord's file server sent the download elsewhere (HTTP 302), and the bot follows no redirect; try uploading it again",
    });
    expect(reached).toBe(0);
  } finally {
    internal.close();
  }
});

test('an allowed host name that resolves to a private address is refused unless DISCORD_API_URL names it', async () => {
  const port = new URL(fake.apiUrl).port;
  const attachment = fake.addAttachment('local.txt', 'text');
  // `localhost` resolves to loopback; only the API's own host (127.0.0.1:port here) may be private.
  const viaName = attachment.url.replace('127.0.0.1', 'localhost');
  const allowedHosts = new Set([...attachmentHosts(fake.apiUrl), `localhost:${port}`]);
  expect(await downloadWithin(viaName, options({ allowedHosts }))).toEqual({
    ok: false,
    reason: "the attachment is not on Discord's file servers (its host resolves to a private address)",
  });
  expect(fake.cdnRequested(attachment)).toBe(false);
  // The API's host itself (a private address in the tests, as with a local proxy) is allowed.
  expect(await downloadWithin(attachment.url, options())).toEqual({ ok: true, bytes: Buffer.from('text') });
});

test('addresses that are private, loopback or link-local', () => {
  for (const address of [
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '0.0.0.0',
    '100.64.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
  ]) {
    expect(isPrivateAddress(address), address).toBe(true);
  }
  for (const address of ['162.159.130.233', '8.8.8.8', '2606:4700::6810:84e5', '::ffff:8.8.8.8']) {
    expect(isPrivateAddress(address), address).toBe(false);
  }
});
