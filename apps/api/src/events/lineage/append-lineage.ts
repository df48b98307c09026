import type { AppendResponse, LineageEventType } from '@timeline/shared-types';
import { type EventStore, WrongExpectedVersionError } from '../../event-store/event-store.port.js';
import type { TimelineMetrics } from '../../infrastructure/metrics.js';
import { countAppendedEvents } from '../append-counts.js';
import type { LineageDecision } from './lineage-decision.js';
import { loadTargetState, type TargetState } from './target-state.js';

const ATTEMPTS = 3;

/**
 * Load, decide, append, for a command about another event. The append expects the stream version the
 * decision was made on; if another append got there first, the state is loaded again and the command
 * decided again, so an unrelated event in the same stream does not fail a correction. The event is
 * counted in `timeline_appended_events_total` when written (not on an idempotent replay).
 */
export async function appendLineage<T extends LineageEventType>(
  store: EventStore,
  metrics: TimelineMetrics,
  targetEventId: string,
  decide: (state: TargetState) => LineageDecision<T>,
): Promise<AppendResponse> {
  for (let attempt = 1; ; attempt++) {
    const decision = decide(await loadTargetState(store, targetEventId));
    try {
      const result = await store.append(decision.streamId, decision.expectedVersion, [decision.event]);
      if (!result.duplicate) countAppendedEvents(metrics, [decision.event]);
      return result;
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError) || attempt >= ATTEMPTS) throw error;
    }
  }
}
