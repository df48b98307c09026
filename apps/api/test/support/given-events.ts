import { type EventEnvelope, upcastEnvelope } from '@timeline/shared-types';
import { evolve, NO_TARGET, type TargetState } from '../../src/events/lineage/target-state.js';

/** Builders for deciders' specs: state comes from events, as it does in production. */

/** An event of the one stream these specs use: alone in the log, so its position is its stream version. */
export function stored(
  partial: Partial<EventEnvelope> & Pick<EventEnvelope, 'eventId' | 'type' | 'data'>,
): EventEnvelope {
  const streamVersion = partial.streamVersion ?? 1;
  return {
    streamId: 'visit-lammy-delhi-2024',
    streamVersion,
    position: streamVersion,
    schemaVersion: 1,
    occurredAt: { start: '2024-07-24', precision: 'day' },
    recordedAt: '2024-07-24T12:00:00.000Z',
    metadata: { sources: [] },
    ...partial,
  };
}

export const TALKS_ID = '3f0c9a52-1d7e-4b8e-9a61-0c4f1b2e7d10';

export function talksInDelhi(overrides: Partial<EventEnvelope> = {}): EventEnvelope {
  return stored({
    eventId: TALKS_ID,
    type: 'MeetingHeld',
    data: {
      title: 'Lammy and Jaishankar hold talks',
      actors: ['David Lammy', 'S Jaishankar'],
      pillars: [],
      participants: ['David Lammy', 'S Jaishankar'],
      format: 'talks',
      topics: [],
    },
    ...overrides,
  });
}

export function corrected(
  eventId: string,
  targetId: string,
  patch: Record<string, unknown>,
  streamVersion: number,
): EventEnvelope {
  return stored({
    eventId,
    type: 'EventCorrected',
    streamVersion,
    data: { correctedEventId: targetId, patch, reason: 'fix' },
  });
}

export function retracted(eventId: string, targetId: string, streamVersion: number): EventEnvelope {
  return stored({
    eventId,
    type: 'EventRetracted',
    streamVersion,
    data: { retractedEventId: targetId, reason: 'wrong' },
  });
}

/** The state a command meets after these events of the target's stream (the first one is the target). */
export function given(...events: EventEnvelope[]): TargetState {
  const [target] = events;
  if (!target) return NO_TARGET;
  return events.map(upcastEnvelope).reduce(evolve, { target, item: undefined, streamVersion: 0 });
}
