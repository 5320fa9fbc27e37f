/**
 * The engine's plain data. Nothing here knows about Discord or the terminal:
 * the bot and the CLI are two faces that render these shapes.
 *
 * Data flows one way: file → ArchiveDocument → Passage → index → SearchHit → Excerpt.
 */

/** One document as the loader read it, before it is split into passages. */
export interface ArchiveDocument {
  /** Stable id: the record's own `id`, else its path relative to the archive root (`#N` for the Nth record of a file, from 1). */
  id: string;
  /** Front matter / record title, else the first heading or first line, else the file name. */
  title: string;
  /** The body text that passages are cut from (front matter and the title heading removed). */
  text: string;
  /** Path of the file it came from, relative to the archive root, with `/` separators. */
  file: string;
  /** Where the document comes from (a publication, an agency, a site). */
  source?: string;
  /** Publication date as ISO `YYYY-MM-DD` (or a full ISO timestamp when the record had one). */
  date?: string;
  url?: string;
  tags?: string[];
  /** How a Markdown page's text is laid out: its sections, blocks and inline marks (absent for other formats). */
  layout?: DocumentLayout;
}

/**
 * A Markdown page read as a reader sees it. The document's `text` is the page's words without
 * their markup (link text without link syntax, code without fences, no HTML); `pieces` says which
 * span of the source file each stretch of it was cut from, `blocks` and `sections` how it is laid
 * out, and `marks` which stretches are inline code or links. All offsets are into `text` unless
 * said otherwise.
 */
export interface DocumentLayout {
  /** The page's sections: the headings above a block (below the page title), outermost first. */
  sections: PageSection[];
  /** Paragraphs, lists, tables, admonitions and code blocks, in text order, never overlapping. */
  blocks: TextBlock[];
  /** Stretches shown as inline code or as a link's text, in text order. */
  marks: TextMark[];
  /**
   * Where the text comes from, as flattened `[textStart, sourceStart, length]` triples: `text`
   * from textStart is the source file's characters from sourceStart, for length characters.
   * Text between pieces is a separator (a line break between blocks) or a label (`Tip:`).
   */
  pieces: number[];
}

export interface PageSection {
  /** Heading texts from the outermost (below the page title) to this section's own. */
  headings: string[];
  /** The id of the section's heading on the rendered page (`#anchor`). */
  anchor?: string;
}

export type BlockKind = 'prose' | 'code';

export interface TextBlock {
  start: number;
  end: number;
  kind: BlockKind;
  /** Index into `sections`; -1 before the first section heading. */
  section: number;
  /** A code block's language, as its fence names it. */
  language?: string;
}

export interface TextMark {
  start: number;
  end: number;
  kind: 'code' | 'link';
  /** A link's target as written (absolute or relative). */
  href?: string;
  /**
   * Code: a code block inside a prose passage ("Example:" and its code), in whole lines with its
   * whitespace as written: show it as a code block, in `language` when known ('' for none).
   */
  block?: { language: string };
}

/** A file or record that could not be loaded, and why; the rest of the archive still loads. */
export interface SkippedFile {
  /** Path relative to the archive root. */
  file: string;
  /** 1-based line (or record number for JSON arrays) when the problem is inside the file. */
  line?: number;
  reason: string;
}

/** What a load produced. */
export interface LoadedArchive {
  documents: ArchiveDocument[];
  skipped: SkippedFile[];
  /** Documents dropped because an earlier document had the identical text. */
  duplicates: number;
}

/** A span of a document's text: the unit that is indexed, ranked and quoted. */
export interface Passage {
  /** Index of the owning document in the archive's document list. */
  doc: number;
  /** 1-based position of the passage within its document. */
  position: number;
  /** Character offsets into the document's `text` (end exclusive). */
  start: number;
  end: number;
}

/** A range to emphasise, as character offsets into the excerpt text (end exclusive). */
export interface Highlight {
  start: number;
  end: number;
}

/** The verbatim span the bot quotes for a hit. */
export interface Excerpt {
  /** Verbatim text from the passage; where it skips text, the pieces are joined by " … ". */
  text: string;
  /** Matched query terms, as ranges into `text`. */
  highlights: Highlight[];
  /**
   * A Markdown page's inline code and links, as ranges into `text` (absent when none): show them as
   * inline code and as the link's text (a masked link when its target is absolute).
   */
  marks?: TextMark[];
  /** The quote is code, whitespace as written: show it as a code block (in `language` when known). */
  code?: { language?: string };
  /**
   * `text` as the pieces it is made of, in order and covering it end to end: what a formatter renders,
   * piece by piece (after Lucene's `PassageFormatter`); `marks` and `highlights` fall inside text pieces.
   */
  pieces: ExcerptPiece[];
}

/**
 * What a piece of an excerpt is: `text`, words cut from the passage; `gap`, the ellipsis the excerpt
 * puts where it leaves text out. (A page's inline code and links are `marks` inside text pieces; a
 * code quote is the excerpt's `code`.)
 */
