import type { AppendResponse, LineageEventType } from '@timeline/shared-types';
import { type EventStore, WrongExpectedVersionError } from '../../event-store/event-store.port.js';
import type { LineageDecision } from './lineage-decision.js';
import { loadTargetState, type TargetState } from './target-state.js';

const ATTEMPTS = 3;

/**
 * Load, decide, append, for a command about another event. The append expects the stream version the
 * decision was made on; if another append got there first, the state is loaded again and the command
 * decided again, so an unrelated event in the same stream does not fail a correction.
 */
export async function appendLineage<T extends LineageEventType>(
  store: EventStore,
  targetEventId: string,
  decide: (state: TargetState) => LineageDecision<T>,
): Promise<AppendResponse> {
  for (let attempt = 1; ; attempt++) {
    const decision = decide(await loadTargetState(store, targetEventId));
    try {
      return await store.append(decision.streamId, decision.expectedVersion, [decision.event]);
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError) || attempt >= ATTEMPTS) throw error;
    }
  }
}
