/**
 * The benchmark's shapes: the documents every system indexes, the queries with
 * their judgements, and the one interface that our engine and each peer library
 * implement so they all run through the same code.
 */
import type { ArchiveDocument } from '../src/archive/index.js';

/** A document as every system receives it (the engine's own document shape). */
export type BenchDocument = ArchiveDocument;

/**
 * A search system under test. `build` indexes the documents once; `search` returns
 * the ids of the best `k` distinct documents, best first.
 */
export interface SearchSystem {
  readonly name: string;
  build(documents: BenchDocument[]): void;
  search(query: string, k: number): string[];
  /**
   * The quote the system itself would show for its first result. Systems without
   * their own excerpts leave it out, and the benchmark cuts one from their top
   * document by the shared rule in `eval/excerpt.ts`.
   */
  quote?(query: string): string | undefined;
}

/** A SQuAD question: its gold paragraph and the accepted answer strings. */
export interface SquadQuery {
  text: string;
  gold: string;
  answers: string[];
}

/** A Cranfield query with its graded judgements (doc id → grade 1..4; 1 is best). */
export interface CranfieldQuery {
  /** Position in cran.qry, from 1: the number cranqrel uses. */
  number: number;
  /** The number printed in cran.qry (001–365, with gaps); kept only for reference. */
  printedId: string;
  text: string;
  grades: Map<string, number>;
}
