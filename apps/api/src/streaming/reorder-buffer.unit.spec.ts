import { describe, expect, it } from 'vitest';
import { ReorderBuffer } from './reorder-buffer.js';

const at = (position: number) => ({ position });

describe('ReorderBuffer', () => {
  it('given events out of order, when they arrive, then it emits them in position order', () => {
    const buffer = new ReorderBuffer<{ position: number }>(1);
    expect(buffer.push(at(2))).toEqual([]);
    expect(buffer.push(at(3))).toEqual([]);
    expect(buffer.missing).toEqual({ from: 1, to: 1 });
    expect(buffer.push(at(1)).map((e) => e.position)).toEqual([1, 2, 3]);
    expect(buffer.next).toBe(4);
    expect(buffer.missing).toBeUndefined();
  });

  it('drops duplicates and positions already emitted', () => {
    const buffer = new ReorderBuffer<{ position: number }>(5);
    expect(buffer.push(at(4))).toEqual([]);
    expect(buffer.push(at(7))).toEqual([]);
    expect(buffer.push(at(7))).toEqual([]);
    expect(buffer.size).toBe(1);
    expect(buffer.missing).toEqual({ from: 5, to: 6 });
    expect(buffer.push(at(5)).map((e) => e.position)).toEqual([5]);
    expect(buffer.missing).toEqual({ from: 6, to: 6 });
    expect(buffer.push(at(6)).map((e) => e.position)).toEqual([6, 7]);
  });
});
