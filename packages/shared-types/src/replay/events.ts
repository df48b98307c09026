import { type DomainEventEnvelope, LINEAGE_EVENT_TYPES } from '../catalog/registry.js';
import type { OccurredAt } from '../envelope.js';
import { overlapsWindow, type ReplaySelection, withinHorizon } from './selection.js';

/** What the subject filters look at: a fact as it was recorded. */
export interface ReplaySubject {
  eventId: string;
  type: string;
  streamId: string;
  occurredAt: OccurredAt;
  pillars: readonly string[];
  actors: readonly string[];
}

export function isLineageEvent(
  event: DomainEventEnvelope,
): event is Extract<DomainEventEnvelope, { type: 'EventCorrected' | 'EventRetracted' }> {
  return (LINEAGE_EVENT_TYPES as readonly string[]).includes(event.type);
}

/** The fact a correction or retraction is about; undefined for a fact. */
export function lineageTargetOf(event: DomainEventEnvelope): string | undefined {
  if (event.type === 'EventCorrected') return event.data.correctedEventId;
  if (event.type === 'EventRetracted') return event.data.retractedEventId;
  return undefined;
}

/** The subject of a fact; undefined for a correction or retraction (their subject is their target's). */
export function subjectOf(event: DomainEventEnvelope): ReplaySubject | undefined {
  if (isLineageEvent(event)) return undefined;
  const data = event.data as { pillars?: unknown; actors?: unknown };
  return {
    eventId: event.eventId,
    type: event.type,
    streamId: event.streamId,
    occurredAt: event.occurredAt,
    pillars: Array.isArray(data.pillars) ? (data.pillars as string[]) : [],
    actors: Array.isArray(data.actors) ? (data.actors as string[]) : [],
  };
}

/** Whether the selection filters on anything a correction must borrow from its fact. */
export function needsSubjects(selection: ReplaySelection): boolean {
  return Boolean(
    selection.streams ||
      selection.types ||
      selection.pillars ||
      selection.actors ||
      selection.occurredFrom !== undefined ||
      selection.occurredTo !== undefined,
  );
}

/**
 * Events mode: whether one event in the horizon (and past `after`) is replayed. `subject` is the
 * event's own subject for a fact, its target's for a correction or retraction (undefined when the
 * target is not in the horizon).
 */
export function selectsEvent(
  event: DomainEventEnvelope,
  subject: ReplaySubject | undefined,
  selection: ReplaySelection,
): boolean {
  if (event.position <= selection.after || !withinHorizon(event, selection)) return false;
  const { streams, types, pillars, actors } = selection;
  if (types && !types.includes(event.type) && !(subject && types.includes(subject.type))) return false;
  if (streams && !streams.includes(event.streamId) && !(subject && streams.includes(subject.streamId)))
    return false;
  if (pillars && !subject?.pillars.some((p) => (pillars as readonly string[]).includes(p))) return false;
  if (actors && !subject?.actors.some((a) => actors.includes(a))) return false;
  if (selection.occurredFrom !== undefined || selection.occurredTo !== undefined) {
    if (!subject || !overlapsWindow(subject.occurredAt, selection)) return false;
  }
  return true;
}

/** Looks up the recorded facts (in the horizon) that the given corrections and retractions are about. */
export type SubjectResolver = (eventIds: readonly string[]) => Promise<ReadonlyMap<string, ReplaySubject>>;

/**
 * Events mode over a source that yields the horizon in position order, page by page. Facts are
 * their own subjects; targets outside the page are looked up with `resolve`, once per page.
 */
export async function* selectReplayEvents(
  pages: AsyncIterable<readonly DomainEventEnvelope[]> | Iterable<readonly DomainEventEnvelope[]>,
  selection: ReplaySelection,
  resolve: SubjectResolver,
): AsyncGenerator<DomainEventEnvelope> {
  const subjectsNeeded = needsSubjects(selection);
  for await (const page of pages) {
    const subjects = new Map<string, ReplaySubject>();
    if (subjectsNeeded) {
      for (const event of page) {
        const subject = subjectOf(event);
        if (subject) subjects.set(subject.eventId, subject);
      }
      const missing = [
        ...new Set(
          page.map(lineageTargetOf).filter((id): id is string => id !== undefined && !subjects.has(id)),
        ),
      ];
      if (missing.length > 0) for (const [id, subject] of await resolve(missing)) subjects.set(id, subject);
    }
    for (const event of page) {
      const target = lineageTargetOf(event);
      const subject = target === undefined ? subjectOf(event) : subjects.get(target);
      if (selectsEvent(event, subject, selection)) yield event;
    }
  }
}
