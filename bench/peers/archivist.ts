/**
 * Our engine as one more system under test. It ranks passages; a document can
 * hold several, so results are folded to distinct documents (the protocol counts
 * a passage as its document). It quotes with its own excerpts.
 */
import { Archive, MAX_LIMIT, type ArchiveOptions, type SearchHit } from '../../src/archive/index.js';
import type { BenchDocument, SearchSystem } from '../types.js';

export interface ArchivistSystem extends SearchSystem {
  /** Load and index a folder or file with the engine's own loader; returns the loaded documents. */
  load(path: string): Promise<BenchDocument[]>;
  /** The built archive, for its own statistics. */
  archive(): Archive;
  /** The search profile: `question` as /ask asks (default), `keyword` as /search does. */
  profile: 'question' | 'keyword';
}

export function createArchivist(options: ArchiveOptions = {}): ArchivistSystem {
  let archive: Archive | undefined;
  // The first hit of the last search: the bot quotes from the same response it ranked. Its excerpt
  // is a getter that cuts the quote when first read, so it is read in quote(), outside the timed search.
  let last: { query: string; hit: SearchHit | undefined } | undefined;
  const built = (): Archive => {
    if (!archive) throw new Error('bench: Archivist searched before build');
    return archive;
  };
  return {
    name: 'Archivist (ours)',
    profile: 'question',
    build(documents) {
      archive = Archive.fromDocuments(documents, options);
    },
    async load(path) {
      archive = await Archive.load(path, options);
      return [...archive.documents];
    },
    archive: built,
    search(query, k) {
      const ids = (limit: number) => {
        const response = built().search(query, { limit, profile: this.profile });
        last = { query, hit: response.hits[0] };
        return { ids: [...new Set(response.hits.map((hit) => hit.document.id))], total: response.total };
      };
      let result = ids(k);
      // Several passages of one document may fill the list: ask for more until k documents or none left.
      if (result.ids.length < k && result.total > k) result = ids(Math.min(MAX_LIMIT, 3 * k));
      return result.ids.slice(0, k);
    },
    quote(query) {
      if (last?.query === query) return last.hit?.excerpt.text;
      return built().search(query, { limit: 1, profile: this.profile }).hits[0]?.excerpt.text;
    },
  };
}
