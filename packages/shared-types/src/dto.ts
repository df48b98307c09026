import { z } from 'zod';
import {
  EVENT_TYPE_PATTERN,
  ExpectedVersionSchema,
  NewEventSchema,
  OccurredAtSchema,
  StreamIdSchema,
} from './envelope.js';
import { PILLARS } from './catalog/pillars.js';
import { commaListSchema } from './comma-list.js';
import type { EventEnvelope } from './envelope.js';
import type { TimelineItem } from './timeline.js';
import type { ValidationIssue } from './validation.js';

/** The HTTP API's request and response shapes. Requests are zod schemas; unknown fields are rejected. */

export const MAX_EVENTS_PER_APPEND = 1000;

export const AppendRequestSchema = z.strictObject({
  expectedVersion: ExpectedVersionSchema.optional(),
  events: z.array(NewEventSchema).min(1).max(MAX_EVENTS_PER_APPEND),
});
export type AppendRequest = z.input<typeof AppendRequestSchema>;

export interface AppendedEvent {
  eventId: string;
  streamVersion: number;
  position: number;
}

export interface AppendResponse {
  streamId: string;
  /** The stream's version after the append. */
  streamVersion: number;
  events: AppendedEvent[];
  /** True when every event was already stored with the same content (an idempotent retry). */
  duplicate: boolean;
}

export const CorrectionRequestSchema = z.strictObject({
  eventId: z.uuid().optional(),
  patch: z.record(z.string(), z.unknown()).optional(),
  occurredAt: OccurredAtSchema.optional(),
  reason: z.string().trim().min(1).max(2000),
  metadata: NewEventSchema.shape.metadata,
});
export type CorrectionRequest = z.input<typeof CorrectionRequestSchema>;

export const RetractionRequestSchema = z.strictObject({
  eventId: z.uuid().optional(),
  reason: z.string().trim().min(1).max(2000),
  metadata: NewEventSchema.shape.metadata,
});
export type RetractionRequest = z.input<typeof RetractionRequestSchema>;

const DATE_ONLY = /^\d{4}(-\d{2}(-\d{2})?)?$/;

/** An ISO date (`2024`, `2024-07`, `2024-07-24`) or datetime, as replays and exports take `from`, `to` and `asOf`. */
export const IsoDateOrInstantSchema = z
  .string()
  .max(40)
  .refine((s) => DATE_ONLY.test(s) || (/^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s))), {
    message: 'must be an ISO date (2024, 2024-07, 2024-07-24) or datetime (2024-07-24T09:30:00Z)',
  })
  // One message per value: this one is for the right shape with no such day (2024-13).
  .refine((s) => !DATE_ONLY.test(s) || !Number.isNaN(Date.parse(s)), { message: 'is not a calendar date' });

const position = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const LogQuerySchema = z.strictObject({
  after: position.default(0),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  types: commaListSchema(z.string().regex(EVENT_TYPE_PATTERN)).optional(),
  streams: commaListSchema(StreamIdSchema).optional(),
  asOf: IsoDateOrInstantSchema.optional(),
});
export type LogQuery = z.output<typeof LogQuerySchema>;

export const TimelineQuerySchema = z.strictObject({
  from: IsoDateOrInstantSchema.optional(),
  to: IsoDateOrInstantSchema.optional(),
  pillars: commaListSchema(z.enum(PILLARS)).optional(),
  actors: commaListSchema(z.string().min(1).max(200)).optional(),
  types: commaListSchema(z.string().regex(EVENT_TYPE_PATTERN)).optional(),
  streams: commaListSchema(StreamIdSchema).optional(),
  q: z.string().max(200).optional(),
  asOf: IsoDateOrInstantSchema.optional(),
  includeRetracted: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export type TimelineQuery = z.output<typeof TimelineQuerySchema>;

export const StreamQuerySchema = z.strictObject({
  after: position.optional(),
  types: commaListSchema(z.string().regex(EVENT_TYPE_PATTERN)).optional(),
  streams: commaListSchema(StreamIdSchema).optional(),
  pillars: commaListSchema(z.enum(PILLARS)).optional(),
});
export type StreamQuery = z.output<typeof StreamQuerySchema>;

export interface LogPage {
  events: EventEnvelope[];
  /** Pass as `after` to read on; equals the last event's position, or the request's `after`. */
  nextAfter: number;
  /** The store's head position when the page was read. */
  head: number;
}

export interface StreamResponse {
  streamId: string;
  version: number;
  events: EventEnvelope[];
}

export interface TimelineResponse {
  items: TimelineItem[];
  /** The log position the read model reflects. */
  position: number;
  asOf?: string;
}

export interface ErrorResponse {
  statusCode: number;
  error: string;
  message: string;
  issues?: ValidationIssue[];
  /** On a version conflict. */
  expected?: number | string;
  actual?: number;
}
