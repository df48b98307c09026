import { ValidationError } from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { toLogSelection } from './log-selection.js';

const page = { limitGiven: false, streamed: false };

describe('toLogSelection', () => {
  it('pages by default and streams everything unless a limit is given', () => {
    expect(toLogSelection({ after: 5, limit: 1000 }, page)).toEqual({ after: 5, limit: 1000 });
    expect(toLogSelection({ after: 5, limit: 1000 }, { limitGiven: false, streamed: true })).toEqual({
      after: 5,
    });
    expect(toLogSelection({ after: 0, limit: 10 }, { limitGiven: true, streamed: true })).toEqual({
      after: 0,
      limit: 10,
    });
  });

  it('passes filters and turns asOf into one exact instant', () => {
    expect(
      toLogSelection(
        { after: 0, limit: 10, types: ['MeetingHeld'], streams: ['s-1'], asOf: '2024-08-01' },
        page,
      ),
    ).toEqual({
      after: 0,
      limit: 10,
      types: ['MeetingHeld'],
      streams: ['s-1'],
      asOf: '2024-08-01T00:00:00.000Z',
    });
    expect(toLogSelection({ after: 0, limit: 10, asOf: '2024-07-24T12:00+05:30' }, page).asOf).toBe(
      '2024-07-24T06:30:00.000Z',
    );
  });

  it('refuses an instant the database could not hold', () => {
    expect(() => toLogSelection({ after: 0, limit: 10, asOf: '+275760-09-13T00:00:00Z' }, page)).toThrow(
      ValidationError,
    );
  });
});
