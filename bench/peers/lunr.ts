/**
 * lunr with its default English pipeline (trimmer, stop words, Porter stemmer).
 * Questions are not parsed as lunr query syntax (a `:` or `-` in a question
 * would change its meaning or throw): each word goes through the index
 * pipeline and becomes one optional term, which is what `search` does for
 * plain words.
 */
import lunr from 'lunr';
import type { SearchSystem } from '../types.js';

export function createLunr(): SearchSystem {
  let index: lunr.Index | undefined;
  const pipeline = new lunr.Pipeline();
  pipeline.add(lunr.trimmer, lunr.stopWordFilter, lunr.stemmer);
  return {
    name: 'lunr',
    build(documents) {
      index = lunr(function () {
        this.ref('id');
        this.field('title');
        this.field('text');
        for (const document of documents) this.add(document);
      });
    },
    search(query, k) {
      if (!index) throw new Error('bench: lunr searched before build');
      const terms = pipeline.run(lunr.tokenizer(query)).map(String);
      if (terms.length === 0) return [];
      return index
        .query((q) => {
          q.term(terms, { usePipeline: false });
        })
        .slice(0, k)
        .map((r) => r.ref);
    },
  };
}
