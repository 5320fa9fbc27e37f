/**
 * The engine's numbers that shape the index: how documents are cut into passages. They are hashed
 * into the cache key (cache/engine-key.ts), so changing one re-analyses every saved index; the
 * read-time numbers (ranking, excerpts) are in `defaults.ts`. Each says its default, the range it
 * makes sense in, and the docs/tuning.md row that justifies it.
 *
 * `PassageOptions` takes its defaults from these constants, so a caller can still override them.
 */

// ── Passages ────────────────────────────────────────────────────────────────────────────────────

/**
 * Longest passage in characters; longer paragraphs are split at sentence ends.
 * @defaultValue 1000 · range 300–3000 · tuning.md "passage cap 600 / 1,500 / 2,500" (within ±0.004)
 */
export const PASSAGE_MAX_CHARS = 1000;

/**
 * A Markdown page's block shorter than this many characters (or ending in a colon) is one passage
 * with the next block of its section. @defaultValue 250 · range 0–400 · tuning.md "docs: short
 * blocks joined to the next block of their section"
 */
export const JOIN_BLOCKS_BELOW_CHARS = 250;

/**
 * Lines at most this wide that end mid-sentence are read as hard-wrapped text (one paragraph).
 * @defaultValue 100 · range 60–160 · tuning.md "hard-wrapped text read as flowing paragraphs"
 */
export const WRAP_WIDTH_MAX = 100;
