import {
  assertEventData,
  EVENT_CATALOG,
  type EventData,
  type EventEnvelope,
  type ExpectedVersion,
  type LineageEventType,
  type Metadata,
  MetadataSchema,
  type TimelineItem,
} from '@timeline/shared-types';
import { ConflictError } from '../../shared/conflict.error.js';
import type { NewEvent } from '../domain/new-event.js';
import type { TargetState } from './target-state.js';

/** What a correction or retraction decides: one event, appended to the target's stream at the version it was decided on. */
export interface LineageDecision<T extends LineageEventType = LineageEventType> {
  streamId: string;
  expectedVersion: ExpectedVersion;
  event: NewEvent<T>;
}

/** A target that is a fact on the timeline: the only kind of event a correction or retraction may name. */
export interface FactState extends TargetState {
  target: EventEnvelope;
  item: TimelineItem;
}

/**
 * The checks every lineage command makes of its target, refused with 409: it must exist, and it must
 * be a fact, not itself a correction or retraction (those are undone by correcting or retracting the
 * fact they are about). `verb` words the refusal: 'correct' or 'retract'.
 */
export function requireFact(
  state: TargetState,
  targetEventId: string,
  verb: 'correct' | 'retract',
): FactState {
  const { target, item } = state;
  if (!target)
    throw new ConflictError(`no event ${targetEventId} exists: only a recorded event can be ${verb}ed`);
  if (!item) {
    throw new ConflictError(
      `event ${target.eventId} is an ${target.type}, not a fact: ${verb} the event it is about instead`,
    );
  }
  return { ...state, target, item };
}

/**
 * The decision for a lineage event about `state.target`, its data checked against the type's current
 * schema. Its valid time is the target's: it speaks about that moment, and it keeps a retried command
 * byte-identical, so the store can answer the retry with the first result.
 */
export function lineageDecision<T extends LineageEventType>(
  state: FactState,
  command: { eventId: string; metadata: Metadata | undefined },
  type: T,
  data: Record<string, unknown>,
): LineageDecision<T> {
  const schemaVersion = EVENT_CATALOG[type].current;
  // The catalog's schema for `type` parses it here, so it is that type's data from now on.
  const parsed = assertEventData(type, schemaVersion, data) as EventData<T>;
  const event = {
    eventId: command.eventId,
    type,
    schemaVersion,
    occurredAt: state.target.occurredAt,
    data: parsed,
    metadata: command.metadata ?? MetadataSchema.parse({}),
  } as NewEvent<T>;
  return { streamId: state.target.streamId, expectedVersion: state.streamVersion, event };
}
