import {
  applyToTimeline,
  type DomainEventEnvelope,
  type EventEnvelope,
  readOwnStoredEnvelope,
  type TimelineItem,
} from '@timeline/shared-types';

type Corrected = Extract<DomainEventEnvelope, { type: 'EventCorrected' }>;
type Retracted = Extract<DomainEventEnvelope, { type: 'EventRetracted' }>;

export interface EventDetails {
  /** Upcast to its type's current schema version, as every reader sees it. */
  event: DomainEventEnvelope;
  /** The corrections naming it, in position order. */
  corrections: Corrected[];
  retraction: Retracted | null;
  /** Its timeline item with every correction applied; null when retracted or not a fact. */
  item: TimelineItem | null;
}

/**
 * The details of `stored[0]` given the lineage events after it that name it (what
 * `EventStore.readEventWithLineage` returns). The item is the projection's own fold over exactly these
 * events, so it agrees with the corrections listed beside it and with what the read model holds once the
 * projector has caught up, without waiting for it.
 */
export function eventDetails(stored: readonly EventEnvelope[]): EventDetails | undefined {
  const [first, ...rest] = stored.map(readOwnStoredEnvelope);
  if (!first) return undefined;
  const corrections: Corrected[] = [];
  let retraction: Retracted | null = null;
  const items = new Map<string, TimelineItem>();
  applyToTimeline(items, first);
  for (const event of rest) {
    if (event.type === 'EventCorrected') corrections.push(event);
    else if (event.type === 'EventRetracted') retraction ??= event;
    applyToTimeline(items, event);
  }
  const item = items.get(first.eventId);
  return { event: first, corrections, retraction, item: item && !item.retracted ? item : null };
}
