/**
 * A saved index opened for reads on demand. At start only what every search needs is read: the
 * header (with the manifest), the documents' fields, the terms, and the per-term, per-passage and
 * per-document arrays (about a tenth of the file at 100,000 passages). The long lists (each term's
 * postings, each passage's words and sentences) and the documents' texts are read from the file
 * when a search asks for them, by position, through the descriptor opened at start.
 *
 * The file is untrusted input, and validation moves with the reads: the core is checked at start as
 * `checkSnapshot` checks it (checkCore); every block of the file a read touches is checked against
 * its CRC-32, and each list or text is checked when it is read (postings ascend and point inside
 * the index, words and sentences lie inside their passage, a text holds its passages and layout).
 *
 * A read that finds damage throws a CacheFileError saying so, and removes the file (when it is
 * still the one opened) so that the next load rebuilds it; what was read and checked before stays
 * usable, and nothing unchecked is ever used. A search that needs the damaged part fails with that
 * error, which names the file and says a reload rebuilds it.
 */
import type { IndexCore, IndexLists, PassageWords, Postings } from '../postings/inverted-index.js';
import { InvertedIndex, LIST_FIELDS } from '../postings/inverted-index.js';
import type { ArchiveDocument, LoadedArchive, Passage } from '../types.js';
import { CacheFileError, ContainerFile, type HeaderRead, type ReadLimits } from '../wire/container.js';
import { LazyTexts } from '../wire/lazy-texts.js';
import { INDEX_ARRAYS, INDEX_STRINGS, passagesOf, type ArchiveSnapshot } from '../wire/snapshot.js';
import {
  bindToManifest,
  checkEngine,
  checkManifest,
  decodeSnapshot,
  encodeSnapshotHeader,
  readIndexStrings,
  type Manifest,
} from './cache-files.js';
import {
  checkCore,
  checkDocumentFields,
  checkDocumentText,
  checkPassageWords,
  checkPostingList,
  checkSkipped,
  type ListLengths,
} from './validate.js';

/** Bytes of lists kept after they are read (the most recently used first kept). */
const LIST_CACHE_BYTES = 32 * 1024 * 1024;

function expect(condition: unknown, what: string): asserts condition {
  if (!condition) throw new CacheFileError(what);
}

/** The core arrays: every typed array of the index but its long lists. */
const CORE_ARRAYS = Object.entries(INDEX_ARRAYS).filter(([name]) => !(LIST_FIELDS as readonly string[]).includes(name)) as [
  keyof IndexCore,
  'u16' | 'u32' | 'i32',
][];

/** A saved index open for reads: what a load gets instead of the whole snapshot. */
export interface OpenedSnapshot {
  manifest: Manifest;
  loaded: LoadedArchive;
  index: InvertedIndex;
  passages: Passage[];
  saved: SavedIndex;
}

/** The open file behind an archive started from its saved index. */
export class SavedIndex {
  constructor(
    private readonly file: ContainerFile,
    private readonly engine: string,
    private readonly root: string,
  ) {}

  /** Bytes read from the file so far. */
  get bytesRead(): number {
    return this.file.bytesRead;
  }

  /** The file's size. */
  get size(): number {
    return this.file.size;
  }

  get closed(): boolean {
    return this.file.closed;
  }

  /** The whole snapshot, read and checked as a load without reads on demand would (to hand it to another thread). */
  whole(): ArchiveSnapshot {
    return this.guard(() => decodeSnapshot(this.file.readAll(), this.engine, this.root).snapshot);
  }

  /** The file's bytes with `manifest` in place of its own: the body copied as it is. */
  withManifest(manifest: Manifest): Iterable<Uint8Array> {
    const header: Record<string, unknown> = { ...this.file.header, ...encodeSnapshotHeader(this.engine, manifest) };
    delete header.sections;
    return this.file.withHeader(header);
  }

  close(): void {
    this.file.close();
  }

