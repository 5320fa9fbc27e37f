import { describe, expect, it } from 'vitest';
import { Growable } from '../../../src/archive/postings/growable.js';

describe('Growable', () => {
  it('keeps every pushed value in order across growth, and trims on toArray', () => {
    const values = new Growable(Uint32Array, 2);
    for (let i = 0; i < 1000; i++) values.push(i * 3);
    expect(values.length).toBe(1000);
    expect(values.at(999)).toBe(2997);
    const array = values.toArray();
    expect(array).toBeInstanceOf(Uint32Array);
    expect(array.length).toBe(1000);
    expect(Array.from(array.subarray(0, 4))).toEqual([0, 3, 6, 9]);
  });

  it('stores what its element type holds', () => {
    const signed = new Growable(Int32Array);
    signed.push(-1);
    expect(signed.at(0)).toBe(-1);
    const short = new Growable(Uint16Array);
    short.push(70000);
    expect(short.at(0)).toBe(70000 & 0xffff);
  });
});