export type ExcerptPieceKind = 'text' | 'gap';

/** One piece of an excerpt's text. */
export interface ExcerptPiece {
  kind: ExcerptPieceKind;
  /** Offsets into the excerpt's `text` (end exclusive). */
  start: number;
  end: number;
  /**
   * For a `text` piece: the span of the passage it was cut from, as offsets into the hit's `text`
   * (add `passage.start` for offsets into the document). Whitespace runs in it show as one space.
   */
  source?: { start: number; end: number };
}

/**
 * How a caller's rendering prices an excerpt, so the engine can choose one that fits the caller's
 * room as rendered: escaping, emphasis marks and all.
 */
export interface ExcerptCost {
  /**
   * What character `ch` costs once rendered (at least 1), between the characters shown `before` and
   * `after` it ('' at an end). The excerpt shows each whitespace run as one space, and prices it so.
   */
  char(ch: string, before: string, after: string): number;
  /** What rendering one highlight adds (e.g. 4 for `**…**`). */
  highlight: number;
  /** What rendering a page's inline code or link adds around its text (a link's target, say). @defaultValue 0 */
  mark?(mark: TextMark): number;
  /** What showing a code quote as a block adds (its fences), given its language ('' for none). @defaultValue 0 */
  codeBlock?(language: string): number;
}

/** The room a caller has for an excerpt. */
export interface ExcerptSize {
  /** Most the excerpt may cost, separators and ellipses included (in characters when `cost` is left out). */
  maxChars: number;
  /** @defaultValue one per character shown, nothing per highlight */
  cost?: ExcerptCost;
}

/** Filters applied before ranking. */
export interface SearchFilters {
  /** Inclusive lower bound: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
  from?: string;
  /** Inclusive upper bound: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a year or month includes all of it). */
  to?: string;
  /** Exact source name, compared case-insensitively. */
  source?: string;
}

export interface SearchOptions extends SearchFilters {
  /** How many hits to return. @defaultValue 3 */
  limit?: number;
  /** Hits to skip first (for paging). @defaultValue 0 */
  offset?: number;
  /**
   * Search for the archive's word in place of a question word it does not know when one is
   * clearly meant ("Roskosmos" → "roscosmos"); the response lists each as a correction. @defaultValue true
   */
  correct?: boolean;
  /**
   * `question` (for /ask): a question answered by one passage — coordination, the sentence bonus
   * and the answer-kind bonus. `keyword` (for /search): a topic — plain BM25F with pseudo-relevance
   * feedback (the best passages' shared words join the query at a lower weight). @defaultValue 'question'
   */
  profile?: 'question' | 'keyword';
}

/** A question word searched as the archive's word instead (a misspelling, corrected). */
export interface Correction {
  /** The word as typed. */
  from: string;
  /** The archive's word searched instead. */
  to: string;
}

export interface SearchHit {
  document: ArchiveDocument;
  passage: Passage;
  /** The whole passage text. */
  text: string;
  /** A Markdown page's passage: the section it is in (its headings below the page title, its anchor). */
  section?: PageSection;
  score: number;
  /**
   * The question's weighty words, as typed and heaviest first, that this passage's document (its
   * title and every passage: the passage's context) lacks — listed only when what the document
   * holds carries under half of the question's weight, so the hit is a closest match rather than
   * an answer ("Missing: qatar, 2022"); [] when it answers.
   */
  missing: string[];
  /**
   * Other documents that tell the same story almost word for word (near-duplicates folded into
   * this hit rather than shown as hits of their own), best first.
   */
  duplicates?: ArchiveDocument[];
  /** The quote for this hit; cut from the passage when first read. */
  readonly excerpt: Excerpt;
  /**
   * The quote for this hit within a caller's room: {@link excerpt} when it fits `size`, else one
   * chosen for that size (the rarest question words still decide what is quoted). A caller lays out
   * its reply first, then asks once per hit, and renders what it gets without cutting it.
   */
  excerptWithin(size: ExcerptSize): Excerpt;
}

export interface SearchResponse {
  query: string;
  hits: SearchHit[];
  /** How many hits exist in all (for paging), after filters and thin-match rejection. */
  total: number;
  /**
   * Why the list is empty, when it is: the question had no searchable words,
   * nothing in the archive matched, the best match was too thin to trust, the filters (dates,
   * source) left out every passage that matched, or the archive holds no document at all.
   */
  emptyReason?: 'no-terms' | 'no-match' | 'too-thin' | 'filtered' | 'empty-archive';
  /** For an empty answer: archive terms close to the question's words, to suggest. */
  suggestions?: string[];
  /** Question words searched as the archive's words instead (say so: "Showing results for …"). */
  corrections?: Correction[];
  /** Postings the ranking read for this answer (every ranking pass): a measure of its work, for benchmarks. */
  postingsRead?: number;
  /**
   * True when no passage holds the question's quoted words in that order and they were searched
   * apart (say so): a pasted error message with a path or value elided still finds its page.
   */
  phrasesRelaxed?: boolean;
}
