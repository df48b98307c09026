import { describe, expect, it } from 'vitest';
import type { EventStore } from '../event-store/event-store.port.js';
import { FoldGate } from '../infrastructure/fold-gate.js';
import { CurrentTimeline } from './current-timeline.js';
import type { TimelineReadModel } from './timeline-read-model.js';

/** A store whose log is empty but whose horizon moves with `asOf`; it counts the folds (page reads). */
function countingStore(horizonOf: (asOf: string) => number) {
  const store = {
    pageReads: 0,
    head: async () => 100,
    lastPositionRecordedBy: async (asOf: string) => horizonOf(asOf),
    readReplayPage: async () => {
      store.pageReads++;
      return [];
    },
  };
  return store;
}

describe('CurrentTimeline with asOf', () => {
  it('folds a horizon once: another asOf with the same horizon reuses it, a new horizon folds again', async () => {
    const store = countingStore((asOf) => (asOf < '2024-06-01' ? 10 : 20));
    const timeline = new CurrentTimeline({} as TimelineReadModel, store as unknown as EventStore);
    const first = await timeline.read({}, '2024-01-01');
    expect(first).toEqual({ items: [], position: 10, asOf: '2024-01-01T00:00:00.000Z' });
    await Promise.all([timeline.read({}, '2024-02-01'), timeline.read({ pillars: ['ai'] }, '2024-03-01')]);
    expect(store.pageReads).toBe(1);
    expect((await timeline.read({}, '2024-07-01')).position).toBe(20);
    expect(store.pageReads).toBe(2);
  });

  it('keeps only the last few horizons', async () => {
    const store = countingStore((asOf) => Number(asOf.slice(0, 4)) - 2000);
    const timeline = new CurrentTimeline(
      {} as TimelineReadModel,
      store as unknown as EventStore,
      new FoldGate(1),
      2,
    );
    for (const year of ['2001', '2002', '2003', '2001']) await timeline.read({}, year);
    expect(store.pageReads).toBe(4);
  });
});