  /** Runs a read; damage found is reported as such, and the file removed for the next load to rebuild. */
  guard<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof CacheFileError)) throw error;
      if (this.file.closed) throw new CacheFileError(`the saved index ${this.file.path} was closed with its archive`);
      this.file.discard();
      throw new CacheFileError(`the saved index ${this.file.path} is damaged (${error.message}); it was removed, and a reload rebuilds it`);
    }
  }
}

/**
 * Opens a saved index (whose header must be `header`, read before) for reads on demand, checks
 * what it reads at start, and returns the archive's parts. The file stays open until
 * `saved.close()` (or until nothing refers to it).
 */
export function openSnapshot(path: string, engine: string, root: string, header?: HeaderRead, limits: ReadLimits = {}): OpenedSnapshot {
  const file = ContainerFile.open(path, header, limits);
  try {
    return readCore(file, engine, root);
  } catch (error) {
    file.close();
    throw error;
  }
}

function readCore(file: ContainerFile, engine: string, root: string): OpenedSnapshot {
  const { header } = file;
  checkEngine(header, 'snapshot', engine);
  const manifest = checkManifest(header.manifest);
  // The core is one stretch of the file as we write it: one read.
  file.readAhead([
    'documents',
    'textEnds',
    'skipped',
    ...INDEX_STRINGS,
    'passageStart',
    'passageEnd',
    ...CORE_ARRAYS.map(([name]) => name),
  ]);
  const metadata = file.json('documents') as unknown[];
  const textEnds = file.typed('textEnds', 'u32');
  expect(Array.isArray(metadata) && metadata.length === textEnds.length && metadata.length === header.documents, 'document count mismatch');
  expect(textEnds.length === 0 || textEnds[textEnds.length - 1] === file.count('texts', 'text'), 'document texts do not add up');
  for (let i = 1; i < textEnds.length; i++) expect(textEnds[i]! >= textEnds[i - 1]!, 'document texts out of order');
  const strings = readIndexStrings(file);
  const arrays = Object.fromEntries(CORE_ARRAYS.map(([name, kind]) => [name, file.typed(name, kind)]));
  const core = { ...strings, ...arrays } as IndexCore;
  const passageStart = file.typed('passageStart', 'u32');
  const passageEnd = file.typed('passageEnd', 'u32');
  const skipped = file.json('skipped');
  checkSkipped(skipped);
  expect(Number.isInteger(header.duplicates) && (header.duplicates as number) >= 0, 'malformed snapshot header');
  metadata.forEach((rest) => checkDocumentFields(rest));
  const fields = metadata as Omit<ArchiveDocument, 'text'>[];
  const lengths = Object.fromEntries(LIST_FIELDS.map((name) => [name, file.count(name, INDEX_ARRAYS[name])])) as ListLengths;
  checkCore(core, lengths, fields, passageStart, passageEnd);
  file.readAhead();

  const saved = new SavedIndex(file, engine, root);
  const texts = new LazyTexts(
    (start, end) => saved.guard(() => file.bytes('texts', start, end)),
    textEnds,
    (i, text) =>
      saved.guard(() =>
        checkDocumentText(fields[i]!.layout, text.length, passageEnd, core.documentFirstPassage[i]!, core.documentPassageCount[i]!),
      ),
  );
  const documents = fields.map((rest, i): ArchiveDocument => texts.attach({ ...rest }, i));
  bindToManifest(documents, manifest);
  const index = new InvertedIndex(core, new FileLists(file, saved, core, passageStart, passageEnd, documents.length));
  return {
    manifest,
    loaded: { documents, skipped, duplicates: header.duplicates as number },
    index,
    passages: passagesOf({ passageStart, passageEnd, index: core }),
    saved,
  };
}

/** What a list cache entry holds, and its size. */
interface Cached {
  value: Postings | PassageWords | Int32Array;
  bytes: number;
}

/** Kinds of list, the low bits of a cache key (the term or passage above them). */
const BODY = 0;
const TITLE = 1;
const SECTION = 2;
const WORDS = 3;
const POSITIONS = 4;
const KINDS = 8;

