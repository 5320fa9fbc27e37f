/**
 * Append-only typed arrays that double as they fill: the index builder's buffers.
 * Plain JS arrays of millions of numbers cost several times the memory and keep the
 * garbage collector busy; these hold raw 32- or 16-bit values.
 */
type TypedArray = Uint32Array | Int32Array | Uint16Array;
type TypedArrayClass<T extends TypedArray> = { new (length: number): T };

export class Growable<T extends TypedArray> {
  private buffer: T;
  length = 0;

  constructor(
    private readonly kind: TypedArrayClass<T>,
    capacity = 1024,
  ) {
    this.buffer = new kind(capacity);
  }

  push(value: number): void {
    if (this.length === this.buffer.length) this.grow();
    this.buffer[this.length++] = value;
  }

  at(index: number): number {
    return this.buffer[index]!;
  }

  /** A trimmed copy, as the index keeps it. */
  toArray(): T {
    return this.buffer.slice(0, this.length) as T;
  }

  private grow(): void {
    const grown = new this.kind(this.buffer.length * 2);
    grown.set(this.buffer);
    this.buffer = grown;
  }
}
