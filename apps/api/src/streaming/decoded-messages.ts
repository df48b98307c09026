import {
  decodeKafkaMessage,
  type DomainEventEnvelope,
  KAFKA_HEADERS,
  type KafkaRecordLike,
} from '@timeline/shared-types';

/** Decodes one message of the events topic (UTF-8, JSON, envelope and data schemas, upcast). */
export type EventDecoder = (
  partition: number,
  offset: string,
  message: KafkaRecordLike,
) => DomainEventEnvelope;

interface Entry {
  value: Buffer;
  position: string | undefined;
  event: DomainEventEnvelope;
}

/**
 * One decode per message per process. The projector and the live feed consume the same messages of
 * the events topic in one process when it runs both; each used to parse and validate every message
 * itself (JSON, the envelope schema, the event's data schema: the largest part of consuming it). The
 * first to decode a message leaves the result here; the other takes it and it is dropped.
 *
 * Safe because decoding is a function of the value bytes and the position header only: a cached
 * result is used only when the message at that partition and offset has exactly those bytes and that
 * header (a byte comparison, far cheaper than the parse). Failures are not kept (each reader decodes
 * them and handles them its way). Where the projector and the feed run in different processes each
 * decodes its own and nothing is shared; the memory stays bounded by `capacity` either way.
 * The envelopes are shared between the two readers: neither may change one.
 */
export class DecodedMessages {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly capacity = 4_096) {}

  readonly decode: EventDecoder = (partition, offset, message) => {
    const key = `${partition}:${offset}`;
    const value = message.value;
    const position = positionHeader(message);
    const cached = this.entries.get(key);
    if (cached) {
      this.entries.delete(key);
      if (
        value !== null &&
        typeof value !== 'string' &&
        cached.position === position &&
        cached.value.equals(value)
      ) {
        return cached.event;
      }
    }
    const event = decodeKafkaMessage(message);
    if (value !== null && typeof value !== 'string') {
      // A copy: the consumer's value is a view of its whole fetch response, which must not be kept alive.
      this.entries.set(key, { value: Buffer.from(value), position, event });
      if (this.entries.size > this.capacity) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
    }
    return event;
  };
}

/** Decodes without sharing (a reader on its own, as in tests). */
export const decodeEach: EventDecoder = (_partition, _offset, message) => decodeKafkaMessage(message);

function positionHeader(message: KafkaRecordLike): string | undefined {
  const header = message.headers?.[KAFKA_HEADERS.position];
  const first = Array.isArray(header) ? header[0] : header;
  if (first === undefined) return undefined;
  return typeof first === 'string' ? first : Buffer.from(first).toString('latin1');
}