/** The long lists of a saved index, read from its file when asked and checked as they are read. */
class FileLists implements IndexLists {
  private readonly cache = new Map<number, Cached>();
  private cachedBytes = 0;

  constructor(
    private readonly file: ContainerFile,
    private readonly saved: SavedIndex,
    private readonly core: IndexCore,
    private readonly passageStart: Uint32Array,
    private readonly passageEnd: Uint32Array,
    private readonly documents: number,
  ) {}

  private cached<T extends Cached['value']>(key: number, read: () => T, bytes: (value: T) => number): T {
    const hit = this.cache.get(key);
    if (hit) {
      // Most recently used last: the first entries are the ones dropped.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit.value as T;
    }
    const value = this.saved.guard(read);
    const size = bytes(value);
    this.cache.set(key, { value, bytes: size });
    this.cachedBytes += size;
    for (const [oldest, entry] of this.cache) {
      if (this.cachedBytes <= LIST_CACHE_BYTES || oldest === key) break;
      this.cache.delete(oldest);
      this.cachedBytes -= entry.bytes;
    }
    return value;
  }

  private postings(
    kind: number,
    term: number,
    start: Uint32Array,
    targetsName: 'postingPassage' | 'titleDocument' | 'sectionPassage',
    frequenciesName: 'postingFrequency' | 'titleFrequency' | 'sectionFrequency',
    limit: number,
    what: string,
  ): Postings {
    return this.cached(
      term * KINDS + kind,
      () => {
        const from = start[term]!;
        const to = start[term + 1]!;
        const targets = this.file.typed(targetsName, 'u32', from, to);
        const frequencies = this.file.typed(frequenciesName, 'u16', from, to);
        checkPostingList(targets, frequencies, 0, targets.length, limit, what);
        return { targets, frequencies };
      },
      (value) => value.targets.byteLength + value.frequencies.byteLength,
    );
  }

  body(term: number): Postings {
    const { postingStart } = this.core;
    return this.postings(BODY, term, postingStart, 'postingPassage', 'postingFrequency', this.passageStart.length, 'body postings');
  }

  title(term: number): Postings {
    return this.postings(TITLE, term, this.core.titleStart, 'titleDocument', 'titleFrequency', this.documents, 'title postings');
  }

  section(term: number): Postings {
    const { sectionStart } = this.core;
    return this.postings(SECTION, term, sectionStart, 'sectionPassage', 'sectionFrequency', this.passageStart.length, 'section postings');
  }

  words(passage: number): PassageWords {
    return this.cached(
      passage * KINDS + WORDS,
      () => {
        const { positionStart, sentenceStart } = this.core;
        const from = positionStart[passage]!;
        const to = positionStart[passage + 1]!;
        const words = {
          terms: this.file.typed('positionTerm', 'i32', from, to),
          offsets: this.file.typed('positionOffset', 'u32', from, to),
          lengths: this.file.typed('positionLength', 'u16', from, to),
          sentences: this.file.typed('sentenceSpan', 'u32', sentenceStart[passage], sentenceStart[passage + 1]),
        };
        const { terms, sentences } = words;
        const span = [this.passageStart[passage]!, this.passageEnd[passage]!] as const;
        checkPassageWords(words, 0, terms.length, 0, sentences.length, ...span, this.core.terms.length);
        return words;
      },
      (value) => value.terms.byteLength + value.offsets.byteLength + value.lengths.byteLength + value.sentences.byteLength,
    );
  }

  positions(passage: number): Int32Array {
    const words = this.cache.get(passage * KINDS + WORDS);
    if (words) return (words.value as PassageWords).terms;
    return this.cached(
      passage * KINDS + POSITIONS,
      () => {
        const { positionStart } = this.core;
        const terms = this.file.typed('positionTerm', 'i32', positionStart[passage], positionStart[passage + 1]);
        const termCount = this.core.terms.length;
        for (const term of terms) expect(term >= -1 && term < termCount, 'a position names no term');
        return terms;
      },
      (value) => value.byteLength,
    );
  }
}
