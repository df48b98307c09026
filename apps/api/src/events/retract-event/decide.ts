import { assertEventData, EVENT_CATALOG, MetadataSchema } from '@timeline/shared-types';
import { ConflictError } from '../../shared/conflict.error.js';
import type { LineageDecision } from '../lineage/lineage-decision.js';
import type { TargetState } from '../lineage/target-state.js';
import type { RetractEventCommand } from './retract-event.command.js';

/**
 * Decides an EventRetracted for the target, or refuses with 409: the target does not exist, is not
 * a fact, or is already retracted. A retry of the retraction that did it (same eventId) is let
 * through, so the store can answer it with the first result.
 */
export function decide(command: RetractEventCommand, state: TargetState): LineageDecision {
  const { target, item } = state;
  if (!target)
    throw new ConflictError(
      `no event ${command.targetEventId} exists: only a recorded event can be retracted`,
    );
  if (!item) {
    throw new ConflictError(
      `event ${target.eventId} is an ${target.type}, not a fact: retract the event it is about instead`,
    );
  }
  const retraction = item.lineage.find((entry) => entry.kind === 'retracted');
  if (retraction && retraction.eventId !== command.eventId) {
    throw new ConflictError(`event ${target.eventId} is already retracted (by ${retraction.eventId})`);
  }
  const schemaVersion = EVENT_CATALOG.EventRetracted.current;
  return {
    streamId: target.streamId,
    expectedVersion: state.streamVersion,
    event: {
      eventId: command.eventId,
      type: 'EventRetracted',
      schemaVersion,
      occurredAt: target.occurredAt,
      data: assertEventData('EventRetracted', schemaVersion, {
        retractedEventId: target.eventId,
        reason: command.reason,
      }),
      metadata: command.metadata ?? MetadataSchema.parse({}),
    },
  };
}
