/**
 * Document titles indexed for prefix lookup, built once per loaded archive, so an autocomplete
 * keystroke or a `/source` lookup costs work bounded by what it returns, not by the number of
 * documents: sorted folded titles and title words, searched by binary search, plus maps from a
 * document's reference and its exact title.
 */
import { createHash } from 'node:crypto';
import type { Archive, ArchiveDocument } from '../../archive/index.js';

/** Lower case without diacritics, whitespace collapsed. */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The words of a folded text. */
export function wordsOf(folded: string): string[] {
  return folded.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/** Longest document id used as is in a reference; longer ones (or ids with `:` or spaces) are hashed. */
export const REF_ID_MAX = 60;
const HASHED = /^~[0-9a-f]{16}$/;

/**
 * How buttons and autocomplete values name a document: its id when short and plain, else `~` and 16
 * hex digits of its SHA-256. Both depend only on the id, so a reference stays valid across reloads
 * while the document keeps its id (ids come from the record or the file path, not the load order).
 */
export function documentRef(document: ArchiveDocument): string {
  const { id } = document;
  return id.length <= REF_ID_MAX && !/[:\s]/.test(id) && !HASHED.test(id) ? id : hashRef(id);
}

function hashRef(id: string): string {
  return `~${createHash('sha256').update(id).digest('hex').slice(0, 16)}`;
}

/** Candidates looked at per kind of match: the bound on one lookup's work. */
export const CANDIDATES_PER_KIND = 200;

/** Counts entries a lookup looked at, for tests that measure work rather than time. */
export interface WorkCounter {
  examined: number;
}

/** Sorted strings and what each belongs to. */
interface Sorted {
  keys: string[];
  owners: Int32Array;
}

function sortedOf(entries: Array<[string, number]>): Sorted {
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
  return { keys: entries.map((e) => e[0]), owners: Int32Array.from(entries, (e) => e[1]) };
}

function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class TitleIndex {
  /** Documents in the default order: newest first, undated last, then by title. */
  readonly #documents: ArchiveDocument[];
  readonly #folded: string[];
  readonly #titles: Sorted;
  readonly #words: Sorted;
  readonly #byRef = new Map<string, ArchiveDocument>();
  readonly #byTitle = new Map<string, ArchiveDocument | null>();

  constructor(documents: readonly ArchiveDocument[]) {
    this.#documents = [...documents].sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || a.title.localeCompare(b.title));
    this.#folded = this.#documents.map((d) => fold(d.title));
    const titles: Array<[string, number]> = [];
    const words: Array<[string, number]> = [];
    this.#folded.forEach((folded, at) => {
      titles.push([folded, at]);
      for (const word of new Set(wordsOf(folded))) words.push([word, at]);
      const document = this.#documents[at]!;
      this.#byRef.set(documentRef(document), document);
      // An exact title names a document only when no other document has it.
      this.#byTitle.set(folded, this.#byTitle.has(folded) ? null : document);
    });
    this.#titles = sortedOf(titles);
    this.#words = sortedOf(words);
  }

  /** The document a reference (or, failing that, a unique exact title) names. */
  resolve(value: string): ArchiveDocument | undefined {
    return this.#byRef.get(value) ?? this.#byTitle.get(fold(value)) ?? undefined;
  }

  /**
   * Documents whose title matches `query`: the exact title, then titles that start with it, then a
   * title word that starts with it, then every query word starting a title word; within a kind,
   * newest first. An empty query lists the newest documents. At most {@link CANDIDATES_PER_KIND}
   * entries of each kind are looked at.
   */
  search(query: string, limit: number, work: WorkCounter = { examined: 0 }): ArchiveDocument[] {
    const q = fold(query);
    if (!q) return this.#documents.slice(0, limit);
    const found = new Map<number, number>(); // position in #documents → best kind
    const note = (at: number, kind: number) => {
      const seen = found.get(at);
      if (seen === undefined || kind < seen) found.set(at, kind);
    };
    this.#prefixRange(this.#titles, q, work, (at, key) => note(at, key === q ? 0 : 1));
    const qWords = wordsOf(q);
    if (qWords.length === 1) {
      this.#prefixRange(this.#words, qWords[0]!, work, (at) => note(at, 2));
    } else if (qWords.length > 1) {
      // Candidates from the rarest query word, then checked against the others.
      const rarest = qWords.map((word) => ({ word, size: this.#rangeSize(this.#words, word) })).sort((a, b) => a.size - b.size)[0]!.word;
      this.#prefixRange(this.#words, rarest, work, (at) => {
        const words = wordsOf(this.#folded[at]!);
        if (qWords.every((qw) => words.some((w) => w.startsWith(qw)))) note(at, 3);
      });
    }
    return [...found.entries()]
      .sort((a, b) => a[1] - b[1] || a[0] - b[0])
      .slice(0, limit)
      .map(([at]) => this.#documents[at]!);
  }

  #prefixRange(sorted: Sorted, prefix: string, work: WorkCounter, visit: (at: number, key: string) => void): void {
    const start = lowerBound(sorted.keys, prefix);
    for (let i = start; i < sorted.keys.length && i - start < CANDIDATES_PER_KIND; i++) {
      const key = sorted.keys[i]!;
      work.examined++;
      if (!key.startsWith(prefix)) break;
      visit(sorted.owners[i]!, key);
    }
  }

  /** How many keys start with `prefix` (two binary searches). */
  #rangeSize(sorted: Sorted, prefix: string): number {
    return lowerBound(sorted.keys, `${prefix}\uffff`) - lowerBound(sorted.keys, prefix);
  }
}

const indexes = new WeakMap<Archive, TitleIndex>();

/** The title index of a loaded archive, built on first use. */
export function titleIndexOf(archive: Archive): TitleIndex {
  let index = indexes.get(archive);
  if (!index) {
    index = new TitleIndex(archive.documents);
    indexes.set(archive, index);
  }
  return index;
}
