/**
 * The engine's one public entry. The bot, the CLI and the benchmark import the engine only from
 * here (a lint rule enforces it), so everything below this folder can be rearranged freely.
 *
 * Data flows one way: file → document (`load/`) → passages → analysis → index → ranked passages
 * (`rank/`) → excerpt (`excerpt/`). `Archive` ties the steps together; `cache/` keeps their results
 * on disk and `worker/` runs a load off the caller's thread.
 */
export { Archive, MAX_LIMIT, MAX_QUESTION_CHARS } from './archive.js';
export { ELLIPSIS } from './excerpt/format.js';
export { excerptCost } from './excerpt/excerpt.js';
export {
  EMPTY_REASON_TEXT,
  PHRASES_RELAXED_TEXT,
  emptyArchiveReason,
  missingText,
  sourceParts,
  type EmptyReason,
  type SourceParts,
} from './explain.js';
export type { ArchiveOptions, ArchiveSnapshot, ArchiveStats, BuildTimings, LoadReport } from './archive.js';
export type {
  ArchiveDocument,
  Correction,
  Excerpt,
  ExcerptCost,
  ExcerptPiece,
  ExcerptPieceKind,
  ExcerptSize,
  Highlight,
  LoadedArchive,
  PageSection,
  Passage,
  SearchFilters,
  SearchHit,
  SearchOptions,
  SearchResponse,
  SkippedFile,
  TextMark,
} from './types.js';
export { ArchiveLoadError, LOAD_ERROR_PREFIX, isArchiveLoadError, type ArchiveLoadErrorKind } from './errors.js';
export { FilterError, parseDateBound, parsePartialDate } from './filters.js';
export { groupSkipped, describeSkipGroup, skippedPlace, type SkipGroup } from './skipped.js';
export { diffArchives, type ArchiveDiff, type DocumentRef } from './diff.js';
export { loadArchive, SUPPORTED_EXTENSIONS, MAX_FILE_BYTES } from './load/index.js';
export { setFrontMatter, FRONT_MATTER_EXTENSIONS, type FrontMatterFields } from './load/markdown.js';
export { loadArchiveInWorker, warmArchiveCache, WORKER_ERROR_PREFIX } from './worker/client.js';
export type { ArchiveSummary } from './worker/protocol.js';
export { checkFileInWorker, type CheckedFile } from './worker/check.js';
export { RACY_WINDOW_MS } from './pipeline/cached-load.js';
