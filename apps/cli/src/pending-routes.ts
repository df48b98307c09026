import type { Schema, TimelineClient } from '@timeline/api-client';
import type { EventEnvelope } from '@timeline/shared-types';

/*
 * Routes agreed in the API contract (getEvent, listStreams, the DLQ administration) that are built in
 * other branches and not yet in the generated client: their answers as the contract states them, and
 * an untyped view of the client to call them. Once docs/openapi.json has them, the commands switch to
 * the generated `Schema<...>` types and this file goes.
 */

export interface EventDetail {
  event: EventEnvelope;
  corrections: EventEnvelope[];
  retraction: EventEnvelope | null;
  item: Schema<'TimelineItem'> | null;
}

export interface StreamSummary {
  streamId: string;
  version: number;
  eventCount: number;
  lastRecordedAt: string;
}

export interface StreamsPage {
  streams: StreamSummary[];
  next: string | null;
}

export interface DeadLetter {
  id: string;
  partition: number;
  offset: string;
  reason: string;
  position: number | null;
  eventId: string | null;
  type: string | null;
  streamId: string | null;
  failedAt: string;
  redriven: boolean;
}

export interface DeadLetterDetail extends DeadLetter {
  headers: Record<string, string>;
  value: string;
}

interface UntypedRequest {
  params?: { path?: Record<string, string>; query?: Record<string, string | number | undefined> };
  signal?: AbortSignal;
}

interface UntypedAnswer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The generated client called on a path its types do not know yet. */
export interface UntypedClient {
  GET<T>(path: string, init?: UntypedRequest): Promise<UntypedAnswer<T>>;
  POST<T>(path: string, init?: UntypedRequest): Promise<UntypedAnswer<T>>;
}

export const untyped = (http: TimelineClient): UntypedClient => http as unknown as UntypedClient;
