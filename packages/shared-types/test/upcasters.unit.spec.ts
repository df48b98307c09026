import { describe, expect, it } from 'vitest';
import {
  type EventEnvelope,
  upcastData,
  upcastEnvelope,
  ValidationError,
  validateEventData,
} from '../src/index.js';
import { SEED_EVENTS } from '../src/seed/index.js';
import { RECORDED_AT, stored } from './support/events.js';

const fundingCallV1: EventEnvelope = {
  eventId: '0d7c8a3e-4f4b-4c55-9a43-6d2f7c1b9e01',
  streamId: 'funding-call-ukri-dst-future-telecoms-2024',
  streamVersion: 1,
  position: 12,
  type: 'FundingCallAnnounced',
  schemaVersion: 1,
  occurredAt: { start: '2024-07-24', precision: 'day', derivation: 'test fixture' },
  recordedAt: RECORDED_AT,
  data: {
    title: '£7m funding call',
    amountGbp: 7_000_000,
    funders: ['UK Research and Innovation', 'Department of Science and Technology'],
    topic: 'Future telecoms research',
  },
  metadata: { sources: [] },
};

describe('FundingCallAnnounced v1 → v2', () => {
  it('given a stored v1 event, when it is read, then it is v2 with a named currency', () => {
    const upcast = upcastEnvelope(fundingCallV1);
    expect(upcast.schemaVersion).toBe(2);
    expect(upcast.data).toEqual({
      title: '£7m funding call',
      actors: [],
      pillars: [],
      amount: { value: 7_000_000, currency: 'GBP' },
      funders: ['UK Research and Innovation', 'Department of Science and Technology'],
      topic: 'Future telecoms research',
    });
    expect(upcast.data).not.toHaveProperty('amountGbp');
    expect(validateEventData('FundingCallAnnounced', 2, upcast.data).ok).toBe(true);
  });

  it('keeps everything but the data and the version', () => {
    const { data: _data, schemaVersion: _v, ...rest } = upcastEnvelope(fundingCallV1);
    const { data: _original, schemaVersion: _v1, ...original } = fundingCallV1;
    expect(rest).toEqual(original);
  });

  it('upcasts the data alone, step by step, without touching the input', () => {
    const data = { title: 't', amountGbp: 5, funders: ['x'], topic: 'y' };
    expect(upcastData('FundingCallAnnounced', 1, data)).toEqual({
      title: 't',
      amount: { value: 5, currency: 'GBP' },
      funders: ['x'],
      topic: 'y',
    });
    expect(data).toHaveProperty('amountGbp', 5);
  });

  it('rejects an invalid v1 with the failing path, before upcasting', () => {
    const invalid = { ...fundingCallV1, data: { ...fundingCallV1.data, amountGbp: '7m' } };
    expect(() => upcastEnvelope(invalid)).toThrow(ValidationError);
    try {
      upcastEnvelope(invalid);
    } catch (error) {
      expect((error as ValidationError).issues.map((i) => i.path)).toEqual(['data.amountGbp']);
    }
  });

  it('rejects a v1 that already carries the v2 field, since v1 does not know it', () => {
    const mixed = {
      ...fundingCallV1,
      data: { ...fundingCallV1.data, amount: { value: 1, currency: 'GBP' } },
    };
    expect(() => upcastEnvelope(mixed)).toThrow(/amount/);
  });
});

describe('upcastEnvelope on current versions', () => {
  it('is a no-op for a current-version event', () => {
    const [current] = stored(SEED_EVENTS.filter((e) => e.type === 'FundingCallAnnounced'));
    const validated = upcastEnvelope(current!);
    expect(upcastEnvelope(validated)).toEqual(validated);
    expect(validated.schemaVersion).toBe(2);
    expect(validated.data).toEqual(current!.data);
  });

  it('rejects an unknown type and an unknown version', () => {
    expect(() => upcastEnvelope({ ...fundingCallV1, type: 'GrantAwarded' })).toThrow(/type/);
    expect(() => upcastEnvelope({ ...fundingCallV1, schemaVersion: 3 })).toThrow(/schemaVersion/);
  });
});
