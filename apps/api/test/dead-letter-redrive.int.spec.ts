import { type DomainEventEnvelope, foldTimeline, readOwnStoredEnvelope } from '@timeline/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventToAppend } from '../src/event-store/event-store.port.js';
import { DeadLetterMarks } from '../src/read-model/dead-letter-marks.js';
import { TimelineReadModel } from '../src/read-model/timeline-read-model.js';
import { aMeeting } from './support/events.js';
import { openTestStorage, STORE_KINDS } from './support/stores.js';

/**
 * A redrive folds the dead letter's item again from its history: the corrections projected while the
 * fact was a dead letter were ignored then (no item to correct), and must count once the fact is back.
 */
describe.each(STORE_KINDS)('redriving a dead letter on %s', (kind) => {
  let storage: Awaited<ReturnType<typeof openTestStorage>>;
  let model: TimelineReadModel;
  let marks: DeadLetterMarks;

  beforeAll(async () => {
    storage = await openTestStorage(kind, 'redrive');
    model = new TimelineReadModel(storage.sql);
    marks = new DeadLetterMarks(storage.sql, model);
  });

  afterAll(async () => {
    await storage?.dispose();
  });

  const lineage = (type: string, data: Record<string, unknown>): EventToAppend =>
    aMeeting({ type, data: { ...data, reason: 'the source says so' } });

  async function appendStream(stream: string, events: EventToAppend[]): Promise<DomainEventEnvelope[]> {
    const head = await storage.store.head();
    await storage.store.append(stream, 'no_stream', events);
    return (await storage.store.readLogPage({ after: head, limit: events.length })).map(
      readOwnStoredEnvelope,
    );
  }

  const history = async (tx: Parameters<Parameters<DeadLetterMarks['redrive']>[1]>[0], id: string) =>
    (await storage.store.within(tx).readEventWithLineage(id)).map(readOwnStoredEnvelope);

  /** The projector's way through a batch: dead-letter some positions, fold the others. */
  async function project(events: DomainEventEnvelope[], dead: DomainEventEnvelope[]): Promise<void> {
    for (const event of events) {
      if (dead.includes(event))
        await storage.sql.transaction((tx) =>
          marks.markWithin(tx, [{ position: event.position, eventId: event.eventId, reason: 'poison' }]),
        );
      else await model.apply([event]);
    }
  }

  async function itemAndVersions(id: string) {
    const { rows: item } = await storage.sql.query<{ item: { data: { title: string }; retracted: boolean } }>(
      'SELECT item FROM timeline_items WHERE id = $1',
      [id],
    );
    const { rows: versions } = await storage.sql.query<{ from_position: number; to_position: number | null }>(
      'SELECT from_position, to_position FROM timeline_item_versions WHERE id = $1 ORDER BY from_position',
      [id],
    );
    return {
      item: item[0]?.item,
      versions: versions.map((v) => [
        Number(v.from_position),
        v.to_position === null ? null : Number(v.to_position),
      ]),
    };
  }

  it('a fact redriven after its corrections: the item is the fact corrected, with a version per step', async () => {
    const fact = aMeeting({ title: 'First draft' });
    const fix = lineage('EventCorrected', { correctedEventId: fact.eventId, patch: { title: 'Second' } });
    const fix2 = lineage('EventCorrected', { correctedEventId: fact.eventId, patch: { title: 'Third' } });
    const events = await appendStream('redrive-a', [fact, fix, fix2]);
    await project(events, [events[0]!]);
    expect((await itemAndVersions(fact.eventId)).item).toBeUndefined();

    await marks.redrive(events[0]!, history);

    const expected = foldTimeline(events).get(fact.eventId)!;
    const { item, versions } = await itemAndVersions(fact.eventId);
    expect(item?.data.title).toBe('Third');
    expect(item).toEqual(JSON.parse(JSON.stringify(expected)));
    const [a, b, c] = events.map((e) => e.position);
    expect(versions).toEqual([
      [a, b],
      [b, c],
      [c, null],
    ]);
  });

  it('a correction redriven late goes under the later one; a dead letter still waiting stays out', async () => {
    const fact = aMeeting({ title: 'Base' });
    const early = lineage('EventCorrected', { correctedEventId: fact.eventId, patch: { title: 'Early' } });
    const waiting = lineage('EventCorrected', {
      correctedEventId: fact.eventId,
      patch: { format: 'summit' },
    });
    const late = lineage('EventCorrected', { correctedEventId: fact.eventId, patch: { title: 'Late' } });
    const events = await appendStream('redrive-b', [fact, early, waiting, late]);
    await project(events, [events[1]!, events[2]!]);
    expect((await itemAndVersions(fact.eventId)).item?.data.title).toBe('Late');

    await marks.redrive(events[1]!, history);

    // Before: "Early" was folded over "Late". Now the title stays the later correction's, and the
    // correction still waiting in the dead letters is not in the item.
    const { item, versions } = await itemAndVersions(fact.eventId);
    expect(item?.data.title).toBe('Late');
    expect((item!.data as Record<string, unknown>).format).toBe('talks');
    const [a, b, , d] = events.map((e) => e.position);
    expect(versions).toEqual([
      [a, b],
      [b, d],
      [d, null],
    ]);

    await marks.redrive(events[2]!, history);
    const all = foldTimeline(events).get(fact.eventId)!;
    expect((await itemAndVersions(fact.eventId)).item).toEqual(JSON.parse(JSON.stringify(all)));
    await expect(marks.redrive(events[2]!, history)).rejects.toThrow(/already redriven/);
  });

  it('the month counts follow the refolded item (a retraction projected while its fact was missing)', async () => {
    const count = async () => {
      const { rows } = await storage.sql.query<{ n: number }>(
        'SELECT coalesce(sum(n), 0)::int AS n FROM timeline_month_counts',
      );
      return Number(rows[0]!.n);
    };
    const before = await count();
    const fact = aMeeting({ title: 'Gone' });
    const retraction = lineage('EventRetracted', { retractedEventId: fact.eventId });
    const events = await appendStream('redrive-c', [fact, retraction]);
    await project(events, [events[0]!]);
    await marks.redrive(events[0]!, history);
    const { item } = await itemAndVersions(fact.eventId);
    expect(item?.retracted).toBe(true);
    expect(await count()).toBe(before);
  });
});
