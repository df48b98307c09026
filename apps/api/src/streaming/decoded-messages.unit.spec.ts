import { encodeKafkaMessage, KafkaDecodeError } from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { talksInDelhi } from '../../test/support/given-events.js';
import { DecodedMessages } from './decoded-messages.js';

/** The message the relay would publish for the event, as kafkajs hands it to a consumer (bytes). */
function asConsumed(position: number, title = 'Talks in Delhi') {
  const event = talksInDelhi({ position });
  const encoded = encodeKafkaMessage({ ...event, data: { ...event.data, title } });
  const headers = Object.fromEntries(Object.entries(encoded.headers).map(([k, v]) => [k, Buffer.from(v)]));
  return { key: Buffer.from(encoded.key), value: Buffer.from(encoded.value), headers };
}

describe('DecodedMessages', () => {
  it('given the projector decoded a message, when the feed reads the same bytes, then it gets the same envelope', () => {
    const { decode } = new DecodedMessages();
    const first = decode(0, '7', asConsumed(3));
    const second = decode(0, '7', asConsumed(3));
    expect(second).toBe(first);
    expect(first.position).toBe(3);
    // Taken once: a third reader (a redelivery) decodes again.
    expect(decode(0, '7', asConsumed(3))).not.toBe(first);
  });

  it('given other bytes at the same partition and offset, then it decodes them instead of reusing', () => {
    const { decode } = new DecodedMessages();
    decode(1, '0', asConsumed(5, 'One title'));
    const other = decode(1, '0', asConsumed(5, 'Another title'));
    expect((other.data as { title: string }).title).toBe('Another title');
  });

  it('given a message that fails to decode, then each reader gets the error', () => {
    const { decode } = new DecodedMessages();
    const broken = { ...asConsumed(2), value: Buffer.from('{not json') };
    expect(() => decode(0, '1', broken)).toThrow(KafkaDecodeError);
    expect(() => decode(0, '1', broken)).toThrow(KafkaDecodeError);
  });

  it('keeps at most its capacity, dropping the oldest', () => {
    const { decode } = new DecodedMessages(2);
    const oldest = decode(0, '1', asConsumed(1));
    decode(0, '2', asConsumed(2));
    const newest = decode(0, '3', asConsumed(3));
    expect(decode(0, '3', asConsumed(3))).toBe(newest);
    expect(decode(0, '1', asConsumed(1))).not.toBe(oldest);
  });
});
