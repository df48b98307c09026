import type { Metadata } from '@timeline/shared-types';
import { ConflictError } from '../../shared/conflict.error.js';
import { type LineageDecision, lineageDecision, requireFact } from '../lineage/lineage-decision.js';
import type { TargetState } from '../lineage/target-state.js';

/** Record that the fact `targetEventId` is withdrawn. */
export interface RetractEvent {
  targetEventId: string;
  /** The EventRetracted event's own id. */
  eventId: string;
  reason: string;
  metadata: Metadata | undefined;
}

/**
 * Decides an EventRetracted for the target, or refuses with 409: the target does not exist, is not
 * a fact, or is already retracted. A retry of the retraction that did it (same eventId) is let
 * through, so the store can answer it with the first result.
 */
export function decide(command: RetractEvent, state: TargetState): LineageDecision<'EventRetracted'> {
  const fact = requireFact(state, command.targetEventId, 'retract');
  const retraction = fact.item.lineage.find((entry) => entry.kind === 'retracted');
  if (retraction && retraction.eventId !== command.eventId) {
    throw new ConflictError(`event ${fact.target.eventId} is already retracted (by ${retraction.eventId})`);
  }
  return lineageDecision(fact, command, 'EventRetracted', {
    retractedEventId: fact.target.eventId,
    reason: command.reason,
  });
}
