import type {
  EventEnvelope,
  ExpectedVersion,
  LogHistogramResponse,
  Metadata,
  OccurredAt,
} from '@timeline/shared-types';
import type { SqlExecutor } from './sql-client.js';

/* The domain depends on this port (injected as EVENT_STORE, event-store.tokens.ts), never on `pg` or PGlite. */

/** An event ready to store: validated, defaults applied, id chosen. */
export interface EventToAppend {
  eventId: string;
  type: string;
  schemaVersion: number;
  occurredAt: OccurredAt;
  data: Record<string, unknown>;
  metadata: Metadata;
}

export interface AppendResult {
  streamId: string;
  streamVersion: number;
  events: Array<{ eventId: string; streamVersion: number; position: number }>;
  /** Every event was already stored with the same content: nothing new was written. */
  duplicate: boolean;
}

export interface LogSelection {
  /** Exclusive lower bound on position. */
  after?: number;
  /** Inclusive upper bound on position. */
  until?: number;
  limit?: number;
  types?: readonly string[];
  streams?: readonly string[];
  /** Knowledge time: only events recorded at or before this instant. */
  asOf?: string;
}

export interface StreamSlice {
  streamId: string;
  /** The stream's current version (0 when it does not exist). */
  version: number;
  events: EventEnvelope[];
}

/** One stream as `GET /api/streams` lists it. */
export interface StreamSummary {
  streamId: string;
  version: number;
  /** Stream versions count 1, 2, 3 … without gaps, so this is the version. */
  eventCount: number;
  /** When its last event was recorded (ISO instant). */
  lastRecordedAt: string;
}

/**
 * What SQL can narrow a replay's page to. A superset of the selection, never a subset: corrections and
 * retractions always pass, because whether they belong depends on the fact they are about.
 */
export interface ReplayNarrowing {
  types?: readonly string[] | undefined;
  streams?: readonly string[] | undefined;
  /** Valid-time window: only rows whose valid time ends after `validAfter`... */
  validAfter?: string | undefined;
  /** ...and starts at or before `validUntil`. */
  validUntil?: string | undefined;
}

/** The reads a caller may also make inside a transaction of its own on the store's database (see `within`). */
export interface LogReads {
  /** The highest committed position (0 for an empty store). */
  head(): Promise<number>;
  /** One page of the log in position order. */
  readLogPage(selection: LogSelection): Promise<EventEnvelope[]>;
  /**
   * The event with this id followed by the corrections and retraction that name it, in position order,
   * read in one statement (one snapshot); [] when no event has the id.
   */
  readEventWithLineage(eventId: string): Promise<EventEnvelope[]>;
}

export interface EventStore extends LogReads {
  /** Atomic. Idempotent by eventId. Throws WrongExpectedVersionError / EventIdConflictError. */
  append(
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: readonly EventToAppend[],
  ): Promise<AppendResult>;
  readStream(streamId: string, options?: { fromVersion?: number; limit?: number }): Promise<StreamSlice>;
  /** The whole selection in position order, fetched page by page so memory stays flat. */
  readLog(selection: LogSelection, pageSize?: number): AsyncIterable<EventEnvelope>;
  getEvent(eventId: string): Promise<EventEnvelope | undefined>;
  /** Up to `limit` streams whose id sorts after `after` (keyset), in stream id order. */
  listStreams(page: { after?: string | undefined; limit: number }): Promise<StreamSummary[]>;
  /** The events with these ids stored at or below `until`, in position order. */
  readEventsById(ids: readonly string[], until: number): Promise<EventEnvelope[]>;
  /** Up to `limit` events in (after, until], position order, narrowed for a replay. */
  readReplayPage(
    range: { after: number; until: number; limit: number },
    narrowing: ReplayNarrowing,
  ): Promise<EventEnvelope[]>;
  /** The last position recorded at or before `asOf` (0 if none): knowledge time grows with position. */
  lastPositionRecordedBy(asOf: string): Promise<number>;
  /** Events recorded per knowledge-time bucket (at most `maxBuckets`), each with its first and last position. */
  histogram(maxBuckets: number): Promise<LogHistogramResponse>;
  /** The log reads inside `tx`, a transaction the caller holds on this store's database (a rebuild swaps under one). */
  within(tx: SqlExecutor): LogReads;
  /**
   * Events this process appended, from memory instead of a read: the committed run of consecutive
   * positions from `after + 1`, at most `limit`; [] when this process did not append `after + 1` (or
   * no longer holds it), and the caller reads the log. An append of this process still in flight
   * is waited for (briefly) first: its NOTIFY can arrive before its result. Events are kept only once
   * this was called (the relay, in the process that appends), in a bounded window.
   */
  recentlyAppended(after: number, limit: number): Promise<EventEnvelope[]>;
  /** Called with the new head after each commit (LISTEN/NOTIFY); returns an unsubscribe function. */
  onAppended(listener: (head: number) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export class WrongExpectedVersionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`stream '${streamId}' is at version ${actual}, expected ${expected}`);
    this.name = 'WrongExpectedVersionError';
  }
}

/** The same eventId was stored before with other content (or in another stream or batch). */
export class EventIdConflictError extends Error {
  constructor(
    readonly eventId: string,
    reason: string,
  ) {
    super(`event ${eventId} ${reason}`);
    this.name = 'EventIdConflictError';
  }
}

/**
 * The database did not answer: refused, lost or closed the connection, or is shutting down or starting
 * up. Not the request's fault; the outcome of a write it interrupted is unknown, and appends are
 * idempotent, so the client retries (HTTP 503 with Retry-After).
 */
export class StoreUnavailableError extends Error {
  constructor(override readonly cause: unknown) {
    super(`the event store is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'StoreUnavailableError';
  }
}
