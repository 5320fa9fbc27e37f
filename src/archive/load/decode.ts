import { normalizeText } from './text.js';

/** The reason recorded for a file whose bytes are not UTF-8 text. */
const NOT_UTF8_REASON = 'not valid UTF-8 text';

type DecodeResult = { ok: true; text: string } | { ok: false; reason: string };

// One fatal decoder for all files: a wrong guess at an encoding would put mojibake into
// quotes the bot presents as verbatim, so anything that is not UTF-8 is refused instead.
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Bytes → normalised text, or why the bytes are not text. */
export function decodeText(bytes: Uint8Array): DecodeResult {
  // NUL is valid UTF-8 but never appears in text files; it is the surest sign of binary data
  // (and of UTF-16, which the fatal decoder would otherwise sometimes accept).
  if (bytes.includes(0)) return { ok: false, reason: NOT_UTF8_REASON };
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, reason: NOT_UTF8_REASON };
  }
  return { ok: true, text: normalizeText(text) };
}
