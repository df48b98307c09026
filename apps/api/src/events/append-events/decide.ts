import {
  EVENT_CATALOG,
  type ExpectedVersion,
  isEventType,
  LINEAGE_EVENT_TYPES,
  type Metadata,
  MetadataSchema,
  type NewEventSchema,
  type OccurredAt,
  ValidationError,
  type ValidationIssue,
  validateEventData,
} from '@timeline/shared-types';
import type { z } from 'zod';
import type { NewEvent } from '../domain/new-event.js';

/** One event as the client sent it, parsed, with its id settled (the client's, or one the server chose). */
export type EventToRecord = Omit<z.output<typeof NewEventSchema>, 'eventId' | 'metadata' | 'occurredAt'> & {
  eventId: string;
  occurredAt: OccurredAt;
  metadata?: Metadata;
};

/** Append these events to a stream, expecting it at `expectedVersion`. */
export interface AppendEvents {
  streamId: string;
  expectedVersion: ExpectedVersion;
  events: readonly EventToRecord[];
}

const LINEAGE_ROUTES: Record<string, string> = {
  EventCorrected: 'POST /api/events/{eventId}/corrections',
  EventRetracted: 'POST /api/events/{eventId}/retraction',
};

/**
 * Turns an AppendEvents command into the events to store, or refuses it with every failing path.
 * Each event's data is validated against its type's schema and stored as parsed (defaults applied);
 * a missing schemaVersion means the type's current one. Corrections and retractions are refused
 * here: they have their own commands, which check their target. The stream's version is not
 * decided here: the store enforces `expectedVersion` atomically with the append.
 */
export function decide(command: AppendEvents): NewEvent[] {
  const issues: ValidationIssue[] = [];
  const seenIds = new Map<string, number>();
  const decided: NewEvent[] = [];

  command.events.forEach((event, index) => {
    const at = (field: string) => `events.${index}.${field}`;
    const eventId = event.eventId.toLowerCase();
    const first = seenIds.get(eventId);
    if (first !== undefined) issues.push({ path: at('eventId'), message: `repeats events.${first}.eventId` });
    else seenIds.set(eventId, index);

    if ((LINEAGE_EVENT_TYPES as readonly string[]).includes(event.type)) {
      issues.push({
        path: at('type'),
        message: `${event.type} is recorded with ${LINEAGE_ROUTES[event.type]}`,
      });
      return;
    }
    const schemaVersion =
      event.schemaVersion ?? (isEventType(event.type) ? EVENT_CATALOG[event.type].current : 1);
    const data = validateEventData(event.type, schemaVersion, event.data, ['events', index]);
    if (!data.ok) {
      issues.push(...data.issues);
      return;
    }
    // Validated just above against the schema of its type, which is therefore a catalog type.
    decided.push({
      eventId,
      type: event.type,
      schemaVersion,
      occurredAt: event.occurredAt,
      data: data.value,
      metadata: event.metadata ?? MetadataSchema.parse({}),
    } as NewEvent);
  });

  if (issues.length > 0) throw new ValidationError(issues, 'events');
  return decided;
}
