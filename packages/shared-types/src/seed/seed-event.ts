import type { OccurredAt, Source } from '../envelope.js';
import type { EventDataInput, FactEventType } from '../catalog/registry.js';

/** One seed event of a given type: what the API appends, with the client-chosen eventId that makes seeding idempotent. */
export interface SeedEventOf<T extends FactEventType> {
  streamId: string;
  eventId: string;
  type: T;
  schemaVersion: number;
  occurredAt: OccurredAt;
  data: EventDataInput<T>;
  metadata: { sources: Source[] };
}

/** Any seed event: a union discriminated by `type`, so `data` narrows with it. */
export type SeedEvent = { [T in FactEventType]: SeedEventOf<T> }[FactEventType];
