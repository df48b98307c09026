import {
  applyMergePatch,
  type Metadata,
  type OccurredAt,
  safeParseWith,
  schemaFor,
  ValidationError,
} from '@timeline/shared-types';
import { ConflictError } from '../../shared/conflict.error.js';
import { type LineageDecision, lineageDecision, requireFact } from '../lineage/lineage-decision.js';
import type { TargetState } from '../lineage/target-state.js';

export interface Correction {
  /** A JSON merge patch (RFC 7396) for the target's data. */
  patch?: Record<string, unknown> | undefined;
  /** The corrected valid time. */
  occurredAt?: OccurredAt | undefined;
  reason: string;
}

/** Record a correction of the fact `targetEventId`. */
export interface CorrectEvent {
  targetEventId: string;
  /** The EventCorrected event's own id. */
  eventId: string;
  correction: Correction;
  metadata: Metadata | undefined;
}

/**
 * Decides an EventCorrected for the target, or refuses: 409 for a target that does not exist, is
 * not a fact, or is retracted; 400 when the corrected data would fail the target type's schema
 * (the patch is applied to the data as already corrected, as the timeline will apply it).
 * A retry of a correction already recorded (same eventId) is let through unchecked, so the store can
 * answer it with the first result even if the target was retracted since.
 */
export function decide(command: CorrectEvent, state: TargetState): LineageDecision<'EventCorrected'> {
  const fact = requireFact(state, command.targetEventId, 'correct');
  const { target, item } = fact;
  const { patch, occurredAt, reason } = command.correction;
  const alreadyRecorded = item.lineage.some((entry) => entry.eventId === command.eventId);
  if (!alreadyRecorded) {
    const retraction = item.lineage.find((entry) => entry.kind === 'retracted');
    if (retraction) {
      throw new ConflictError(
        `event ${target.eventId} was retracted by ${retraction.eventId}: a retracted event cannot be corrected`,
      );
    }
    if (patch === undefined && occurredAt === undefined) {
      throw new ValidationError(
        [{ path: 'patch', message: 'a correction needs a patch or an occurredAt' }],
        'correction',
      );
    }
    if (patch !== undefined) {
      const corrected = applyMergePatch(item.data, patch);
      const schema = schemaFor(item.type, item.schemaVersion);
      const result = schema ? safeParseWith(schema, corrected, ['patch']) : undefined;
      if (result && !result.ok) throw new ValidationError(result.issues, `corrected ${item.type}`);
    }
  }

  const data: Record<string, unknown> = { correctedEventId: target.eventId, reason };
  if (patch !== undefined) data.patch = patch;
  if (occurredAt !== undefined) data.occurredAt = occurredAt;
  return lineageDecision(fact, command, 'EventCorrected', data);
}
