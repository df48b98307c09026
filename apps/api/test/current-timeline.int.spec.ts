import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../src/event-store/event-store.port.js';
import { FoldGate } from '../src/infrastructure/fold-gate.js';
import { CurrentTimeline } from '../src/read-model/current-timeline.js';
import { TimelineReadModel } from '../src/read-model/timeline-read-model.js';
import { aMeeting } from './support/events.js';
import { openTestStorage, STORE_KINDS } from './support/stores.js';

/**
 * "The timeline as known at T" folds the log up to T's horizon once and reuses the fold while the
 * horizon holds, on a real store whose events were recorded at chosen times. The folds are counted
 * on the store's replay reads.
 */
describe.each(STORE_KINDS)('CurrentTimeline with asOf on %s', (kind) => {
  let storage: Awaited<ReturnType<typeof openTestStorage>>;
  let recordedAt = new Date('2024-01-15T00:00:00Z');
  let pageReads = 0;
  let store: EventStore;

  beforeAll(async () => {
    storage = await openTestStorage(kind, 'asof', () => recordedAt);
    for (const at of ['2001-06-01', '2002-06-01', '2003-06-01', '2024-01-15', '2024-07-15']) {
      recordedAt = new Date(`${at}T00:00:00Z`);
      await storage.store.append(`asof-${at}`, 'no_stream', [aMeeting({ title: `recorded ${at}` })]);
    }
    store = new Proxy(storage.store, {
      get(target, property, receiver) {
        if (property !== 'readReplayPage') return Reflect.get(target, property, receiver);
        return (...args: Parameters<EventStore['readReplayPage']>) => {
          pageReads++;
          return target.readReplayPage(...args);
        };
      },
    });
  });

  afterAll(async () => {
    await storage?.dispose();
  });

  it('folds a horizon once: another asOf with the same horizon reuses it, a new horizon folds again', async () => {
    const timeline = new CurrentTimeline(new TimelineReadModel(storage.sql), store);
    const start = pageReads;
    const first = await timeline.read({}, '2024-02-01');
    expect(first.position).toBe(4);
    expect(first.items.map((i) => i.data.title)).toContain('recorded 2024-01-15');
    expect(first.items.map((i) => i.data.title)).not.toContain('recorded 2024-07-15');
    const afterFirst = pageReads;
    expect(afterFirst).toBeGreaterThan(start);
    await Promise.all([timeline.read({}, '2024-03-01'), timeline.read({ pillars: ['ai'] }, '2024-06-30')]);
    expect(pageReads).toBe(afterFirst);
    const later = await timeline.read({}, '2024-08-01');
    expect(later.position).toBe(5);
    expect(pageReads).toBeGreaterThan(afterFirst);
  });

  it('keeps only the last few horizons', async () => {
    const timeline = new CurrentTimeline(new TimelineReadModel(storage.sql), store, new FoldGate(1), 2);
    const reads: number[] = [];
    for (const year of ['2001-12-31', '2002-12-31', '2003-12-31', '2001-12-31', '2003-12-31']) {
      const before = pageReads;
      await timeline.read({}, year);
      reads.push(pageReads - before > 0 ? 1 : 0);
    }
    // The fourth read's horizon (2001) was pushed out by 2002 and 2003; the fifth (2003) was kept.
    expect(reads).toEqual([1, 1, 1, 1, 0]);
  });
});
