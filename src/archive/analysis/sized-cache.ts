/**
 * A memo table capped by the memory it holds, not by how many entries it has. The analysis caches
 * are fed by questions too, and 10,000 long nonsense questions grew an entry-capped cache by 130 MB:
 * entries of long words weigh far more than an archive's typical ones. When the estimate passes the
 * budget the table is emptied (a memo only saves time; losing it loses nothing).
 */

/** Bytes a Map entry and a string header cost beyond the characters (a generous estimate). */
const ENTRY_OVERHEAD_BYTES = 96;

/** Estimated bytes of a string (V8 stores at most two bytes a character). */
export function stringBytes(text: string): number {
  return 2 * text.length;
}

export class SizedCache<V> {
  readonly #entries = new Map<string, V>();
  #bytes = 0;

  constructor(
    /** Largest estimated size, in bytes. */
    readonly budgetBytes: number,
    /** Estimated bytes of a value, beyond the entry overhead. */
    private readonly valueBytes: (value: V) => number,
  ) {}

  get(key: string): V | undefined {
    return this.#entries.get(key);
  }

  set(key: string, value: V): void {
    const bytes = ENTRY_OVERHEAD_BYTES + stringBytes(key) + this.valueBytes(value);
    if (this.#bytes + bytes > this.budgetBytes) this.clear();
    this.#entries.set(key, value);
    this.#bytes += bytes;
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  /** The estimated size of what is held, in bytes. */
  get bytes(): number {
    return this.#bytes;
  }
}
