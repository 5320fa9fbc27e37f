/**
 * The engine's read-time numbers: ranking, questions and excerpts. They only read an index, so
 * changing one costs no rebuild of a saved index (cache/engine-key.ts leaves this file out of the
 * key); the numbers that shape the index are in `shaping-defaults.ts`. Each says its default, the
 * range it makes sense in, and the docs/tuning.md row that justifies it. To change one: run the
 * benchmark (`npm run bench`), add a row to docs/tuning.md with the figures, then change it here.
 *
 * Options objects elsewhere (`RankingOptions`, `ExcerptOptions`) take their defaults from these
 * constants, so a caller can still override any of them per archive.
 */

// ── Ranking ─────────────────────────────────────────────────────────────────────────────────────

/**
 * BM25 term-frequency saturation. @defaultValue 1.0 · range 0.5–2 · tuning.md "BM25 k1 1.0, b 0.5"
 */
export const BM25_K1 = 1.0;

/**
 * BM25 length normalisation (0 none, 1 full). @defaultValue 0.5 · range 0–1 · tuning.md "BM25 k1 1.0, b 0.5"
 */
export const BM25_B = 0.5;

/**
 * BM25F weight of the document title relative to the passage body.
 * @defaultValue 2 · range 0–4 · tuning.md "BM25F (title and body combined before saturation, title weight 2)"
 */
export const TITLE_WEIGHT = 2;

/**
 * BM25F weight of a page passage's section headings (below the page title), a field of the passage.
 * @defaultValue 2 · range 0–3 · tuning.md "docs: section headings as a passage field", round 4 "section weight 2"
 */
export const SECTION_WEIGHT = 2;

/**
 * A page's code passage scores this times its score unless the question asks for code.
 * @defaultValue 0.5 · range 0.2–1 · tuning.md "docs: code passages weighted down unless asked for"
 */
export const CODE_WEIGHT = 0.5;

/**
 * Share of the heaviest question terms' weight a passage must match to be quoted at all.
 * @defaultValue 0.4 · range 0–1 · tuning.md "thin-match bar: 40% of the weight of the question's three heaviest terms"
 */
export const MIN_COVERAGE = 0.4;

/** How many of the question's heaviest terms set the thin-match bar. @defaultValue 3 · range 1–10 · same row */
export const COVERAGE_TERMS = 3;

/** Leading results one document may take while others also match. @defaultValue 2 · range 1–5 */
export const MAX_PER_DOCUMENT = 2;

/**
 * Coordination exponent: score × coverage^c. @defaultValue 0.5 · range 0–2 · tuning.md "coordination"
 */
export const COORDINATION = 0.5;

/**
 * Bonus weight for the question's words found in one sentence.
 * @defaultValue 0.5 · range 0–2 · tuning.md "bonus for the question's words in one sentence"
 */
export const SENTENCE_WEIGHT = 0.5;

/**
 * BM25F weight of a document's lead (a first passage of one or two sentences, in a document of
 * three passages or more) as a field shared by its other passages.
 * @defaultValue 1 · range 0–2 · tuning.md "lead as a document-level field"
 */
export const LEAD_WEIGHT = 1;

/**
 * A sentence holding a word of the kind of answer asked for (a number for "how many", a date for
 * "when", a name for "who"/"where") counts 1 + this times its question weight, in ranking's
 * sentence bonus and in the excerpt's choice of sentences.
 * @defaultValue 0.3 · range 0–1 · tuning.md "answer-kind bonus"
 */
export const ANSWER_KIND_BOOST = 0.3;

/**
 * In-document term specificity: within a document, its passages are ordered again with a bonus of
 * this times the weight of the question words each holds, scaled by how few of the document's
 * passages hold each. @defaultValue 0 · range 0–2 · tuning.md "in-document term specificity"
 */
export const SPECIFICITY_WEIGHT = 0;

/**
 * Typed answer slot: within a document, a passage whose richest sentence lacks the asked-for kind
 * of answer scores 1 − this times as much when its passages are ordered again.
 * @defaultValue 0.2 · range 0–0.5 · tuning.md "typed answer slot"
 */
export const ANSWER_SLOT_PENALTY = 0.2;

