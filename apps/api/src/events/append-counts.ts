import { ValidationError } from '@timeline/shared-types';
import {
  EventIdConflictError,
  StoreUnavailableError,
  WrongExpectedVersionError,
} from '../event-store/event-store.port.js';
import type { TimelineMetrics } from '../infrastructure/metrics.js';
import { ConflictError } from '../shared/conflict.error.js';

/**
 * What became of an append request that reached its handler (`timeline_append_requests_total{outcome}`):
 * stored, an idempotent replay of events already stored (nothing written), refused by the catalog, a
 * wrong `expectedVersion`, an event id stored before with other content, the store unreachable, or
 * anything else. Requests the HTTP layer refuses first (authentication, rate limit, body shape) are not
 * counted here.
 */
export type AppendOutcome =
  | 'appended'
  | 'duplicate'
  | 'invalid'
  | 'wrong_version'
  | 'conflict'
  | 'unavailable'
  | 'error';

export function appendOutcomeOf(error: unknown): AppendOutcome {
  if (error instanceof ValidationError) return 'invalid';
  if (error instanceof WrongExpectedVersionError) return 'wrong_version';
  if (error instanceof EventIdConflictError || error instanceof ConflictError) return 'conflict';
  if (error instanceof StoreUnavailableError) return 'unavailable';
  return 'error';
}

/**
 * Counts events this process wrote, by type (`timeline_appended_events_total{type}`): call it only
 * for a write that stored them, never for an idempotent replay (`duplicate: true`), so the counter
 * sums to the events this process added to the log.
 */
export function countAppendedEvents(metrics: TimelineMetrics, events: ReadonlyArray<{ type: string }>): void {
  if (events.length === 1) {
    metrics.appendedEvents.inc({ type: events[0]!.type });
    return;
  }
  const byType = new Map<string, number>();
  for (const { type } of events) byType.set(type, (byType.get(type) ?? 0) + 1);
  for (const [type, count] of byType) metrics.appendedEvents.inc({ type }, count);
}
