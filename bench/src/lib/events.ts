import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson, type EventEnvelope, PILLARS, validTimeBounds } from '@timeline/shared-types';
import type { EventRowParams } from './pg.js';

/** A benchmark event as a client sends it: a `MeetingHeld` with every field given, so it is stored as sent. */
export interface BenchEvent {
  eventId?: string;
  type: 'MeetingHeld';
  schemaVersion: 1;
  occurredAt: { precision: 'day'; start: string };
  data: Record<string, unknown>;
  metadata: {
    correlationId: string;
    recordedBy: string;
    sources: Array<{ publisher: string; title: string; quote: string }>;
  };
}

const PEOPLE = ['David Lammy', 'S Jaishankar', 'Narendra Modi', 'Ajit Doval', 'Keir Starmer', 'Piyush Goyal'];
const DAY_MS = 86_400_000;
const EPOCH = Date.UTC(2024, 0, 1);
/** The 366 valid dates events cycle through, with their bounds (computed once: fills make millions). */
const DAYS = Array.from({ length: 366 }, (_, d) => {
  const start = new Date(EPOCH + d * DAY_MS).toISOString().slice(0, 10);
  const { startMs, endMs } = validTimeBounds({ start, precision: 'day' });
  return { start, validFrom: new Date(startMs).toISOString(), validTo: new Date(endMs).toISOString() };
});
const DAY_BY_START = new Map(DAYS.map((d) => [d.start, d]));

/**
 * Event number `n` of a run, about 1 KB as a stored envelope (the seed's events are 1-6 KB): a title,
 * a summary, actors, pillars, topics and one verbatim source, like the article's facts. Every object
 * is built with its keys in sorted order, so `JSON.stringify` of it is already canonical JSON.
 */
export function benchEvent(n: number, correlationId = `bench-${n}`): BenchEvent {
  const a = PEOPLE[n % PEOPLE.length]!;
  const b = PEOPLE[(n + 1) % PEOPLE.length]!;
  const pillar = PILLARS[n % PILLARS.length]!;
  return {
    type: 'MeetingHeld',
    schemaVersion: 1,
    occurredAt: { precision: 'day', start: DAYS[n % DAYS.length]!.start },
    data: {
      actors: [a, b],
      format: 'talks',
      participants: [a, b],
      pillars: [pillar],
      place: 'New Delhi',
      summary: `${a} met ${b} to review progress under the Technology Security Initiative, including the ${pillar} pillar and the next steps agreed by both sides.`,
      title: `${a} and ${b} hold talks (benchmark event ${n})`,
      topics: [`Cooperation on ${pillar}`, 'A mutually beneficial free trade pact'],
    },
    metadata: {
      correlationId,
      recordedBy: 'timeline-bench',
      sources: [
        {
          publisher: 'Timeline benchmark',
          quote: `The two sides agreed to deepen cooperation in critical and emerging technologies, with ${pillar} named among the priority areas.`,
          title: 'Synthetic event for throughput measurements',
        },
      ],
    },
  };
}

/** What an eventId is bound to, with sorted keys at every level (see `benchEvent`). */
function boundContent(streamId: string, event: BenchEvent): string {
  return JSON.stringify({
    data: event.data,
    metadata: event.metadata,
    occurredAt: event.occurredAt,
    schemaVersion: event.schemaVersion,
    streamId,
    type: event.type,
  });
}

// The shortcut above must give exactly the store's canonical form; checked once, at load.
{
  const sample = benchEvent(7);
  const canonical = canonicalJson({
    streamId: 's',
    type: sample.type,
    schemaVersion: sample.schemaVersion,
    occurredAt: sample.occurredAt,
    data: sample.data,
    metadata: sample.metadata,
  });
  if (boundContent('s', sample) !== canonical) throw new Error('bench events are not in canonical key order');
}

/** The store's content hash: SHA-256 of the canonical JSON of what the eventId is bound to. */
export function contentHash(streamId: string, event: BenchEvent): string {
  return createHash('sha256').update(boundContent(streamId, event)).digest('hex');
}

export interface Placement {
  position: number;
  streamId: string;
  streamVersion: number;
  recordedAt: string;
  eventId?: string;
}

/** The `events` row the store would write for the event at that place, as INSERT parameters. */
export function eventRow(event: BenchEvent, at: Placement): EventRowParams {
  const day = DAY_BY_START.get(event.occurredAt.start);
  const bounds = day ? undefined : validTimeBounds(event.occurredAt);
  return [
    at.position,
    at.eventId ?? event.eventId ?? randomUUID(),
    at.streamId,
    at.streamVersion,
    event.type,
    event.schemaVersion,
    JSON.stringify(event.occurredAt),
    day ? day.validFrom : new Date(bounds!.startMs).toISOString(),
    day ? day.validTo : new Date(bounds!.endMs).toISOString(),
    at.recordedAt,
    JSON.stringify(event.data),
    JSON.stringify(event.metadata),
    contentHash(at.streamId, event),
  ];
}

/** The envelope the store would return (and the relay publish) for the event at that place. */
export function eventEnvelope(event: BenchEvent, at: Placement & { eventId: string }): EventEnvelope {
  return {
    eventId: at.eventId,
    streamId: at.streamId,
    streamVersion: at.streamVersion,
    position: at.position,
    type: event.type,
    schemaVersion: event.schemaVersion,
    occurredAt: event.occurredAt,
    recordedAt: at.recordedAt,
    data: event.data,
    metadata: event.metadata,
  };
}
