import { randomUUID } from 'node:crypto';
import type { EventToAppend } from '../../src/event-store/event-store.port.js';

/** Test fixtures are built from events, not table rows. */
export function aMeeting(overrides: Partial<EventToAppend> & { title?: string } = {}): EventToAppend {
  const { title, ...rest } = overrides;
  return {
    eventId: randomUUID(),
    type: 'MeetingHeld',
    schemaVersion: 1,
    occurredAt: { start: '2024-07-24', precision: 'day' },
    data: {
      title: title ?? 'Talks in Delhi',
      actors: ['David Lammy', 'S Jaishankar'],
      pillars: [],
      participants: ['David Lammy', 'S Jaishankar'],
      format: 'talks',
      topics: [],
    },
    metadata: { sources: [] },
    ...rest,
  };
}

export function meetings(count: number, prefix = 'Meeting'): EventToAppend[] {
  return Array.from({ length: count }, (_, i) => aMeeting({ title: `${prefix} ${i + 1}` }));
}
