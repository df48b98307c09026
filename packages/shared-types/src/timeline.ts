import type { DomainEventEnvelope, FactEventType } from './catalog/registry.js';
import { isEventType, validateEventData } from './catalog/registry.js';
import type { Pillar } from './catalog/pillars.js';
import { type OccurredAt, type Source, validTimeBounds } from './envelope.js';
import { applyMergePatch } from './merge-patch.js';
import { windowEndMs } from './time-window.js';

export interface LineageEntry {
  kind: 'recorded' | 'corrected' | 'retracted';
  eventId: string;
  position: number;
  recordedAt: string;
  reason?: string;
  patch?: Record<string, unknown>;
  occurredAt?: OccurredAt;
}

/** One fact on the timeline, with every correction known so far applied. */
export interface TimelineItem {
  id: string;
  streamId: string;
  streamVersion: number;
  position: number;
  type: FactEventType;
  schemaVersion: number;
  title: string;
  summary?: string;
  actors: string[];
  pillars: Pillar[];
  place?: string;
  occurredAt: OccurredAt;
  recordedAt: string;
  data: Record<string, unknown>;
  sources: Source[];
  lineage: LineageEntry[];
  retracted: boolean;
  /** The last log position that changed this item. */
  lastPosition: number;
}

export type TimelineChange =
  | { kind: 'added'; item: TimelineItem }
  | { kind: 'changed'; item: TimelineItem; before: TimelineItem }
  | { kind: 'retracted'; item: TimelineItem; before: TimelineItem }
  | { kind: 'ignored'; reason: string };

/**
 * The timeline projection as a pure fold over the log, shared by the server's projector, replays and
 * the browser's replay player so that all three agree item for item.
 * `items` is mutated; the returned change says what happened.
 */
export function applyToTimeline(
  items: Map<string, TimelineItem>,
  event: DomainEventEnvelope,
): TimelineChange {
  switch (event.type) {
    case 'EventCorrected': {
      const before = items.get(event.data.correctedEventId);
      if (!before)
        return { kind: 'ignored', reason: `correction of unknown event ${event.data.correctedEventId}` };
      if (before.retracted) return { kind: 'ignored', reason: `correction of retracted event ${before.id}` };
      if (before.lineage.some((entry) => entry.eventId === event.eventId)) {
        return { kind: 'ignored', reason: `duplicate delivery of ${event.eventId}` };
      }
      const patchedData = event.data.patch
        ? (applyMergePatch(before.data, event.data.patch) as Record<string, unknown>)
        : before.data;
      const valid = validateEventData(before.type, before.schemaVersion, patchedData);
      if (!valid.ok)
        return { kind: 'ignored', reason: `correction ${event.eventId} would make ${before.id} invalid` };
      const entry: LineageEntry = {
        kind: 'corrected',
        eventId: event.eventId,
        position: event.position,
        recordedAt: event.recordedAt,
        reason: event.data.reason,
      };
      if (event.data.patch) entry.patch = event.data.patch;
      if (event.data.occurredAt) entry.occurredAt = event.data.occurredAt;
      const item = itemFrom(before, valid.value, event.data.occurredAt ?? before.occurredAt, event.position, [
        ...before.lineage,
        entry,
      ]);
      items.set(item.id, item);
      return { kind: 'changed', item, before };
    }
    case 'EventRetracted': {
      const before = items.get(event.data.retractedEventId);
      if (!before)
        return { kind: 'ignored', reason: `retraction of unknown event ${event.data.retractedEventId}` };
      if (before.retracted) return { kind: 'ignored', reason: `${before.id} is already retracted` };
      const entry: LineageEntry = {
        kind: 'retracted',
        eventId: event.eventId,
        position: event.position,
        recordedAt: event.recordedAt,
        reason: event.data.reason,
      };
      const item: TimelineItem = {
        ...before,
        retracted: true,
        lastPosition: event.position,
        lineage: [...before.lineage, entry],
      };
      items.set(item.id, item);
      return { kind: 'retracted', item, before };
    }
    default: {
      if (items.has(event.eventId))
        return { kind: 'ignored', reason: `duplicate delivery of ${event.eventId}` };
      const base = {
        id: event.eventId,
        streamId: event.streamId,
        streamVersion: event.streamVersion,
        position: event.position,
        type: event.type,
        schemaVersion: event.schemaVersion,
        recordedAt: event.recordedAt,
        sources: event.metadata.sources,
        retracted: false,
      };
      const lineage: LineageEntry[] = [
        { kind: 'recorded', eventId: event.eventId, position: event.position, recordedAt: event.recordedAt },
      ];
      const item = itemFrom(base, event.data, event.occurredAt, event.position, lineage);
      items.set(item.id, item);
      return { kind: 'added', item };
    }
  }
}

