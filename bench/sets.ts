/**
 * The benchmark's data sets and how big each is in full and quick runs. Query
 * subsets are deterministic (every n-th query), so two runs measure the same thing.
 */
export const SET_KEYS = ['squad', 'cranfield', 'kcna', 'kcna-own', 'docs-own', 'generated'] as const;
export type SetKey = (typeof SET_KEYS)[number];

export interface SetSize {
  /** Queries evaluated for quality (SQuAD) or timed (others); undefined = all. */
  queries?: number;
  /** Passages to generate (generated set only). */
  passages?: number;
  /** Times the query list is run for the latency figures (small query sets). */
  latencyRounds?: number;
  /** Only the first n SQuAD articles (all their paragraphs and questions); undefined = all. */
  articles?: number;
  /** Only the first n documents (KCNA); undefined = all. */
  documents?: number;
  /** Systems not run on this set, and why (shown in the report). */
  skip?: Partial<Record<string, string>>;
}

export const SIZES: Record<'full' | 'quick', Record<SetKey, SetSize>> = {
  full: {
    squad: {},
    cranfield: { latencyRounds: 5 },
    kcna: { queries: 1000 },
    'kcna-own': {},
    'docs-own': {},
    generated: {
      passages: 100_000,
      queries: 1000,
      skip: { lunr: 'skipped: building 100,000 passages took over 240 s here (the job timeout), which would double the run' },
    },
  },
  quick: {
    squad: { articles: 12, queries: 300 },
    cranfield: { latencyRounds: 1 },
    kcna: { documents: 300, queries: 200 },
    'kcna-own': {},
    'docs-own': {},
    generated: { passages: 3000, queries: 200 },
  },
};

/** Every n-th item so that about `count` remain, in order; all when count is undefined or larger. */
export function subsample<T>(items: readonly T[], count: number | undefined): T[] {
  if (count === undefined || count >= items.length) return [...items];
  const step = items.length / count;
  return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)]!);
}

export function isSetKey(value: string): value is SetKey {
  return (SET_KEYS as readonly string[]).includes(value);
}
