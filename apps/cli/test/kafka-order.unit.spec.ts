import { createHash } from 'node:crypto';
import {
  type DomainEventEnvelope,
  type EventEnvelope,
  ndjsonLine,
  normalizeReplaySelection,
  type ReplaySelection,
  type ReplaySubject,
  selectReplayEvents,
  subjectOf,
  TimelineReplay,
  upcastEnvelope,
} from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { CliError } from '../src/errors.js';
import { OrderedReplay } from '../src/kafka/ordered-replay.js';

let counter = 0;
const uuid = () => {
  counter += 1;
  return `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
};

/** A log built from events: facts in several streams, then corrections and retractions of some. */
function buildLog(): DomainEventEnvelope[] {
  const raw: Array<Omit<EventEnvelope, 'position' | 'streamVersion' | 'recordedAt'>> = [];
  const facts: Array<{ eventId: string; streamId: string; occurredAt: EventEnvelope['occurredAt'] }> = [];
  for (let i = 0; i < 40; i++) {
    const streamId = `stream-${i % 5}`;
    const occurredAt =
      i % 7 === 0
        ? { start: String(2015 + (i % 9)), precision: 'year' as const }
        : { start: `2024-0${1 + (i % 9)}-1${i % 10}`, precision: 'day' as const };
    const eventId = uuid();
    facts.push({ eventId, streamId, occurredAt });
    raw.push({
      eventId,
      streamId,
      type: 'MeetingHeld',
      schemaVersion: 1,
      occurredAt,
      data: {
        title: `Meeting ${i}`,
        actors: [`Actor ${i % 3}`],
        pillars: i % 2 ? ['ai'] : ['telecom'],
        participants: ['A'],
      },
      metadata: { sources: [] },
    });
    if (i % 4 === 3) {
      const target = facts[i - 2]!;
      raw.push({
        eventId: uuid(),
        streamId: target.streamId,
        type: 'EventCorrected',
        schemaVersion: 1,
        occurredAt: target.occurredAt,
        data: {
          correctedEventId: target.eventId,
          patch: { title: `Corrected ${i}`, pillars: ['quantum'] },
          reason: 'r',
        },
        metadata: { sources: [] },
      });
    }
    if (i % 9 === 8) {
      const target = facts[i - 5]!;
      raw.push({
        eventId: uuid(),
        streamId: target.streamId,
        type: 'EventRetracted',
        schemaVersion: 1,
        occurredAt: target.occurredAt,
        data: { retractedEventId: target.eventId, reason: 'wrong' },
        metadata: { sources: [] },
      });
    }
  }
  const versions = new Map<string, number>();
  return raw.map((event, index) => {
    const streamVersion = (versions.get(event.streamId) ?? 0) + 1;
    versions.set(event.streamId, streamVersion);
    const recordedAt = new Date(Date.UTC(2024, 7, 1) + index * 3_600_000).toISOString();
    return upcastEnvelope({ ...event, position: index + 1, streamVersion, recordedAt });
  });
}

/** What the API answers: the shared code over the log in position order, in pages of `pageSize`. */
async function fromStore(
  log: DomainEventEnvelope[],
  selection: ReplaySelection,
  pageSize = 3,
): Promise<string> {
  const horizonLog = log.filter(
    (e) =>
      e.position <= (selection.until ?? Number.POSITIVE_INFINITY) &&
      (!selection.asOf || e.recordedAt <= selection.asOf),
  );
  if (selection.mode === 'timeline') {
    const replay = new TimelineReplay(selection);
    for (const e of horizonLog) replay.apply(e);
    return replay.result().map(ndjsonLine).join('');
  }
  const facts = new Map<string, ReplaySubject>();
  for (const e of horizonLog) {
    const s = subjectOf(e);
    if (s) facts.set(s.eventId, s);
  }
  const pages: DomainEventEnvelope[][] = [];
  const after = horizonLog.filter((e) => e.position > selection.after);
  for (let i = 0; i < after.length; i += pageSize) pages.push(after.slice(i, i + pageSize));
  let out = '';
  const resolve = async (ids: readonly string[]) =>
    new Map(ids.filter((id) => facts.has(id)).map((id) => [id, facts.get(id)!] as const));
  for await (const e of selectReplayEvents(pages, selection, resolve)) out += ndjsonLine(e);
  return out;
}

/** What Kafka delivers: partitions by stream key, interleaved at random, with some redeliveries. */
function asKafkaWouldDeliver(log: DomainEventEnvelope[], seed: number): DomainEventEnvelope[] {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const partitions: DomainEventEnvelope[][] = [[], [], []];
  for (const e of log) partitions[createHash('md5').update(e.streamId).digest()[0]! % 3]!.push(e);
  const delivered: DomainEventEnvelope[] = [];
  while (partitions.some((p) => p.length > 0)) {
    const live = partitions.filter((p) => p.length > 0);
    const partition = live[Math.floor(random() * live.length)]!;
    const take = 1 + Math.floor(random() * 4);
    for (const e of partition.splice(0, take)) {
      delivered.push(e);
      if (random() < 0.1) delivered.push(e);
    }
  }
  return delivered;
}

async function fromKafka(
  delivered: DomainEventEnvelope[],
  selection: ReplaySelection,
): Promise<{ out: string; replay: OrderedReplay }> {
  let out = '';
  const replay = new OrderedReplay(selection, async (chunk) => {
    out += chunk;
  });
  for (const e of delivered) {
    if (replay.complete) break;
    await replay.push(e);
  }
  await replay.finish('the topic');
  return { out, replay };
}

describe('restoring log order from Kafka partitions', () => {
  it('pushes without a promise per message: only a written page may make the reader wait', async () => {
    const selection = normalizeReplaySelection({ mode: 'events' });
    const writes: string[] = [];
    let release: () => void = () => undefined;
    const replay = new OrderedReplay(selection, (chunk) => {
      writes.push(chunk);
      return new Promise<void>((done) => {
        release = done;
      });
    });
    const log = buildLog();
    const pending: Array<Promise<void> | undefined> = [];
    for (const e of log) pending.push(replay.push(e));
    // The whole log is less than a page: nothing written yet, no promise handed out.
    expect(pending.every((p) => p === undefined)).toBe(true);
    const finished = replay.finish('the topic');
    release();
    await finished;
    expect(writes).toHaveLength(1);
    expect(writes[0]!.split('\n').filter(Boolean)).toHaveLength(log.length);
  });

  const log = buildLog();
  const selections: Array<[string, Parameters<typeof normalizeReplaySelection>[0]]> = [
    ['the whole log', { mode: 'events' }],
    ['after and until', { mode: 'events', after: 7, until: 40 }],
    ['a pillar, with lineage', { mode: 'events', pillars: ['telecom'] }],
    ['an actor and a window', { mode: 'events', actors: ['Actor 1'], from: '2016', to: '2024-04' }],
    ['retractions only', { mode: 'events', types: ['EventRetracted'] }],
    ['as of a knowledge time', { mode: 'events', asOf: '2024-08-02T05:30:00Z', streams: ['stream-2'] }],
    ['the timeline', { mode: 'timeline' }],
    [
      'the timeline as of, filtered',
      { mode: 'timeline', asOf: '2024-08-02T10:00:00Z', pillars: ['quantum', 'ai'] },
    ],
  ];

  it.each(selections)(
    'a replay from Kafka equals the replay from the store byte for byte: %s',
    async (_name, input) => {
      const selection = normalizeReplaySelection(input);
      const expected = await fromStore(log, selection);
      expect(expected.length).toBeGreaterThan(0);
      for (const seed of [1, 2, 3]) {
        const { out } = await fromKafka(asKafkaWouldDeliver(log, seed), selection);
        expect(out).toBe(expected);
      }
    },
  );

  it('stops reading once the horizon is whole, and refuses a topic with a hole in it', async () => {
    const selection = normalizeReplaySelection({ mode: 'events', until: 10 });
    const delivered = asKafkaWouldDeliver(log, 9);
    const { replay } = await fromKafka(delivered, selection);
    expect(replay.complete).toBe(true);
    expect(replay.horizon).toBe(10);

    const holed = delivered.filter((e) => e.position !== 5);
    await expect(fromKafka(holed, normalizeReplaySelection({ mode: 'events' }))).rejects.toThrow(CliError);
    await expect(fromKafka(holed, normalizeReplaySelection({ mode: 'events' }))).rejects.toThrow(
      /positions 5 are missing/,
    );
    const short = log.slice(0, 20);
    await expect(fromKafka(short, normalizeReplaySelection({ mode: 'events', until: 30 }))).rejects.toThrow(
      /only up to position 20/,
    );
  });
});
