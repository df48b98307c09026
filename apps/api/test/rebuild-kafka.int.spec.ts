/**
 * Rebuilding the read model from Kafka offset 0 (`source: 'kafka'`) on real PostgreSQL and the real
 * broker. The topic is written the way the relay writes it, but like a real one it is imperfect: a
 * range was sent twice (a relay that crashed before its checkpoint), one message is poison, and the
 * relay has not published the newest events yet. The rebuild must read what the topic holds, take
 * the rest from the store, go on while appends and the projector continue, and end equal, row by
 * row, to a fold of the store.
 */
import { randomUUID } from 'node:crypto';
import { encodeKafkaMessage, readStoredEnvelope } from '@timeline/shared-types';
import { Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventToAppend } from '../src/event-store/event-store.port.js';
import { ReadModelRebuild } from '../src/replay/read-model-rebuild.js';
import { RebuildSourceUnavailableError } from '../src/replay/rebuild-status.js';
import { TimelineReadModel } from '../src/read-model/timeline-read-model.js';
import { aMeeting } from './support/events.js';
import { deleteTopicsWithPrefix, testKafka, uniqueTopicPrefix } from './support/kafka.js';
import { openTestStorage } from './support/stores.js';
import { expectReadModelEqualsFold } from './support/read-model.js';

const EVENTS = 20_000;
const BATCH = 1_000;
/** The relay is this far behind: the topic ends here, the store does not. */
const PUBLISHED = 17_000;
const PREFIX = uniqueTopicPrefix('rebuild-kafka');
const TOPIC = `${PREFIX}timeline.events`;
const kafka = testKafka();

let storage: Awaited<ReturnType<typeof openTestStorage>>;
let live: TimelineReadModel;

function fact(n: number, previous: EventToAppend[]): EventToAppend {
  // Every 50th event corrects one of the batch before, so lineage crosses partitions and batches.
  const target = previous[n % previous.length];
  if (n % 50 === 49 && target?.type === 'MeetingHeld') {
    return {
      eventId: randomUUID(),
      type: 'EventCorrected',
      schemaVersion: 1,
      occurredAt: target.occurredAt,
      data: { correctedEventId: target.eventId, patch: { title: `Corrected ${n}` }, reason: 'bulk' },
      metadata: { sources: [] },
    };
  }
  const meeting = aMeeting({ title: `Fact ${n}` });
  meeting.occurredAt = { start: `${2000 + (n % 25)}-0${(n % 9) + 1}`, precision: 'month' };
  return meeting;
}

async function publish(from: number, to: number, extra: Array<{ key: string; value: string }> = []) {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    for (let after = from - 1; after < to; ) {
      const page = await storage.store.readLogPage({ after, limit: Math.min(500, to - after) });
      if (page.length === 0) break;
      await producer.send({
        topic: TOPIC,
        messages: page.map((e) => encodeKafkaMessage(readStoredEnvelope(e))),
      });
      after = page[page.length - 1]!.position;
    }
    if (extra.length > 0) await producer.send({ topic: TOPIC, messages: extra });
  } finally {
    await producer.disconnect();
  }
}

beforeAll(async () => {
  storage = await openTestStorage('postgres', 'rebuild-kafka');
  let previous: EventToAppend[] = [];
  for (let b = 0; b < EVENTS / BATCH; b++) {
    const batch = Array.from({ length: BATCH }, (_, i) => fact(b * BATCH + i, previous));
    await storage.store.append(`bulk-${b % 13}`, 'any', batch);
    previous = batch;
  }
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3 }], waitForLeaders: true });
  await admin.disconnect();
  // 1…PUBLISHED, then 5,001…6,000 again, then a message that is not an event.
  await publish(1, PUBLISHED);
  await publish(5_001, 6_000, [{ key: 'poison', value: '{"not":"an envelope"}' }]);
  live = new TimelineReadModel(storage.sql);
  for (let after = 0; ; ) {
    const page = await storage.store.readLogPage({ after, limit: 5_000 });
    if (page.length === 0) break;
    await live.apply(page.map(readStoredEnvelope));
    after = page[page.length - 1]!.position;
  }
}, 300_000);

afterAll(async () => {
  await storage?.dispose();
  await deleteTopicsWithPrefix(PREFIX);
});

describe('read model rebuild from Kafka offset 0', () => {
  it('folds what the topic holds, takes the rest from the store, and equals a fold of the store', async () => {
    const rebuild = new ReadModelRebuild(storage.store, storage.sql, {}, undefined, { kafka, topic: TOPIC });
    const phases: string[] = [];
    const { status: first, done } = await rebuild.start({ source: 'kafka' });
    expect(first).toMatchObject({ source: 'kafka', state: 'running' });
    rebuild.watch(first.id, (s) => {
      if (phases.at(-1) !== s.phase) phases.push(s.phase);
    });

    // Meanwhile appends go on and the "projector" applies them to the live model.
    let stop = false;
    const writer = (async () => {
      let rounds = 0;
      while (!stop) {
        const result = await storage.store.append(`during-${rounds % 3}`, 'any', [
          aMeeting({ title: `During ${rounds}` }),
        ]);
        const fresh = await storage.store.readLogPage({ after: result.events[0]!.position - 1, limit: 1 });
        await live.apply(fresh.map(readStoredEnvelope));
        rounds += 1;
        await new Promise((r) => setTimeout(r, 50));
      }
      return rounds;
    })();

    const status = await done;
    stop = true;
    const rounds = await writer;
    expect(status).toMatchObject({
      state: 'swapped',
      phase: 'done',
      source: 'kafka',
      kafkaPosition: PUBLISHED,
    });
    expect(phases).toContain('reading-kafka');
    expect(status.appliedPosition).toBeGreaterThanOrEqual(EVENTS);
    // The recorded status says the same (another instance would read it from there).
    expect(await rebuild.status(first.id)).toMatchObject({ source: 'kafka', kafkaPosition: PUBLISHED });

    const head = await storage.store.head();
    expect(head).toBe(EVENTS + rounds);
    expect(await live.watermark()).toBe(head);
    const rows = await expectReadModelEqualsFold(storage.store, storage.sql);
    expect(rows).toBeGreaterThan(EVENTS * 0.9);
    // Its consumer group was its own and is gone: nothing of the projector's was touched.
    const admin = kafka.admin();
    await admin.connect();
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId);
    await admin.disconnect();
    expect(groups.filter((g) => g.startsWith(`${TOPIC}.rebuild.`))).toEqual([]);
  }, 300_000);

  it('refuses source=kafka where there is no topic to read, and a second rebuild while one runs', async () => {
    const storeOnly = new ReadModelRebuild(storage.store, storage.sql);
    await expect(storeOnly.start({ source: 'kafka' })).rejects.toThrow(RebuildSourceUnavailableError);
    const rebuild = new ReadModelRebuild(storage.store, storage.sql, {}, undefined, { kafka, topic: TOPIC });
    const { done } = await rebuild.start({ source: 'kafka' });
    await expect(rebuild.start({ source: 'store' })).rejects.toThrow(/already running/);
    expect(await done).toMatchObject({ state: 'swapped', source: 'kafka' });
    await expectReadModelEqualsFold(storage.store, storage.sql);
  }, 300_000);
});
