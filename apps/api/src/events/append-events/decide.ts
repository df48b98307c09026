import {
  EVENT_CATALOG,
  isEventType,
  LINEAGE_EVENT_TYPES,
  MetadataSchema,
  ValidationError,
  type ValidationIssue,
  validateEventData,
} from '@timeline/shared-types';
import type { EventToAppend } from '../../event-store/event-store.port.js';
import type { AppendEventsCommand } from './append-events.command.js';

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
export function decide(command: AppendEventsCommand): EventToAppend[] {
  const issues: ValidationIssue[] = [];
  const seenIds = new Map<string, number>();
  const decided: EventToAppend[] = [];

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
    decided.push({
      eventId,
      type: event.type,
      schemaVersion,
      occurredAt: event.occurredAt,
      data: data.value,
      metadata: event.metadata ?? MetadataSchema.parse({}),
    });
  });

  if (issues.length > 0) throw new ValidationError(issues, 'events');
  return decided;
}
