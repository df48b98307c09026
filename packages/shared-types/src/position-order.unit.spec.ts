import { describe, expect, it } from 'vitest';
import { PositionOrder, type PositionRange } from './position-order.js';

const at = (position: number) => ({ position });

function collect(options: ConstructorParameters<typeof PositionOrder>[1] = {}) {
  const seen: number[] = [];
  const order = new PositionOrder<{ position: number }>((e) => seen.push(e.position), options);
  return { seen, order };
}

describe('PositionOrder', () => {
  it('emits events that arrive in order at once, holding nothing', () => {
    const { seen, order } = collect();
    for (let p = 1; p <= 5; p++) order.push(at(p));
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(order.position).toBe(5);
    expect(order.buffered).toBe(0);
    expect(order.hole).toBeUndefined();
  });

  it('emits in position order, holding early arrivals and dropping redeliveries', () => {
    const { seen, order } = collect();
    for (const p of [2, 1, 1, 4, 3, 2, 6, 5, 7]) order.push(at(p));
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(order.duplicates).toBe(2);
    order.push(at(10));
    order.push(at(12));
    expect(order.missing()).toEqual([8, 9, 11]);
    expect(order.buffered).toBe(2);
  });

  it('starts after a given position and drops anything at or below it', () => {
    const { seen, order } = collect({ after: 4 });
    order.push(at(4));
    order.push(at(7));
    order.push(at(7));
    expect(order.buffered).toBe(1);
    expect(order.duplicates).toBe(2);
    expect(order.hole).toEqual({ from: 5, to: 6 });
    order.push(at(5));
    expect(order.hole).toEqual({ from: 6, to: 6 });
    order.push(at(6));
    expect(seen).toEqual([5, 6, 7]);
    expect(order.hole).toBeUndefined();
  });

  it('holds events far ahead of the next position (the ring grows) and still emits each once, in order', () => {
    const { seen, order } = collect();
    // Three "partitions" of 5,000 positions each, read one after the other: up to 10,000 wait.
    const total = 15_000;
    for (const start of [3, 2, 1])
      for (let p = start; p <= total; p += 3) {
        order.push(at(p));
        if (p % 7 === 0) order.push(at(p)); // a redelivery, while it waits or after it went out
      }
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(order.buffered).toBe(0);
    expect(order.position).toBe(total);
    expect(order.duplicates).toBe(Math.floor(total / 7));
    expect(order.missing()).toEqual([]);

    // A hole far behind what waits: reported, limited, nothing emitted past it.
    const holed = new PositionOrder<{ position: number }>(() => undefined);
    for (let p = 2; p <= 3_000; p++) holed.push(at(p));
    expect(holed.position).toBe(0);
    expect(holed.buffered).toBe(2_999);
    expect(holed.missing()).toEqual([1]);
    expect(holed.hole).toEqual({ from: 1, to: 1 });
    holed.push(at(1));
    expect(holed.position).toBe(3_000);
  });

  it('tells the gap policy about the first hole after each push that leaves events waiting', () => {
    const holes: PositionRange[] = [];
    const { seen, order } = collect({ onHole: (hole) => holes.push(hole) });
    order.push(at(1));
    order.push(at(4));
    order.push(at(6));
    order.push(at(2));
    expect(holes).toEqual([
      { from: 2, to: 3 },
      { from: 2, to: 3 },
      { from: 3, to: 3 },
    ]);
    order.push(at(3));
    order.push(at(5));
    expect(holes).toHaveLength(4); // after 3 arrived, 6 still waited behind 5
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('lets the gap policy fill a hole by pushing what it fetched', () => {
    const log = Array.from({ length: 10 }, (_, i) => at(i + 1));
    const fetched: PositionRange[] = [];
    const seen: number[] = [];
    let filling = false;
    const order: PositionOrder<{ position: number }> = new PositionOrder((e) => seen.push(e.position), {
      // Pushing the fetched events reports the rest of the same hole: one fetch at a time is enough.
      onHole: (hole) => {
        if (filling) return;
        filling = true;
        fetched.push(hole);
        queueMicrotask(() => {
          for (const e of log.slice(hole.from - 1, hole.to)) order.push(e);
          filling = false;
        });
      },
    });
    order.push(at(4));
    return Promise.resolve().then(() => {
      expect(fetched).toEqual([{ from: 1, to: 3 }]);
      expect(seen).toEqual([1, 2, 3, 4]);
    });
  });

  it('drops what waits on clear', () => {
    const { seen, order } = collect();
    order.push(at(2));
    order.clear();
    expect(order.buffered).toBe(0);
    order.push(at(1));
    expect(seen).toEqual([1]);
  });
});
