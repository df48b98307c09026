import type { EventEnvelope, ExpectedVersion, Metadata, OccurredAt } from '@timeline/shared-types';

/** Injection token of the event store: the domain depends on this port, never on `pg` or PGlite. */
export const EVENT_STORE = Symbol('EVENT_STORE');

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

export interface EventStore {
  /** Atomic. Idempotent by eventId. Throws WrongExpectedVersionError / EventIdConflictError. */
  append(
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: readonly EventToAppend[],
  ): Promise<AppendResult>;
  readStream(streamId: string, options?: { fromVersion?: number; limit?: number }): Promise<StreamSlice>;
  /** One page of the log in position order. */
  readLogPage(selection: LogSelection): Promise<EventEnvelope[]>;
  /** The whole selection in position order, fetched page by page so memory stays flat. */
  readLog(selection: LogSelection, pageSize?: number): AsyncIterable<EventEnvelope>;
  getEvent(eventId: string): Promise<EventEnvelope | undefined>;
  /** The highest committed position (0 for an empty store). */
  head(): Promise<number>;
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
