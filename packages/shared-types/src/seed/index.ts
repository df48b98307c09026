import type { SeedEvent } from './seed-event.js';
import { SEED_EVENTS } from './india-uk-tsi-2024.js';

export type { SeedEvent, SeedEventOf } from './seed-event.js';
export { SEED_ACTORS, SEED_EVENTS, SEED_SOURCE, SEED_STREAMS } from './india-uk-tsi-2024.js';

/**
 * The seed grouped by stream, each stream's events in append order, streams in order of first
 * appearance: the API appends stream by stream with `expectedVersion`.
 */
export function seedEventsByStream(events: readonly SeedEvent[] = SEED_EVENTS): Map<string, SeedEvent[]> {
  const byStream = new Map<string, SeedEvent[]>();
  for (const event of events) {
    const stream = byStream.get(event.streamId);
    if (stream) stream.push(event);
    else byStream.set(event.streamId, [event]);
  }
  return byStream;
}
