import { describe, expect, it } from 'vitest';
import {
  decodeKafkaMessage,
  encodeKafkaMessage,
  KAFKA_CONTRACT_VERSION,
  KAFKA_HEADERS,
  KafkaDecodeError,
  type KafkaRecordLike,
  topicNames,
  upcastEnvelope,
} from '../src/index.js';
import { SEED_EVENTS } from '../src/seed/index.js';
import { stored } from './support/events.js';

const envelopes = stored(SEED_EVENTS);
const fundingCall = envelopes.find((e) => e.type === 'FundingCallAnnounced')!;
const utf8 = (text: string) => new TextEncoder().encode(text);

/** What kafkajs hands a consumer: Buffers for the value and every header. */
function asReceived(message: ReturnType<typeof encodeKafkaMessage>): KafkaRecordLike {
  return {
    key: utf8(message.key),
    value: utf8(message.value),
    headers: Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, utf8(v)])),
  };
}

function decodeError(message: KafkaRecordLike): KafkaDecodeError {
  try {
    decodeKafkaMessage(message);
  } catch (error) {
    if (error instanceof KafkaDecodeError) return error;
    throw new Error(`expected a KafkaDecodeError, got ${String(error)}`);
  }
  throw new Error('expected the message to be rejected');
}

describe('Kafka contract: encode', () => {
  it('keys by stream and names the event in headers', () => {
    const message = encodeKafkaMessage(fundingCall);
    expect(message.key).toBe(fundingCall.streamId);
    expect(message.headers).toEqual({
      [KAFKA_HEADERS.type]: 'FundingCallAnnounced',
      [KAFKA_HEADERS.schemaVersion]: '2',
      [KAFKA_HEADERS.eventId]: fundingCall.eventId,
      [KAFKA_HEADERS.position]: String(fundingCall.position),
      [KAFKA_HEADERS.streamVersion]: '1',
      [KAFKA_HEADERS.contractVersion]: String(KAFKA_CONTRACT_VERSION),
      [KAFKA_HEADERS.contentType]: 'application/json',
      ce_specversion: '1.0',
      ce_id: fundingCall.eventId,
      ce_source: `/timeline/streams/${fundingCall.streamId}`,
      ce_type: 'timeline.FundingCallAnnounced.v2',
      ce_time: fundingCall.recordedAt,
      ce_subject: fundingCall.streamId,
    });
  });

  it('keeps the value the whole stored envelope (the CloudEvent’s data)', () => {
    expect(JSON.parse(encodeKafkaMessage(fundingCall).value)).toEqual(fundingCall);
  });

  it('names topics with an optional prefix', () => {
    expect(topicNames()).toEqual({ events: 'timeline.events', deadLetters: 'timeline.events.dlq' });
    expect(topicNames('test-1.')).toEqual({
      events: 'test-1.timeline.events',
      deadLetters: 'test-1.timeline.events.dlq',
    });
  });
});

describe('Kafka contract: decode', () => {
  it.each(envelopes.map((e) => [`${e.type} at ${e.position}`, e] as const))(
    'round-trips %s',
    (_, envelope) => {
      expect(decodeKafkaMessage(asReceived(encodeKafkaMessage(envelope)))).toEqual(upcastEnvelope(envelope));
    },
  );

  it('accepts string values as well as bytes', () => {
    expect(decodeKafkaMessage(encodeKafkaMessage(fundingCall))).toEqual(upcastEnvelope(fundingCall));
  });

  it('upcasts an old schema version on the way in', () => {
    const v1 = {
      ...fundingCall,
      schemaVersion: 1,
      data: { title: 'Call', amountGbp: 7_000_000, funders: ['UKRI'], topic: 'telecoms' },
    };
    const decoded = decodeKafkaMessage(asReceived(encodeKafkaMessage(v1)));
    expect(decoded.schemaVersion).toBe(2);
    expect(decoded.data).toMatchObject({ amount: { value: 7_000_000, currency: 'GBP' } });
  });

  it('rejects a value that is not JSON', () => {
    expect(decodeError({ value: 'not json {' }).message).toMatch(/not UTF-8 JSON/);
  });

  it('rejects bytes that are not UTF-8', () => {
    expect(decodeError({ value: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) }).message).toMatch(
      /not UTF-8 JSON/,
    );
  });

  it('rejects a tombstone', () => {
    expect(decodeError({ value: null }).message).toMatch(/tombstone/);
  });

  it('rejects JSON that is not an envelope, with the failing paths', () => {
    const { position: _position, ...withoutPosition } = fundingCall;
    const error = decodeError({ value: JSON.stringify(withoutPosition) });
    expect(error.issues.map((i) => i.path)).toEqual(['position']);
    expect(decodeError({ value: '[1,2,3]' }).message).toMatch(/not an event envelope/);
  });

  it('rejects an envelope whose data does not fit its type', () => {
    const { title: _title, ...data } = fundingCall.data;
    const error = decodeError(asReceived(encodeKafkaMessage({ ...fundingCall, data })));
    expect(error.issues.map((i) => i.path)).toEqual(['data.title']);
  });

  it('rejects a position header that disagrees with the body', () => {
    const message = asReceived(encodeKafkaMessage(fundingCall));
    message.headers![KAFKA_HEADERS.position] = utf8(String(fundingCall.position + 1));
    expect(decodeError(message).message).toMatch(/position header/);
  });

  it('rejects a position header that is not UTF-8', () => {
    const message = asReceived(encodeKafkaMessage(fundingCall));
    message.headers![KAFKA_HEADERS.position] = new Uint8Array([0xff]);
    expect(decodeError(message).message).toMatch(/position header/);
  });
});
