import { ValidationError } from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../shared/conflict.error.js';
import { corrected, given, retracted, TALKS_ID, talksInDelhi } from '../../../test/support/given-events.js';
import { type CorrectEvent, type Correction, decide } from './decide.js';

const CORRECTION_ID = 'a5b0c1d2-3e4f-4a5b-8c6d-7e8f9a0b1c2d';
const correct = (correction: Partial<Correction>, eventId = CORRECTION_ID): CorrectEvent => ({
  targetEventId: TALKS_ID,
  eventId,
  correction: { reason: 'the report says so', ...correction },
  metadata: undefined,
});

describe('CorrectEvent decide', () => {
  it('given a fact, appends an EventCorrected to its stream at the version it was decided on', () => {
    const decision = decide(correct({ patch: { place: 'New Delhi' } }), given(talksInDelhi()));
    expect(decision).toEqual({
      streamId: 'visit-lammy-delhi-2024',
      expectedVersion: 1,
      event: {
        eventId: CORRECTION_ID,
        type: 'EventCorrected',
        schemaVersion: 1,
        occurredAt: { start: '2024-07-24', precision: 'day' },
        data: { correctedEventId: TALKS_ID, patch: { place: 'New Delhi' }, reason: 'the report says so' },
        metadata: { sources: [] },
      },
    });
  });

  it('corrects the valid time alone', () => {
    const decision = decide(
      correct({ occurredAt: { start: '2024-07', precision: 'month' } }),
      given(talksInDelhi()),
    );
    expect(decision.event.data).toMatchObject({ occurredAt: { start: '2024-07', precision: 'month' } });
  });

  it('given no event, refuses with a conflict', () => {
    expect(() => decide(correct({ patch: { place: 'x' } }), given())).toThrow(ConflictError);
    expect(() => decide(correct({ patch: { place: 'x' } }), given())).toThrow(
      `no event ${TALKS_ID} exists: only a recorded event can be corrected`,
    );
  });

  it('given a retracted fact, refuses with a conflict naming the retraction', () => {
    const state = given(talksInDelhi(), retracted('11111111-2222-4333-8444-555555555555', TALKS_ID, 2));
    expect(() => decide(correct({ patch: { place: 'x' } }), state)).toThrow(
      /retracted by 11111111-2222-4333-8444-555555555555/,
    );
  });

  it('refuses to correct a correction', () => {
    const correction = corrected('22222222-2222-4333-8444-555555555555', TALKS_ID, { place: 'x' }, 2);
    expect(() => decide(correct({ patch: { place: 'y' } }), given(correction))).toThrow(
      'is an EventCorrected, not a fact: correct the event it is about instead',
    );
  });

  it('refuses a patch that would break the type schema, naming the path under patch', () => {
    try {
      decide(correct({ patch: { title: null, format: 'dinner' } }), given(talksInDelhi()));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((i) => i.path).sort()).toEqual([
        'patch.format',
        'patch.title',
      ]);
    }
  });

  it('judges a patch against the data as already corrected', () => {
    const state = given(
      talksInDelhi(),
      corrected('33333333-2222-4333-8444-555555555555', TALKS_ID, { place: 'Delhi' }, 2),
    );
    expect(state.item?.data.place).toBe('Delhi');
    expect(decide(correct({ patch: { place: null } }), state).expectedVersion).toBe(2);
  });

  it('needs a patch or an occurredAt', () => {
    expect(() => decide(correct({}), given(talksInDelhi()))).toThrow(ValidationError);
  });

  it('lets a retry of a recorded correction through unchanged, for the store to answer with the first result', () => {
    const retryId = '44444444-2222-4333-8444-555555555555';
    const state = given(
      talksInDelhi(),
      corrected(retryId, TALKS_ID, { place: 'Delhi' }, 2),
      retracted('55555555-2222-4333-8444-555555555555', TALKS_ID, 3),
    );
    expect(decide(correct({ patch: { place: 'Delhi' } }, retryId), state).event.eventId).toBe(retryId);
  });
});
