import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../shared/conflict.error.js';
import { corrected, given, retracted, TALKS_ID, talksInDelhi } from '../../../test/support/given-events.js';
import { decide, type RetractEvent } from './decide.js';

const RETRACTION_ID = 'b6c1d2e3-4f5a-4b6c-9d7e-8f9a0b1c2d3e';
const retract = (eventId = RETRACTION_ID): RetractEvent => ({
  targetEventId: TALKS_ID,
  eventId,
  reason: 'never happened',
  metadata: undefined,
});

describe('RetractEvent decide', () => {
  it('given a corrected fact, appends an EventRetracted after the correction', () => {
    const state = given(
      talksInDelhi(),
      corrected('11111111-2222-4333-8444-555555555555', TALKS_ID, { place: 'Delhi' }, 2),
    );
    expect(decide(retract(), state)).toEqual({
      streamId: 'visit-lammy-delhi-2024',
      expectedVersion: 2,
      event: {
        eventId: RETRACTION_ID,
        type: 'EventRetracted',
        schemaVersion: 1,
        occurredAt: { start: '2024-07-24', precision: 'day' },
        data: { retractedEventId: TALKS_ID, reason: 'never happened' },
        metadata: { sources: [] },
      },
    });
  });

  it('given no event, refuses with a conflict', () => {
    expect(() => decide(retract(), given())).toThrow(ConflictError);
    expect(() => decide(retract(), given())).toThrow(
      `no event ${TALKS_ID} exists: only a recorded event can be retracted`,
    );
  });

  it('given an already retracted fact, refuses with a conflict', () => {
    const state = given(talksInDelhi(), retracted('22222222-2222-4333-8444-555555555555', TALKS_ID, 2));
    expect(() => decide(retract(), state)).toThrow(/already retracted/);
  });

  it('lets the retry of the retraction that did it through', () => {
    const state = given(talksInDelhi(), retracted(RETRACTION_ID, TALKS_ID, 2));
    expect(decide(retract(), state).event.eventId).toBe(RETRACTION_ID);
  });

  it('refuses to retract a retraction', () => {
    expect(() =>
      decide(retract(), given(retracted('33333333-2222-4333-8444-555555555555', TALKS_ID, 1))),
    ).toThrow('is an EventRetracted, not a fact: retract the event it is about instead');
  });
});
