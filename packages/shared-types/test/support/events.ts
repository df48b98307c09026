import { type DomainEventEnvelope, type EventEnvelope, upcastEnvelope } from '../../src/index.js';
import type { SeedEvent } from '../../src/seed/index.js';

export const RECORDED_AT = '2024-08-01T09:00:00.000Z';

/** Stored envelopes for events appended in the given order: what the store would hand back. */
export function stored(
  events: readonly SeedEvent[],
  options: { firstPosition?: number; recordedAt?: string } = {},
): EventEnvelope[] {
  const versions = new Map<string, number>();
  return events.map((event, index) => {
    const streamVersion = (versions.get(event.streamId) ?? 0) + 1;
    versions.set(event.streamId, streamVersion);
    return {
      eventId: event.eventId,
      streamId: event.streamId,
      streamVersion,
      position: (options.firstPosition ?? 1) + index,
      type: event.type,
      schemaVersion: event.schemaVersion,
      occurredAt: event.occurredAt,
      recordedAt: options.recordedAt ?? RECORDED_AT,
      data: { ...event.data },
      metadata: { sources: event.metadata.sources },
    };
  });
}

/** Stored envelopes read through the catalog, as every consumer reads them. */
export function read(
  events: readonly SeedEvent[],
  options?: Parameters<typeof stored>[1],
): DomainEventEnvelope[] {
  return stored(events, options).map(upcastEnvelope);
}

let lineageCounter = 0;

/** A lineage event (correction or retraction) at a given position. */
export function lineageEvent(
  type: 'EventCorrected' | 'EventRetracted',
  data: Record<string, unknown>,
  position: number,
  options: { eventId?: string; recordedAt?: string } = {},
): DomainEventEnvelope {
  lineageCounter += 1;
  return upcastEnvelope({
    eventId: options.eventId ?? `00000000-0000-4000-8000-${String(lineageCounter).padStart(12, '0')}`,
    streamId: 'corrections',
    streamVersion: lineageCounter,
    position,
    type,
    schemaVersion: 1,
    occurredAt: { start: '2024-08-01', precision: 'day' },
    recordedAt: options.recordedAt ?? RECORDED_AT,
    data,
    metadata: { sources: [] },
  });
}
