import { ValidationError } from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { thrownBy } from '../../../test/assertions/thrown.js';
import { decide, type EventToRecord } from './decide.js';

const ID_1 = '0b8e4f4e-7c7e-4d43-9b0e-5a1f9d7c2a11';
const ID_2 = '6d2f1c3a-9e8b-4a7d-8c6b-2f1e0d9c8b22';

function meeting(overrides: Partial<EventToRecord> = {}): EventToRecord {
  return {
    eventId: ID_1,
    type: 'MeetingHeld',
    occurredAt: { start: '2024-07-24', precision: 'day' },
    data: { title: 'Talks in Delhi', participants: ['David Lammy', 'S Jaishankar'] },
    ...overrides,
  };
}

const issuesOf = (run: () => unknown) => thrownBy(run, ValidationError).issues;

const append = (streamId: string, expectedVersion: 'any' | 'no_stream', events: EventToRecord[]) => ({
  streamId,
  expectedVersion,
  events,
});

describe('AppendEvents decide', () => {
  it('given a valid event, stores the parsed data with defaults, the current schema version and empty metadata', () => {
    const [event] = decide(append('visit', 'no_stream', [meeting()]));
    expect(event).toEqual({
      eventId: ID_1,
      type: 'MeetingHeld',
      schemaVersion: 1,
      occurredAt: { start: '2024-07-24', precision: 'day' },
      data: {
        title: 'Talks in Delhi',
        participants: ['David Lammy', 'S Jaishankar'],
        actors: [],
        pillars: [],
        format: 'talks',
        topics: [],
      },
      metadata: { sources: [] },
    });
  });

  it('keeps an explicit older schema version (upcast on read, never rewritten)', () => {
    const [event] = decide(
      append('fc', 'any', [
        meeting({
          type: 'FundingCallAnnounced',
          schemaVersion: 1,
          data: { title: 'Call', amountGbp: 7_000_000, funders: ['UKRI'], topic: 'telecoms' },
        }),
      ]),
    );
    expect(event?.schemaVersion).toBe(1);
  });

  it('lower-cases event ids, as the store keeps them', () => {
    const [event] = decide(append('s', 'any', [meeting({ eventId: ID_1.toUpperCase() })]));
    expect(event?.eventId).toBe(ID_1);
  });

  it('refuses an unknown type, a bad field and a repeated id, naming each path', () => {
    const issues = issuesOf(() =>
      decide(
        append('s', 'any', [
          meeting({ type: 'TeaServed' }),
          meeting({ eventId: ID_2, data: { title: '', participants: ['x'] } }),
          meeting({ eventId: ID_2 }),
        ]),
      ),
    );
    expect(issues.map((i) => i.path)).toEqual(['events.0.type', 'events.1.data.title', 'events.2.eventId']);
  });

  it('refuses unknown data fields', () => {
    const issues = issuesOf(() =>
      decide(append('s', 'any', [meeting({ data: { title: 't', participants: ['x'], mood: 'good' } })])),
    );
    expect(issues).toEqual([expect.objectContaining({ path: 'events.0.data' })]);
  });

  it('refuses an unknown schema version', () => {
    const issues = issuesOf(() => decide(append('s', 'any', [meeting({ schemaVersion: 9 })])));
    expect(issues.map((i) => i.path)).toEqual(['events.0.schemaVersion']);
  });

  it('sends corrections and retractions to their own commands', () => {
    const issues = issuesOf(() =>
      decide(
        append('s', 'any', [
          meeting({ type: 'EventRetracted', data: { retractedEventId: ID_2, reason: 'x' } }),
        ]),
      ),
    );
    expect(issues).toEqual([
      {
        path: 'events.0.type',
        message: 'EventRetracted is recorded with POST /api/events/{eventId}/retraction',
      },
    ]);
  });
});
