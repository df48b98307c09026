import type { EventData, EventType, Metadata, OccurredAt } from '@timeline/shared-types';

/**
 * An event a decider chose to record: the catalog's typed union (`data` typed by `type`), with the id
 * and valid time the store keys it by. The store takes it as it is (event-store.port.ts `EventToAppend`).
 */
export type NewEvent<T extends EventType = EventType> = {
  [K in T]: {
    eventId: string;
    type: K;
    schemaVersion: number;
    occurredAt: OccurredAt;
    data: EventData<K>;
    metadata: Metadata;
  };
}[T];
