import type { LoadProgress } from '../../src/archive/index.js';

/** A quarter through the analysis of a 4,000-document archive, 70 s in, 210 s to go. */
export const ANALYSING: LoadProgress = {
  stage: 'analysing',
  filesRead: 4000,
  filesToRead: 4000,
  documentsAnalysed: 1000,
  documentsToAnalyse: 4000,
  passagesAnalysed: 12_345,
  fraction: 0.256,
  elapsedMs: 70_000,
  etaMs: 210_000,
};