type ItemIdentity = Pick<
  TimelineItem,
  | 'id'
  | 'streamId'
  | 'streamVersion'
  | 'position'
  | 'type'
  | 'schemaVersion'
  | 'recordedAt'
  | 'sources'
  | 'retracted'
>;

function itemFrom(
  base: ItemIdentity,
  data: Record<string, unknown>,
  occurredAt: OccurredAt,
  lastPosition: number,
  lineage: LineageEntry[],
): TimelineItem {
  const item: TimelineItem = {
    id: base.id,
    streamId: base.streamId,
    streamVersion: base.streamVersion,
    position: base.position,
    type: base.type,
    schemaVersion: base.schemaVersion,
    title: String(data.title ?? ''),
    actors: Array.isArray(data.actors) ? (data.actors as string[]) : [],
    pillars: Array.isArray(data.pillars) ? (data.pillars as Pillar[]) : [],
    occurredAt,
    recordedAt: base.recordedAt,
    data,
    sources: base.sources,
    lineage,
    retracted: base.retracted,
    lastPosition,
  };
  if (typeof data.summary === 'string') item.summary = data.summary;
  if (typeof data.place === 'string') item.place = data.place;
  return item;
}

/** Folds a log (in position order) into timeline items, stopping at a position or knowledge time. */
export function foldTimeline(
  events: Iterable<DomainEventEnvelope>,
  options: { untilPosition?: number; asOf?: string } = {},
): Map<string, TimelineItem> {
  const items = new Map<string, TimelineItem>();
  const asOfMs = options.asOf === undefined ? undefined : Date.parse(options.asOf);
  for (const event of events) {
    if (options.untilPosition !== undefined && event.position > options.untilPosition) break;
    if (asOfMs !== undefined && Date.parse(event.recordedAt) > asOfMs) break;
    applyToTimeline(items, event);
  }
  return items;
}

export interface TimelineFilter {
  /** Valid-time window, ISO dates or datetimes; an item overlaps when any part of its period does. */
  from?: string;
  to?: string;
  pillars?: readonly string[];
  actors?: readonly string[];
  types?: readonly string[];
  streams?: readonly string[];
  /** Case-insensitive text search over title, summary, actors, place and quotes. */
  q?: string;
  includeRetracted?: boolean;
}

export function matchesTimelineFilter(item: TimelineItem, filter: TimelineFilter): boolean {
  if (item.retracted && !filter.includeRetracted) return false;
  if (filter.from !== undefined || filter.to !== undefined) {
    const { startMs, endMs } = validTimeBounds(item.occurredAt);
    if (filter.from !== undefined && endMs <= Date.parse(filter.from)) return false;
    if (filter.to !== undefined && startMs > windowEndMs(filter.to)) return false;
  }
  if (filter.pillars?.length && !item.pillars.some((p) => filter.pillars!.includes(p))) return false;
  if (filter.actors?.length && !item.actors.some((a) => filter.actors!.includes(a))) return false;
  if (filter.types?.length && !filter.types.includes(item.type)) return false;
  if (filter.streams?.length && !filter.streams.includes(item.streamId)) return false;
  if (filter.q && !searchText(item).includes(filter.q.toLocaleLowerCase())) return false;
  return true;
}

/** What `q` searches, lower-cased: title, summary, place, actors and source quotes (the read model stores it). */
export function searchText(item: TimelineItem): string {
  return [
    item.title,
    item.summary ?? '',
    item.place ?? '',
    ...item.actors,
    ...item.sources.map((s) => s.quote),
  ]
    .join('\n')
    .toLocaleLowerCase();
}

/** Sorted by valid time, then log position: the reading order of a timeline. */
export function compareItems(a: TimelineItem, b: TimelineItem): number {
  return (
    validTimeBounds(a.occurredAt).startMs - validTimeBounds(b.occurredAt).startMs || a.position - b.position
  );
}

export { isEventType };
