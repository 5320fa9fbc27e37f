/** MiniSearch with English stop words and a Porter stemmer through its `processTerm`; defaults otherwise. */
import MiniSearch from 'minisearch';
import type { BenchDocument, SearchSystem } from '../types.js';
import { stemTerm } from './analysis.js';

export function createMiniSearch(): SearchSystem {
  let index: MiniSearch<BenchDocument> | undefined;
  return {
    name: 'MiniSearch',
    build(documents) {
      index = new MiniSearch<BenchDocument>({ fields: ['title', 'text'], processTerm: stemTerm });
      index.addAll(documents);
    },
    search(query, k) {
      if (!index) throw new Error('bench: MiniSearch searched before build');
      return index
        .search(query)
        .slice(0, k)
        .map((r) => String(r.id));
    },
  };
}
