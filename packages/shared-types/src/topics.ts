import { z } from 'zod';
import { upcastEnvelope } from './catalog/upcasters.js';
import type { DomainEventEnvelope } from './catalog/registry.js';
import { cloudEventHeaders } from './cloudevents.js';
import { EventEnvelopeSchema } from './envelope.js';
import { ValidationError } from './validation.js';

/**
 * The Kafka contract (integration events), versioned apart from the domain catalog.
 * Consumers outside the project need only this and `decodeKafkaMessage`.
 *
 * - topic `${prefix}timeline.events`: value = the JSON envelope (UTF-8), key = streamId, so one
 *   stream stays in one partition and in order; total order across partitions is restored from the
 *   gapless `position` header.
 * - topic `${prefix}timeline.events.dlq`: messages the projector could not decode or validate,
 *   the original value and headers plus `dlq-reason`, `dlq-source-topic`, `dlq-source-partition`, `dlq-source-offset`.
 * - every message also carries the CloudEvents binary-mode headers (`ce_*`, see cloudevents.ts).
 *
 * Machine-readable: `buildAsyncApiDocument` (docs/asyncapi.json, `GET /api/docs/asyncapi.json`).
 */
export const KAFKA_CONTRACT_VERSION = 1;

export const TOPIC_BASE_NAMES = { events: 'timeline.events', deadLetters: 'timeline.events.dlq' } as const;

export function topicNames(prefix = ''): { events: string; deadLetters: string } {
  return {
    events: `${prefix}${TOPIC_BASE_NAMES.events}`,
    deadLetters: `${prefix}${TOPIC_BASE_NAMES.deadLetters}`,
  };
}

export const KAFKA_HEADERS = {
  type: 'type',
  schemaVersion: 'schema-version',
  eventId: 'event-id',
  position: 'position',
  streamVersion: 'stream-version',
  contractVersion: 'contract-version',
  contentType: 'content-type',
  dlqReason: 'dlq-reason',
  dlqSourceTopic: 'dlq-source-topic',
  dlqSourcePartition: 'dlq-source-partition',
  dlqSourceOffset: 'dlq-source-offset',
} as const;

export const KAFKA_HEADER_DESCRIPTIONS: Record<keyof typeof KAFKA_HEADERS, string> = {
  type: 'The event type, e.g. `InitiativeLaunched`.',
  schemaVersion: 'The schema version the value was stored with (consumers upcast).',
  eventId: 'The event’s UUID.',
  position: 'The global log position; must equal the body’s `position`.',
  streamVersion: 'The version within the stream.',
  contractVersion: 'The Kafka contract version.',
  contentType: '`application/json`; also the CloudEvents `datacontenttype`.',
  dlqReason: 'Dead letters only: why the message was rejected.',
  dlqSourceTopic: 'Dead letters only: the topic it came from.',
  dlqSourcePartition: 'Dead letters only: the partition it came from.',
  dlqSourceOffset: 'Dead letters only: its offset there.',
};

export type KafkaHeaderValue = string | Uint8Array | Array<string | Uint8Array> | undefined;

export interface KafkaRecordLike {
  key?: Uint8Array | string | null;
  value: Uint8Array | string | null;
  headers?: Record<string, KafkaHeaderValue>;
}

export interface EncodedKafkaMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
}

export function encodeKafkaMessage(envelope: z.infer<typeof EventEnvelopeSchema>): EncodedKafkaMessage {
  return {
    key: envelope.streamId,
    value: JSON.stringify(envelope),
    headers: {
      [KAFKA_HEADERS.type]: envelope.type,
      [KAFKA_HEADERS.schemaVersion]: String(envelope.schemaVersion),
      [KAFKA_HEADERS.eventId]: envelope.eventId,
      [KAFKA_HEADERS.position]: String(envelope.position),
      [KAFKA_HEADERS.streamVersion]: String(envelope.streamVersion),
      [KAFKA_HEADERS.contractVersion]: String(KAFKA_CONTRACT_VERSION),
      [KAFKA_HEADERS.contentType]: 'application/json',
      ...cloudEventHeaders(envelope),
    },
  };
}

const textDecoder = new TextDecoder('utf-8', { fatal: true });

export function headerText(value: KafkaHeaderValue): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return typeof first === 'string' ? first : textDecoder.decode(first);
}

export class KafkaDecodeError extends Error {
  constructor(
    message: string,
    readonly issues: ValidationError['issues'] = [],
  ) {
    super(message);
    this.name = 'KafkaDecodeError';
  }
}

/**
 * Decodes and validates one message of `timeline.events`: UTF-8, JSON, envelope schema, the event's
 * own schema, then upcast to the current catalog version; headers must agree with the body.
 */
export function decodeKafkaMessage(message: KafkaRecordLike): DomainEventEnvelope {
  if (message.value === null) throw new KafkaDecodeError('message has no value (tombstone)');
  let json: unknown;
  try {
    const text = typeof message.value === 'string' ? message.value : textDecoder.decode(message.value);
    json = JSON.parse(text);
  } catch (error) {
    throw new KafkaDecodeError(`value is not UTF-8 JSON: ${(error as Error).message}`);
  }
  const parsed = EventEnvelopeSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new KafkaDecodeError(
      `value is not an event envelope: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
  let position: string | undefined;
  try {
    position = headerText(message.headers?.[KAFKA_HEADERS.position]);
  } catch (error) {
    throw new KafkaDecodeError(`position header is not UTF-8: ${(error as Error).message}`);
  }
  if (position !== undefined && Number(position) !== parsed.data.position) {
    throw new KafkaDecodeError(
      `position header ${position} disagrees with body position ${parsed.data.position}`,
    );
  }
  try {
    return upcastEnvelope(parsed.data);
  } catch (error) {
    if (error instanceof ValidationError) throw new KafkaDecodeError(error.message, error.issues);
    throw error;
  }
}
