import { createHash, randomUUID } from 'node:crypto';
import type { EventToAppend } from '../../src/event-store/event-store.port.js';
import { aMeeting } from './events.js';

/** Shared by the replay, replay-over-HTTP and rebuild specs. */

/** A clock the test moves by hand, so knowledge times are known exactly. */
export function manualClock(start: string) {
  let now = Date.parse(start);
  return {
    now: () => new Date(now),
    set: (iso: string) => {
      now = Date.parse(iso);
    },
  };
}

export async function collect(lines: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const chunk of lines) out += chunk;
  return out;
}

export function parseLines<T>(ndjson: string): T[] {
  return ndjson
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function correction(target: EventToAppend, data: Record<string, unknown>): EventToAppend {
  return {
    eventId: randomUUID(),
    type: 'EventCorrected',
    schemaVersion: 1,
    occurredAt: target.occurredAt,
    data: { correctedEventId: target.eventId, ...data },
    metadata: { sources: [] },
  };
}

export function retraction(target: EventToAppend, reason = 'not supported by the source'): EventToAppend {
  return {
    eventId: randomUUID(),
    type: 'EventRetracted',
    schemaVersion: 1,
    occurredAt: target.occurredAt,
    data: { retractedEventId: target.eventId, reason },
    metadata: { sources: [] },
  };
}

export function aFact(
  title: string,
  overrides: { occurredAt?: EventToAppend['occurredAt']; pillars?: string[]; actors?: string[] } = {},
) {
  const fact = aMeeting({ title });
  fact.data = {
    ...fact.data,
    pillars: overrides.pillars ?? [],
    actors: overrides.actors ?? fact.data.actors,
  };
  if (overrides.occurredAt) fact.occurredAt = overrides.occurredAt;
  return fact;
}
