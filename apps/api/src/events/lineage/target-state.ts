import {
  applyToTimeline,
  type DomainEventEnvelope,
  type EventEnvelope,
  isEventType,
  LINEAGE_EVENT_TYPES,
  type TimelineItem,
  upcastEnvelope,
} from '@timeline/shared-types';
import type { EventStore } from '../../event-store/event-store.port.js';

/** What a correction or a retraction needs to know about the event it names. */
export interface TargetState {
  /** The target as stored; undefined when no event has the id. */
  target: EventEnvelope | undefined;
  /** The target as the timeline shows it, every correction and retraction so far applied; undefined unless it is a fact. */
  item: TimelineItem | undefined;
  /** The version of the target's stream that `item` reflects: the new event is appended expecting it. */
  streamVersion: number;
}

export const NO_TARGET: TargetState = { target: undefined, item: undefined, streamVersion: 0 };

export function isLineageType(type: string): boolean {
  return (LINEAGE_EVENT_TYPES as readonly string[]).includes(type);
}

/**
 * Evolve: the target's state after one more event of its stream (upcast to the catalog's current
 * version). It is the timeline projection's own fold, so what a command accepts is exactly what the
 * timeline will show.
 */
export function evolve(state: TargetState, event: DomainEventEnvelope): TargetState {
  const items = new Map<string, TimelineItem>();
  if (state.item) items.set(state.item.id, state.item);
  const change = applyToTimeline(items, event);
  const item = state.item ? items.get(state.item.id) : change.kind === 'added' ? change.item : undefined;
  return { ...state, item, streamVersion: Math.max(state.streamVersion, event.streamVersion) };
}

/** Loads the target and folds the corrections and retractions recorded after it in its stream. */
export async function loadTargetState(store: EventStore, targetEventId: string): Promise<TargetState> {
  const target = await store.getEvent(targetEventId);
  if (!target) return NO_TARGET;
  // The version is read first: lineage recorded after this read makes the append's expectedVersion stale.
  const { version } = await store.readStream(target.streamId, {
    fromVersion: target.streamVersion,
    limit: 1,
  });
  if (!isEventType(target.type) || isLineageType(target.type))
    return { target, item: undefined, streamVersion: version };

  let state = evolve(
    { target, item: undefined, streamVersion: target.streamVersion },
    upcastEnvelope(target),
  );
  // Found by the id they name (an index probe), not by reading the stream's lineage after the target;
  // anything past the version read above is left out, as the append will expect that version.
  const [, ...lineage] = await store.readEventWithLineage(target.eventId);
  for (const event of lineage) {
    if (event.streamId === target.streamId && event.streamVersion <= version)
      state = evolve(state, upcastEnvelope(event));
  }
  return { ...state, streamVersion: version };
}
