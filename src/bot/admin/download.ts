/**
 * Downloading a user's attachment into memory, bounded: never more than `maxBytes` is held (a
 * declared length over it is refused before the body is read, and the read stops one chunk past it
 * whatever the server sends), and the whole download has a deadline.
 */

import { lookup, type LookupAddress } from 'node:dns';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { BlockList, isIP, isIPv4, type LookupFunction } from 'node:net';

type Download = { ok: true; bytes: Buffer } | { ok: false; reason: string };

interface DownloadOptions {
  /** Most bytes accepted. */
  maxBytes: number;
  /** Host names (with port, when not the default) a download may come from; any other is refused unfetched. */
  allowedHosts: ReadonlySet<string>;
  /**
   * Those of `allowedHosts` that may be (or resolve to) a private, loopback or link-local address:
   * the host of DISCORD_API_URL (a local proxy, or the tests' fake Discord). Any other host must be public.
   * @defaultValue none
   */
  privateHosts?: ReadonlySet<string>;
  /** The whole download (headers and body) must finish within this. @defaultValue 60 s */
  timeoutMs?: number;
}

const NONE: ReadonlySet<string> = new Set();

/** Where Discord serves attachments from. */
const DISCORD_CDN_HOSTS: readonly string[] = ['cdn.discordapp.com', 'media.discordapp.net'];

/**
 * The hosts attachments may be downloaded from: Discord's CDN, and the host of DISCORD_API_URL (a
 * proxy or a fake Discord, such as the tests', serves attachments beside the API).
 */
export function attachmentHosts(apiUrl: string): ReadonlySet<string> {
  return new Set([...DISCORD_CDN_HOSTS, new URL(apiUrl).host]);
}

/** The one host a download may reach at a private address: DISCORD_API_URL's, which the operator chose. */
export function privateAttachmentHosts(apiUrl: string): ReadonlySet<string> {
  return new Set([new URL(apiUrl).host]);
}

/** How long an attachment download may take by default: Discord's CDN serves 20 MB in a few seconds. */
const DOWNLOAD_TIMEOUT_MS = 60_000;

/** `1.5 MB`, `12 KB`, `300 bytes`. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${bytes} bytes`;
}

/**
 * True for an address no attachment should come from: unspecified, loopback, private (RFC 1918,
 * unique local), shared (carrier-grade NAT), link-local (cloud metadata services live there),
 * multicast and reserved ones, IPv4 also when mapped into IPv6.
 */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(.+)$/i.exec(address)?.[1];
  if (mapped !== undefined) {
    if (isIPv4(mapped)) return isPrivateAddress(mapped);
    // ::ffff:7f00:1, the same mapped address written in hex.
    const [high = 0, low = 0] = mapped.split(':').map((part) => parseInt(part, 16));
    return isPrivateAddress(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
  }
  return PRIVATE.check(address, isIPv4(address) ? 'ipv4' : 'ipv6');
}

const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

/** Why an address was refused; never leaves this module as an error, only as a reason. */
class PrivateAddressError extends Error {}

/** dns.lookup, refusing names that resolve to a private address: checked where the connection is made, so DNS cannot change it between a check and the connect. */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 4);
    if (addresses.some((a) => isPrivateAddress(a.address))) {
      return callback(new PrivateAddressError(`${hostname} resolves to a private address`), '', 4);
    }
    // The caller asked for one address or all of them: answer in the shape it asked for.
    if (options.all) return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
    const first = addresses[0]!;
    callback(null, first.address, first.family);
  });
};

/**
 * Fetches `url` (http or https only); the reason on failure is written for the admin who uploaded.
 * No redirect is followed (Discord's CDN serves attachments where it says they are), and a host
 * that is, or resolves to, a private address is refused unless it is one of `privateHosts`.
 */
export async function downloadWithin(
  url: string,
  { maxBytes, allowedHosts, privateHosts = NONE, timeoutMs = DOWNLOAD_TIMEOUT_MS }: DownloadOptions,
): Promise<Download> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'the attachment has no valid address to download it from' };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return { ok: false, reason: 'the attachment has no valid address to download it from' };
  }
  // Only where Discord keeps attachments: a forged payload cannot make the bot fetch other addresses.
  const notDiscord = "the attachment is not on Discord's file servers";
  if (!allowedHosts.has(parsed.host)) return { ok: false, reason: notDiscord };
  const mayBePrivate = privateHosts.has(parsed.host);
  const literal = parsed.hostname.replace(/^\[|\]$/g, '');
  if (!mayBePrivate && isIP(literal) && isPrivateAddress(literal)) return { ok: false, reason: `${notDiscord} (its address is private)` };
  const tooLarge = (size: string) => `the file is larger than the ${formatSize(maxBytes)} limit (${size})`;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const get = parsed.protocol === 'https:' ? httpsGet : httpGet;
      get(parsed, { signal, ...(mayBePrivate ? {} : { lookup: publicOnlyLookup }) }, resolve).on('error', reject);
    });
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400) {
      response.destroy();
      return {
        ok: false,
        reason: `Discord's file server sent the download elsewhere (HTTP ${status}), and the bot follows no redirect; try uploading it again`,
      };
    }
    if (status < 200 || status >= 300) {
      response.destroy();
      return { ok: false, reason: `Discord did not hand over the file (HTTP ${status}); try uploading it again` };
    }
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      response.destroy();
      return { ok: false, reason: tooLarge(formatSize(declared)) };
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of response as AsyncIterable<Buffer>) {
      total += chunk.byteLength;
      if (total > maxBytes) {
        response.destroy();
        return { ok: false, reason: tooLarge(`over ${formatSize(maxBytes)} received`) };
      }
      chunks.push(chunk);
    }
    // A connection cut before the declared length arrived is not the file.
    if (!response.complete) return { ok: false, reason: 'the download was cut off before the whole file arrived; try uploading it again' };
    return { ok: true, bytes: Buffer.concat(chunks, total) };
  } catch (error) {
    if (signal.aborted) return { ok: false, reason: `the download took longer than ${Math.round(timeoutMs / 1000)} s and was stopped` };
    if (error instanceof PrivateAddressError) return { ok: false, reason: `${notDiscord} (its host resolves to a private address)` };
    return { ok: false, reason: `the file could not be downloaded (${error instanceof Error ? error.message : String(error)})` };
  }
}
