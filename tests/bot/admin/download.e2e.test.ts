/** Bounded attachment downloads against the fake Discord's CDN route: size, deadline, status, hosts. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { attachmentHosts, downloadWithin } from '../../../src/bot/admin/download.js';
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
