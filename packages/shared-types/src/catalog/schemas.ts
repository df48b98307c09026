import { z } from 'zod';
import { OccurredAtSchema } from '../envelope.js';
import { PILLARS } from './pillars.js';

const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * Fields every fact on the timeline carries, whatever its type: a short title to draw, an optional
 * summary, who took part, and which pillars it concerns. Type-specific fields come on top.
 */
const itemFields = {
  title: text(300),
  summary: text(4000).optional(),
  actors: z.array(text(200)).max(100).default([]),
  pillars: z.array(z.enum(PILLARS)).max(PILLARS.length).default([]),
  place: text(200).optional(),
  /**
   * Values the source implies but does not state, each with how it was inferred: the key names a
   * field of this event (or a dotted path into one, `amount.currency`). What `occurredAt.derivation`
   * is for the date, this is for the data; a value the source states needs no entry.
   */
  inferred: z
    .record(
      z
        .string()
        .max(100)
        .regex(/^[A-Za-z]\w*(\.[A-Za-z]\w*)*$/, 'must be a field name or a dotted path into one'),
      text(1000),
    )
    .optional(),
};

/** Follows a dotted path into a value; undefined when any step is missing. */
function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const item = <Shape extends z.ZodRawShape>(shape: Shape) =>
  z.strictObject({ ...itemFields, ...shape }).superRefine((value, ctx) => {
    const inferred = (value as { inferred?: Record<string, string> }).inferred ?? {};
    for (const path of Object.keys(inferred)) {
      if (path === 'inferred' || path.startsWith('inferred.') || valueAt(value, path) === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['inferred', path],
          message: 'must name a value of this event',
        });
    }
  });

export const RoadmapAdoptedV1 = item({
  roadmap: text(200),
  parties: z.array(text(200)).min(1).max(20),
  horizonYears: z.number().int().min(1).max(100).optional(),
  areas: z.array(text(200)).max(50).default([]),
});

export const GovernmentTookOfficeV1 = item({
  country: text(100),
  headOfGovernment: text(200),
  party: text(200).optional(),
});

export const VisitStartedV1 = item({
  visitor: text(200),
  visitorRole: text(200).optional(),
  hostCountry: text(100),
  city: text(100).optional(),
  purpose: text(1000).optional(),
});

export const MeetingHeldV1 = item({
  participants: z.array(text(200)).min(1).max(50),
  format: z.enum(['talks', 'call-on', 'delegation-level', 'other']).default('talks'),
  topics: z.array(text(300)).max(50).default([]),
});

export const InitiativeLaunchedV1 = item({
  initiative: text(200),
  acronym: text(20).optional(),
  aim: text(2000).optional(),
  spearheadedBy: z.array(text(200)).max(20).default([]),
  participantSectors: z.array(text(200)).max(20).default([]),
});

/** A pillar the source only names (or lists), with nothing said about its scope. */
export const PillarIdentifiedV1 = item({
  initiative: text(200),
  pillar: z.enum(PILLARS),
});

export const PillarScopeDefinedV1 = item({
  initiative: text(200),
  pillar: z.enum(PILLARS),
  scope: text(4000),
});

/** v1 carried the amount as a bare number of pounds; v2 names the currency. See upcasters.ts. */
export const FundingCallAnnouncedV1 = item({
  amountGbp: z.number().positive(),
  funders: z.array(text(200)).min(1).max(20),
  topic: text(500),
});

export const FundingCallAnnouncedV2 = item({
  amount: z.strictObject({ value: z.number().positive(), currency: z.string().regex(/^[A-Z]{3}$/) }),
  funders: z.array(text(200)).min(1).max(20),
  topic: text(500),
});

export const StatementIssuedV1 = item({
  speaker: text(200),
  channel: z.enum(['remarks', 'fact-sheet', 'readout', 'social-post', 'press-statement', 'interview']),
  text: text(4000).optional(),
});

export const NegotiationProgressNotedV1 = item({
  negotiation: text(200),
  assessment: text(1000),
  goal: text(1000).optional(),
});

export const ConcernRaisedV1 = item({
  raisedBy: text(200),
  concern: text(2000),
  addressedTo: text(200).optional(),
});

/** Parties agreed to do something, as opposed to only discussing it. */
export const AgreementReachedV1 = item({
  parties: z.array(text(200)).min(1).max(50),
  agreement: text(2000),
  area: text(300).optional(),
});

/** Issues deliberated on or views exchanged, with no cooperation between the parties implied. */
export const IssuesDiscussedV1 = item({
  participants: z.array(text(200)).max(50).default([]),
  issues: z.array(text(500)).min(1).max(50),
});

/** A fact with only the common fields: what a generic import (a TimelineJS slide, say) can honestly claim. */
export const FactNotedV1 = item({});

/**
 * v2 adds the group a fact was filed under when it is not one of the pillars (a TimelineJS slide's
 * `group`, a spreadsheet's Group column), so an imported timeline keeps its rows.
 */
export const FactNotedV2 = item({ group: text(200).optional() });

/**
 * A period shown as a band behind the facts (a TimelineJS era): a name and a span, not a fact that
 * happened. Its `occurredAt` has a start and an end.
 */
export const EraMarkedV1 = item({});

export const CooperationDiscussedV1 = item({
  area: text(300),
  participants: z.array(text(200)).max(50).default([]),
  outcome: text(2000).optional(),
});

/**
 * A correction never edits history: it is an event naming the event it corrects, a JSON merge patch
 * for that event's data, optionally a corrected valid time, and why.
 */
export const EventCorrectedV1 = z
  .strictObject({
    correctedEventId: z.uuid(),
    patch: z.record(z.string(), z.unknown()).optional(),
    occurredAt: OccurredAtSchema.optional(),
    reason: text(2000),
  })
  .refine((v) => v.patch !== undefined || v.occurredAt !== undefined, {
    message: 'a correction needs a patch or an occurredAt',
    path: ['patch'],
  });

export const EventRetractedV1 = z.strictObject({
  retractedEventId: z.uuid(),
  reason: text(2000),
});
