import { describe, expect, it } from 'vitest';
import { EVENT_CATALOG, isEventType, validateEventData } from './catalog/registry.js';
import { canonicalJson } from './canonical.js';
import { type EventEnvelope, MetadataSchema } from './envelope.js';
import { readOwnStoredEnvelope, readStoredEnvelope } from './stored-envelope.js';
import { SEED_EVENTS } from './seed/index.js';
import { ValidationError } from './validation.js';

/** The row the API's append path writes for a seed event: data and metadata as the schemas return them. */
function appended(index: number): EventEnvelope {
  const event = SEED_EVENTS[index]!;
  const data = validateEventData(event.type, event.schemaVersion, event.data);
  if (!data.ok) throw new Error(`seed event ${index} is invalid`);
  return {
    eventId: event.eventId,
    streamId: event.streamId,
    streamVersion: 1,
    position: index + 1,
    type: event.type,
    schemaVersion: event.schemaVersion,
    occurredAt: event.occurredAt,
    recordedAt: '2024-08-01T09:00:00.000Z',
    data: data.value,
    metadata: MetadataSchema.parse(event.metadata),
  };
}

const fundingCallV1: EventEnvelope = {
  ...appended(0),
  type: 'FundingCallAnnounced',
  schemaVersion: 1,
  data: { title: '£7m funding call', amountGbp: 7_000_000, funders: ['UKRI'], topic: 'Telecoms' },
};

describe('readOwnStoredEnvelope', () => {
  it('reads every row the append path writes to the same canonical bytes as full validation', () => {
    expect(SEED_EVENTS.length).toBeGreaterThan(10);
    for (let i = 0; i < SEED_EVENTS.length; i += 1) {
      const row = appended(i);
      expect(canonicalJson(readOwnStoredEnvelope(row))).toBe(canonicalJson(readStoredEnvelope(row)));
    }
  });

  it('skips validation only for a known type at its current version', () => {
    const row = appended(0);
    expect(isEventType(row.type) && EVENT_CATALOG[row.type].current).toBe(row.schemaVersion);
    expect(readOwnStoredEnvelope(row)).toBe(row);
  });

  it('upcasts an old version exactly as the full path does', () => {
    const read = readOwnStoredEnvelope(fundingCallV1);
    expect(read.schemaVersion).toBe(2);
    expect(read.data).toMatchObject({ amount: { value: 7_000_000, currency: 'GBP' } });
    expect(canonicalJson(read)).toBe(canonicalJson(readStoredEnvelope(fundingCallV1)));
  });

  it('validates anything else: unknown types and versions, invalid old rows, odd metadata', () => {
    expect(() => readOwnStoredEnvelope({ ...appended(0), type: 'SomethingNew' })).toThrow(ValidationError);
    expect(() => readOwnStoredEnvelope({ ...appended(0), schemaVersion: 99 })).toThrow(ValidationError);
    expect(() => readOwnStoredEnvelope({ ...fundingCallV1, data: { title: '' } })).toThrow(ValidationError);
    // Metadata without `sources` (not written by the append path) gets the schema's default, as before.
    const { sources: _sources, ...bare } = appended(0).metadata;
    const noSources = { ...appended(0), metadata: bare } as unknown as EventEnvelope;
    expect(readOwnStoredEnvelope(noSources).metadata.sources).toEqual([]);
  });
});

describe('stored events written before source URLs were limited to http(s)', () => {
  it('still read, as they are, on every path (own rows, full validation of an older version)', () => {
    const legacy: EventEnvelope = {
      ...fundingCallV1,
      metadata: {
        sources: [{ publisher: 'Old', title: 'Old', quote: 'Old', url: 'javascript:alert(1)' }],
      },
    };
    expect(readStoredEnvelope(legacy).metadata.sources[0]?.url).toBe('javascript:alert(1)');
    expect(readOwnStoredEnvelope(legacy).metadata.sources[0]?.url).toBe('javascript:alert(1)');
    const current = { ...appended(0), metadata: legacy.metadata };
    expect(readStoredEnvelope(current).metadata.sources[0]?.url).toBe('javascript:alert(1)');
  });
});
