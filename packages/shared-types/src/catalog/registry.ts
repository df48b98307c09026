import type { z } from 'zod';
import type { EventEnvelope } from '../envelope.js';
import { type ParseResult, safeParseWith, ValidationError } from '../validation.js';
import * as s from './schemas.js';

/** A type that has had one schema so far: most of them. */
const singleVersion = <S extends z.ZodType>(schema: S, description: string) =>
  ({ current: 1, versions: { 1: schema }, description }) as const;

/**
 * The catalog: every event type, every schema version it has had, and the current one.
 * Stored events are never rewritten; older versions are upcast on read (see upcasters.ts).
 */
export const EVENT_CATALOG = {
  RoadmapAdopted: singleVersion(
    s.RoadmapAdoptedV1,
    'Parties adopted a roadmap or framework for their relationship.',
  ),
  GovernmentTookOffice: singleVersion(s.GovernmentTookOfficeV1, 'A government came to power.'),
  VisitStarted: singleVersion(s.VisitStartedV1, 'An official arrived for a visit.'),
  MeetingHeld: singleVersion(s.MeetingHeldV1, 'Officials met or held talks.'),
  InitiativeLaunched: singleVersion(s.InitiativeLaunchedV1, 'An initiative was launched or made public.'),
  PillarIdentified: singleVersion(
    s.PillarIdentifiedV1,
    'A pillar of an initiative was named, with no scope set out.',
  ),
  PillarScopeDefined: singleVersion(
    s.PillarScopeDefinedV1,
    'The scope of one pillar of an initiative was set out.',
  ),
  FundingCallAnnounced: {
    current: 2,
    versions: { 1: s.FundingCallAnnouncedV1, 2: s.FundingCallAnnouncedV2 },
    description: 'A funding call was announced.',
  },
  StatementIssued: singleVersion(s.StatementIssuedV1, 'Someone said or published something on the record.'),
  NegotiationProgressNoted: singleVersion(
    s.NegotiationProgressNotedV1,
    'Progress in a negotiation was assessed.',
  ),
  ConcernRaised: singleVersion(s.ConcernRaisedV1, 'One side raised a concern with the other.'),
  CooperationDiscussed: singleVersion(s.CooperationDiscussedV1, 'Cooperation in an area was discussed.'),
  AgreementReached: singleVersion(s.AgreementReachedV1, 'Parties agreed to do something.'),
  IssuesDiscussed: singleVersion(
    s.IssuesDiscussedV1,
    'Issues were deliberated on or views exchanged, with no cooperation implied.',
  ),
  FactNoted: {
    current: 2,
    versions: { 1: s.FactNotedV1, 2: s.FactNotedV2 },
    description:
      'A fact with only the common fields (title, summary, actors, pillars, place) and a group: for generic imports.',
  },
  EraMarked: singleVersion(
    s.EraMarkedV1,
    'A period shown as a band behind the facts (a TimelineJS era): a name and a span.',
  ),
  EventCorrected: singleVersion(
    s.EventCorrectedV1,
    'An earlier event was corrected (patch + reason). Never edits history.',
  ),
  EventRetracted: singleVersion(
    s.EventRetractedV1,
    'An earlier event was retracted (reason). Its item is hidden from then on.',
  ),
} as const satisfies Record<
  string,
  { current: number; versions: Record<number, z.ZodType>; description: string }
>;

export type EventCatalog = typeof EVENT_CATALOG;
export type EventType = keyof EventCatalog;
export const EVENT_TYPES = Object.keys(EVENT_CATALOG) as EventType[];

type CurrentSchema<T extends EventType> = EventCatalog[T]['versions'][EventCatalog[T]['current'] &
  keyof EventCatalog[T]['versions']];
/** The data of an event type at its current schema version. */
export type EventData<T extends EventType> = z.infer<CurrentSchema<T>>;
/** What a producer may write for an event type (defaults not yet applied). */
export type EventDataInput<T extends EventType> = z.input<CurrentSchema<T>>;

/** A stored event whose data has been validated and upcast to the current version: a discriminated union. */
export type DomainEventEnvelope = { [T in EventType]: EventEnvelope<T, EventData<T>> }[EventType];
export type DomainEvent = { [T in EventType]: { type: T; data: EventData<T> } }[EventType];

/** Events that are facts on the timeline, as opposed to corrections and retractions of them. */
export const LINEAGE_EVENT_TYPES = [
  'EventCorrected',
  'EventRetracted',
] as const satisfies readonly EventType[];
export type LineageEventType = (typeof LINEAGE_EVENT_TYPES)[number];
export type FactEventType = Exclude<EventType, LineageEventType>;
export const FACT_EVENT_TYPES = EVENT_TYPES.filter(
  (t): t is FactEventType => !(LINEAGE_EVENT_TYPES as readonly string[]).includes(t),
);

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_CATALOG, type);
}

export function currentSchemaVersion(type: EventType): number {
  return EVENT_CATALOG[type].current;
}

export function schemaFor(type: string, schemaVersion: number): z.ZodType | undefined {
  if (!isEventType(type)) return undefined;
  const versions = EVENT_CATALOG[type].versions as Record<number, z.ZodType>;
  return versions[schemaVersion];
}

/**
 * Validates one event's data against the schema of its type and version.
 * Unknown types and versions are failures with a path, never exceptions.
 */
export function validateEventData(
  type: string,
  schemaVersion: number,
  data: unknown,
  prefix: ReadonlyArray<PropertyKey> = [],
): ParseResult<Record<string, unknown>> {
  if (!isEventType(type)) {
    return {
      ok: false,
      issues: [
        {
          path: [...prefix, 'type'].join('.'),
          message: `unknown event type '${type}'; known: ${EVENT_TYPES.join(', ')}`,
        },
      ],
    };
  }
  const schema = schemaFor(type, schemaVersion);
  if (!schema) {
    const known = Object.keys(EVENT_CATALOG[type].versions).join(', ');
    return {
      ok: false,
      issues: [
        {
          path: [...prefix, 'schemaVersion'].join('.'),
          message: `${type} has no schema version ${schemaVersion}; known: ${known}`,
        },
      ],
    };
  }
  return safeParseWith(schema as z.ZodType<Record<string, unknown>>, data, [...prefix, 'data']);
}

export function assertEventData(type: string, schemaVersion: number, data: unknown): Record<string, unknown> {
  const result = validateEventData(type, schemaVersion, data);
  if (!result.ok) throw new ValidationError(result.issues, `${type} v${schemaVersion}`);
  return result.value;
}
