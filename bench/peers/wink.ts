/**
 * wink-bm25-text-search with the prep tasks from its documentation, built from
 * wink-nlp-utils: lower-case, tokenize, remove stop words, Porter stem,
 * propagate negations. Title and text weigh 1 each; BM25 parameters are the
 * library's defaults.
 */
import bm25 from 'wink-bm25-text-search';
import nlp from 'wink-nlp-utils';
import type { SearchSystem } from '../types.js';

export function createWink(): SearchSystem {
  let engine: ReturnType<typeof bm25> | undefined;
  return {
    name: 'wink-bm25',
    build(documents) {
      engine = bm25();
      engine.defineConfig({ fldWeights: { title: 1, text: 1 } });
      engine.definePrepTasks([
        nlp.string.lowerCase,
        nlp.string.tokenize0,
        nlp.tokens.removeWords,
        nlp.tokens.stem,
        nlp.tokens.propagateNegations,
      ]);
      for (const document of documents) engine.addDoc({ title: document.title, text: document.text }, document.id);
      engine.consolidate();
    },
    search(query, k) {
      if (!engine) throw new Error('bench: wink-bm25 searched before build');
      return engine.search(query, k).map(([id]) => id);
    },
  };
}
