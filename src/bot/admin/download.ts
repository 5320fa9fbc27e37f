/**
 * Downloading a user's attachment into memory, bounded: never more than `maxBytes` is held (a
 * declared length over it is refused before the body is read, and the read stops one chunk past it
 * whatever the server sends), and the whole download has a deadline.
 */

export type Download = { ok: true; bytes: Buffer } | { ok: false; reason: string };

export interface DownloadOptions {
  /** Most bytes accepted. */
  maxBytes: number;
  /** Host names (with port, when not the default) a download may come from; any other is refused unfetched. */
  allowedHosts: ReadonlySet<string>;
  /** The whole download (headers and body) must finish within this. @defaultValue 60 s */
  timeoutMs?: number;
}

/** Where Discord serves attachments from. */
export const DISCORD_CDN_HOSTS: readonly string[] = ['cdn.discordapp.com', 'media.discordapp.net'];

/**
 * The hosts attachments may be downloaded from: Discord's CDN, and the host of DISCORD_API_URL (a
 * proxy or a fake Discord, such as the tests', serves attachments beside the API).
 */
export function attachmentHosts(apiUrl: string): ReadonlySet<string> {
  return new Set([...DISCORD_CDN_HOSTS, new URL(apiUrl).host]);
}

/** How long an attachment download may take by default: Discord's CDN serves 20 MB in a few seconds. */
export const DOWNLOAD_TIMEOUT_MS = 60_000;

/** `1.5 MB`, `12 KB`, `300 bytes`. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${bytes} bytes`;
}

/** Fetches `url` (http or https only); the reason on failure is written for the admin who uploaded. */
export async function downloadWithin(
  url: string,
  { maxBytes, allowedHosts, timeoutMs = DOWNLOAD_TIMEOUT_MS }: DownloadOptions,
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
  if (!allowedHosts.has(parsed.host)) return { ok: false, reason: "the attachment is not on Discord's file servers" };
  const tooLarge = (size: string) => `the file is larger than the ${formatSize(maxBytes)} limit (${size})`;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(parsed, { signal });
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      return { ok: false, reason: `Discord did not hand over the file (HTTP ${response.status}); try uploading it again` };
    }
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) {
      await response.body.cancel();
      return { ok: false, reason: tooLarge(formatSize(declared)) };
    }
    const chunks: Buffer[] = [];
    let total = 0;
    const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        return { ok: false, reason: tooLarge(`over ${formatSize(maxBytes)} received`) };
      }
      chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    }
    return { ok: true, bytes: Buffer.concat(chunks, total) };
  } catch (error) {
    if (signal.aborted) return { ok: false, reason: `the download took longer than ${Math.round(timeoutMs / 1000)} s and was stopped` };
    return { ok: false, reason: `the file could not be downloaded (${error instanceof Error ? error.message : String(error)})` };
  }
}
