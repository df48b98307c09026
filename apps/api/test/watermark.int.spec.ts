import { type DomainEventEnvelope, readStoredEnvelope } from '@timeline/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../src/event-store/event-store.port.js';
import { migrate } from '../src/event-store/migrations.js';
import type { SqlClient } from '../src/event-store/sql-client.js';
import { TimelineReadModel } from '../src/read-model/timeline-read-model.js';
import { meetings } from './support/events.js';
import { prng } from '@timeline/testing/fuzz';
import { openTestStorage, STORE_KINDS } from './support/stores.js';

/** The watermark as it was computed before migration 4: an anti-join over the whole table. */
async function referenceWatermark(sql: SqlClient): Promise<number> {
  const { rows } = await sql.query<{ w: number }>(
    `SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM projected_events WHERE position = 1) THEN 0
            ELSE (SELECT MIN(p.position) FROM projected_events p
                  WHERE NOT EXISTS (SELECT 1 FROM projected_events q WHERE q.position = p.position + 1))
            END AS w`,
  );
  return Number(rows[0]?.w ?? 0);
}

async function appendAll(store: EventStore, count: number): Promise<DomainEventEnvelope[]> {
  for (let i = 0; i < count; i += 50)
    await store.append(`wm-${i % 7}`, 'any', meetings(Math.min(50, count - i), `W${i}`));
  const page = await store.readLogPage({ after: 0, limit: count });
  return page.map(readStoredEnvelope);
}

describe.each(STORE_KINDS)('projector watermark kept with the projection on %s', (kind) => {
  let storage: Awaited<ReturnType<typeof openTestStorage>>;
  let events: DomainEventEnvelope[];
  const at = (...positions: number[]) => positions.map((p) => events[p - 1]!);

  beforeAll(async () => {
    storage = await openTestStorage(kind, 'watermark');
    events = await appendAll(storage.store, 400);
  });

  afterAll(async () => {
    await storage?.dispose();
  });

  it('does not pass a hole, moves when it is filled, and never counts a redelivery twice', async () => {
    const model = new TimelineReadModel(storage.sql);
    expect(await model.watermark()).toBe(0);
    await model.apply(at(3, 5));
    expect(await model.watermark()).toBe(0);
    await model.apply(at(1));
    expect(await model.watermark()).toBe(1);
    expect(model.lastWatermark).toBe(1);
    await model.apply(at(2, 3, 1)); // 3 and 1 again: redelivered
    expect(await model.watermark()).toBe(3);
    await model.apply(at(5, 3));
    expect(await model.watermark()).toBe(3);
    await model.apply(at(4));
    expect(await model.watermark()).toBe(5);
    expect(await referenceWatermark(storage.sql)).toBe(5);
  });

  it('equals the anti-join after every batch of a shuffled, duplicated delivery', async () => {
    const model = new TimelineReadModel(storage.sql);
    const r = prng(kind === 'postgres' ? 11 : 12);
    // Three "partitions" (position mod 3), each in order, interleaved at random, with redeliveries.
    const partitions = [0, 1, 2].map((k) => events.filter((e) => e.position > 5 && e.position % 3 === k));
    const cursors = [0, 0, 0];
    while (cursors.some((c, k) => c < partitions[k]!.length)) {
      const k = Math.floor(r.next() * 3);
      const partition = partitions[k]!;
      if (cursors[k]! >= partition.length) continue;
      const take = 1 + Math.floor(r.next() * 20);
      const replay = Math.floor(r.next() * 4); // redeliver a few already applied
      const from = Math.max(0, cursors[k]! - replay);
      const batch = partition.slice(from, cursors[k]! + take);
      cursors[k] = Math.min(partition.length, cursors[k]! + take);
      await model.apply(batch);
      const expected = await referenceWatermark(storage.sql);
      expect(await model.watermark()).toBe(expected);
      expect(model.lastWatermark).toBe(expected);
    }
    expect(await model.watermark()).toBe(events.length);
  });
});

describe('projector watermark on PostgreSQL with projectors in several processes', () => {
  let storage: Awaited<ReturnType<typeof openTestStorage>>;
  let events: DomainEventEnvelope[];

  beforeAll(async () => {
    storage = await openTestStorage('postgres', 'watermark');
    events = await appendAll(storage.store, 600);
  });

  afterAll(async () => {
    await storage?.dispose();
  });

  it('stays exact when transactions on different partitions commit in any order', async () => {
    // Each "instance" owns one partition and keeps its transaction open a random while, so a
    // position that fills a hole regularly commits beside one that sits above it.
    const r = prng(7);
    const instances = [0, 1, 2].map(async (k) => {
      const model = new TimelineReadModel(storage.sql);
      const mine = events.filter((e) => e.position % 3 === k);
      for (let i = 0; i < mine.length; ) {
        const size = 1 + Math.floor(r.next() * 8);
        const hold = Math.floor(r.next() * 4);
        await storage.sql.transaction(async (tx) => {
          await model.applyWithin(tx, mine.slice(i, i + size));
          await new Promise((done) => setTimeout(done, hold));
        });
        i += size;
      }
    });
    await Promise.all(instances);
    expect(await referenceWatermark(storage.sql)).toBe(events.length);
    expect(await new TimelineReadModel(storage.sql).watermark()).toBe(events.length);
  });

  it('migration 4 gives a store that already has projected rows its watermark (up to the first hole)', async () => {
    const { sql } = storage;
    // Back to the schema before migration 4, with a hole at 451 among the projected rows.
    await sql.query('DROP TABLE projected_watermark');
    await sql.query('DELETE FROM schema_migrations WHERE version = 4');
    await sql.query('DELETE FROM projected_events WHERE position = 451');
    expect(await migrate(sql)).toEqual([4]);
    const model = new TimelineReadModel(sql);
    expect(await model.watermark()).toBe(450);
    await model.apply(events.slice(450, 451));
    expect(await model.watermark()).toBe(events.length);

    await sql.query('DROP TABLE projected_watermark');
    await sql.query('DELETE FROM schema_migrations WHERE version = 4');
    await sql.query('DELETE FROM projected_events WHERE position = 1');
    await migrate(sql);
    expect(await model.watermark()).toBe(0);
  });
});
