import { describe, expect, it } from 'vitest';
import { corrected, retracted, stored, TALKS_ID, talksInDelhi } from '../../../test/support/given-events.js';
import { eventDetails } from './event-details.js';

const FIRST_FIX = 'a5b0c1d2-3e4f-4a5b-8c6d-7e8f9a0b1c2d';
const SECOND_FIX = 'b6c1d2e3-4f5a-4b6c-9d7e-8f9a0b1c2d3e';
const RETRACTION = 'c7d2e3f4-5a6b-4c7d-8e9f-9a0b1c2d3e4f';

describe('eventDetails', () => {
  it('is undefined for no stored events (an unknown id)', () => {
    expect(eventDetails([])).toBeUndefined();
  });

  it('folds the corrections into the item, in order, with its lineage', () => {
    const details = eventDetails([
      talksInDelhi(),
      corrected(FIRST_FIX, TALKS_ID, { place: 'Delhi' }, 2),
      corrected(SECOND_FIX, TALKS_ID, { place: 'New Delhi' }, 3),
    ]);
    expect(details?.event.eventId).toBe(TALKS_ID);
    expect(details?.corrections.map((c) => c.eventId)).toEqual([FIRST_FIX, SECOND_FIX]);
    expect(details?.retraction).toBeNull();
    expect(details?.item).toMatchObject({
      id: TALKS_ID,
      place: 'New Delhi',
      retracted: false,
      lastPosition: 3,
    });
    expect(details?.item?.lineage.map((entry) => entry.kind)).toEqual(['recorded', 'corrected', 'corrected']);
  });

  it('has no item once retracted, and keeps the corrections made before', () => {
    const details = eventDetails([
      talksInDelhi(),
      corrected(FIRST_FIX, TALKS_ID, { place: 'Delhi' }, 2),
      retracted(RETRACTION, TALKS_ID, 3),
    ]);
    expect(details?.corrections.map((c) => c.eventId)).toEqual([FIRST_FIX]);
    expect(details?.retraction?.eventId).toBe(RETRACTION);
    expect(details?.item).toBeNull();
  });

  it('answers a correction as itself: no lineage, no item', () => {
    expect(eventDetails([corrected(FIRST_FIX, TALKS_ID, { place: 'Delhi' }, 2)])).toMatchObject({
      event: { eventId: FIRST_FIX, type: 'EventCorrected' },
      corrections: [],
      retraction: null,
      item: null,
    });
  });

  it('upcasts a stored older version, and its item carries the upcast data', () => {
    const old = stored({
      eventId: TALKS_ID,
      type: 'FundingCallAnnounced',
      data: { title: 'A call', amountGbp: 7_000_000, funders: ['UKRI'], topic: 'telecoms' },
    });
    const details = eventDetails([old]);
    expect(details?.event).toMatchObject({
      schemaVersion: 2,
      data: { amount: { value: 7_000_000, currency: 'GBP' } },
    });
    expect(details?.item?.data).toMatchObject({ amount: { value: 7_000_000, currency: 'GBP' } });
  });
});