/**
 * When the question holds words the archive has never seen (left out of the thin-match bar), the
 * share of the whole question's weight a passage must match.
 * @defaultValue 0.3 · range 0–0.6 · tuning.md "unknown words off the bar, share of the whole question"
 */
export const MIN_SHARE_WITH_UNKNOWN = 0.3;

/**
 * Ranking for topic searches (`/search`, `cli search`): plain BM25F, none of the question features
 * (the thin-match bar stays: a list should not fill with passages sharing one common word).
 * tuning.md "keyword profile"
 */
export const KEYWORD_RANKING = { coordination: 0, sentenceWeight: 0, answerKindBoost: 0, leadWeight: 0 } as const;

/**
 * Passages of two documents this similar (Jaccard of word 3-shingles) are one story filed twice:
 * the lower-ranked folds into the higher. @defaultValue 0.6 · range 0.4–0.9 · tuning.md "near-duplicate folding"
 */
export const NEAR_DUPLICATE_SIMILARITY = 0.6;

/**
 * The same, between two documents with one URL (a story re-issued with a new headline and edits):
 * the URL says they are one story, so a passage need only share this much to be the same passage.
 * @defaultValue 0.1 · range 0–0.6 · tuning.md "same URL"
 */
export const SAME_URL_SIMILARITY = 0.1;

/**
 * A hit is a closest match, not an answer, when the question's words found anywhere in its
 * document carry under this share of the question's weight; it then lists the missing words.
 * Lower flags fewer answers and honest fewer absent topics (0.3 / 0.5: see the row).
 * @defaultValue 0.4 · range 0.3–0.6 · tuning.md "Missing words", the kept row
 */
export const MISSING_MIN_SHARE = 0.4;

/** Most missing words a hit lists. @defaultValue 4 · range 1–8 */
export const MISSING_MAX_WORDS = 4;

/** An English word's weight in that share, relative to a name's (½ and ¼ were tried). @defaultValue 1 · range 0.25–1 · same section */
export const MISSING_LEXICON_WEIGHT = 1;

/**
 * A name the whole archive lacks (not English, not an all-capitals acronym) makes every hit a
 * closest match: the archive never mentions it. @defaultValue true · same row
 */
export const MISSING_UNKNOWN_NAMES = true;

/** How many of the best passages get the sentence bonus computed. @defaultValue 60 · range 10–500 · same row */
export const SENTENCE_POOL = 60;

/**
 * Question terms tracked as bits of one 32-bit mask, in ranking and in excerpts alike. Longer
 * questions still score every term; the terms past this count as matched for coverage and add no
 * excerpt weight. @defaultValue 32 · fixed by the mask width
 */
export const QUESTION_TERMS_MAX = 32;

/**
 * Cut a quote from the matched passage and the next (prose of one section), the excerpt choosing
 * the sentences: the asked-for detail often opens the next paragraph. @defaultValue true · tuning.md "quote across a paragraph break"
 */
export const QUOTE_ACROSS_BREAK = true;

// ── Questions and results ───────────────────────────────────────────────────────────────────────

/** Characters of a question that are read; the rest is ignored. @defaultValue 1000 */
export const MAX_QUESTION_CHARS = 1000;

/** Most results one search returns. @defaultValue 50 */
export const MAX_LIMIT = 50;

/** Results a search returns when the caller does not say. @defaultValue 3 · range 1–{@link MAX_LIMIT} */
export const DEFAULT_LIMIT = 3;

// ── Excerpts ────────────────────────────────────────────────────────────────────────────────────

/**
 * Longest excerpt (the quote) in characters, separators included.
 * @defaultValue 350 · range 150–1000 · the SQuAD "answer-in-excerpt@1" protocol quotes ≤ 350
 */
export const EXCERPT_MAX_CHARS = 350;

/**
 * Shortest start of the next sentence worth adding when room is left.
 * @defaultValue 40 · range 20–100 · tuning.md "excerpts: fill leftover room with the start of the next sentence"
 */
export const EXCERPT_MIN_TAIL_CHARS = 40;

/**
 * Smallest room a caller may ask an excerpt to fit (`SearchHit.excerptWithin`); a smaller room is
 * raised to it, so a quote is never reduced to an ellipsis.
 * @defaultValue 20 · fixed · a few words with an ellipsis at each end
 */
export const MIN_EXCERPT_ROOM = 20;
