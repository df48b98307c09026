import { readStoredEnvelope } from '@timeline/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventToAppend } from '../src/event-store/event-store.port.js';
import { TimelineReadModel } from '../src/read-model/timeline-read-model.js';
import { ReadModelRebuild } from '../src/replay/read-model-rebuild.js';
import { expectReadModelEqualsFold } from './support/read-model.js';
import { aFact, correction, retraction } from './support/replay-fixtures.js';
import { openTestStorage, STORE_KINDS, type StoreKind } from './support/stores.js';

/**
 * The rebuild runs over 100,000 events on PostgreSQL. On embedded PGlite the same test over 100,000
 * takes as long again (about 80 s on two cores), so it proves the same behaviour over 20,000 to keep
 * this file near three minutes.
 */
const BULK_EVENTS: Record<StoreKind, number> = { postgres: 100_000, pglite: 20_000 };
const APPEND_BATCH = 1_000;
const PILLAR_CYCLE = ['telecom', 'ai', 'quantum', 'semiconductors'];

/**
 * 1,000 events per append: facts in 20 streams, and in every batch after the first, corrections and
 * retractions of facts of the batch before (some of them already retracted, which the fold ignores).
 */
function bulkBatch(index: number, previous: EventToAppend[]): EventToAppend[] {
  const batch: EventToAppend[] = [];
  const lineage = index === 0 ? 0 : 60;
  for (let i = 0; i < APPEND_BATCH - lineage; i++) {
    const n = index * APPEND_BATCH + i;
    const fact = aFact(`Fact ${n}`, {
      pillars: [PILLAR_CYCLE[n % PILLAR_CYCLE.length]!],
      actors: [`Actor ${n % 37}`],
      occurredAt: {
        start: `${2000 + (n % 25)}-${String((n % 12) + 1).padStart(2, '0')}`,
        precision: 'month',
      },
    });
    batch.push(fact);
  }
  for (let i = 0; i < lineage; i++) {
    const target = previous[(i * 7) % previous.length]!;
    if (target.type !== 'MeetingHeld') continue;
    batch.push(
      i % 6 === 5
        ? retraction(target)
        : correction(target, {
            patch: { title: `${String(target.data.title)} (corrected ${index})` },
            reason: 'bulk',
          }),
    );
  }
  return batch;
}

describe.each(STORE_KINDS)('read model rebuild of a large store on %s', (kind) => {
  const total = BULK_EVENTS[kind];
  let storage: Awaited<ReturnType<typeof openTestStorage>>;
  let live: TimelineReadModel;

  beforeAll(async () => {
    storage = await openTestStorage(kind, 'replay');
    live = new TimelineReadModel(storage.sql);
  });

  afterAll(async () => {
    await storage?.dispose();
  });

  it('rebuilds beside the live model while writes, projection and queries go on, then equals a fold of the store', async () => {
    const started = Date.now();
    let previous: EventToAppend[] = [];
    for (let b = 0; b < total / APPEND_BATCH; b++) {
      const batch = bulkBatch(b, previous);
      await storage.store.append(`bulk-${b % 20}`, 'any', batch);
      previous = batch;
    }
    const appended = Date.now();
    // The live model, folded as the projector would, without Kafka.
    for (let after = 0; ; ) {
      const page = await storage.store.readLogPage({ after, limit: 5000 });
      if (page.length === 0) break;
      await live.apply(page.map(readStoredEnvelope));
      after = page[page.length - 1]!.position;
    }
    const projected = Date.now();
    expect(await live.watermark()).toBe(total);

    const rebuild = new ReadModelRebuild(storage.store, storage.sql);
    const { done } = await rebuild.start();
    await expect(rebuild.start()).rejects.toThrow(/already running/);

    // Meanwhile: appends keep coming and a "projector" applies them; readers keep asking.
    let stop = false;
    let queries = 0;
    const writer = (async () => {
      let round = 0;
      while (!stop) {
        const more = Array.from({ length: 25 }, (_, i) =>
          aFact(`During rebuild ${round}.${i}`, { pillars: ['ai'] }),
        );
        const result = await storage.store.append(`during-${round % 3}`, 'any', more);
        const fresh = await storage.store.readLogPage({ after: result.events[0]!.position - 1, limit: 25 });
        await live.apply(fresh.map(readStoredEnvelope));
        round += 1;
        await new Promise((r) => setTimeout(r, 100));
      }
      return round;
    })();
    const reader = (async () => {
      while (!stop) {
        expect(await live.count()).toBeGreaterThan(0);
        expect(await live.watermark()).toBeGreaterThanOrEqual(total);
        queries += 1;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    const status = await done;
    const rebuilt = Date.now();
    stop = true;
    const rounds = await writer;
    await reader;
    expect(status).toMatchObject({ state: 'swapped', phase: 'done' });
    expect(status.appliedPosition).toBeGreaterThanOrEqual(total);
    expect(queries).toBeGreaterThan(0);

    const head = await storage.store.head();
    expect(head).toBe(total + rounds * 25);
    expect(await live.watermark()).toBe(head);
    const rows = await expectReadModelEqualsFold(storage.store, storage.sql);
    expect(rows).toBeGreaterThan(total * 0.9);
    // The swap kept the live tables' index names.
    const { rows: indexes } = await storage.sql.query<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes
       WHERE tablename IN ('timeline_items', 'projected_events', 'timeline_item_versions') ORDER BY indexname`,
    );
    expect(indexes.map((i) => i.indexname)).toEqual([
      'projected_events_pkey',
      'timeline_item_versions_as_of',
      'timeline_item_versions_from',
      'timeline_item_versions_pkey',
      'timeline_item_versions_to',
      'timeline_items_counts',
      'timeline_items_pkey',
      'timeline_items_valid_from',
      'timeline_items_valid_period',
      'timeline_items_valid_to',
    ]);

    process.stderr.write(
      `[rebuild.int] ${kind}: append ${total} events ${((appended - started) / 1000).toFixed(1)} s, ` +
        `live fold ${((projected - appended) / 1000).toFixed(1)} s, rebuild ${((rebuilt - projected) / 1000).toFixed(1)} s ` +
        `(${rounds} appends and ${queries} reader rounds during it)\n`,
    );
  }, 600_000);
});
