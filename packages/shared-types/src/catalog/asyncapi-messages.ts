import type { z } from 'zod';
import {
  CLOUDEVENTS_HEADER_DESCRIPTIONS,
  CLOUDEVENTS_HEADERS,
  CLOUDEVENTS_SPEC_VERSION,
  cloudEventSource,
  cloudEventType,
} from '../cloudevents.js';
import {
  EVENT_TYPE_PATTERN,
  EventEnvelopeSchema,
  MetadataSchema,
  OccurredAtSchema,
  STREAM_ID_PATTERN,
} from '../envelope.js';
import { type JsonSchema, jsonSchemaOf } from '../json-schema.js';
import { KAFKA_CONTRACT_VERSION, KAFKA_HEADER_DESCRIPTIONS, KAFKA_HEADERS } from '../topics.js';
import { EVENT_CATALOG, EVENT_TYPES } from './registry.js';

/** The AsyncAPI messages of the Kafka contract: one per event type and schema version, and the dead letter. */

export const DEAD_LETTER_MESSAGE = 'deadLetter';

/** Shared by every message's payload, so the envelope's parts are written once. */
export function sharedSchemas(): Record<string, JsonSchema> {
  return {
    OccurredAt: jsonSchemaOf(OccurredAtSchema, 'output'),
    Metadata: jsonSchemaOf(MetadataSchema, 'output'),
  };
}

const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const streamIdBody = STREAM_ID_PATTERN.source.replace(/^\^/, '').replace(/\$$/, '');
const STREAM_ID_KEY = {
  type: 'string',
  pattern: STREAM_ID_PATTERN.source,
  description: 'The stream id: one stream stays in one partition, in stream order.',
};
const KAFKA_BINDINGS = { kafka: { key: STREAM_ID_KEY, bindingVersion: '0.5.0' } };

const CLOUDEVENTS_TYPE_PATTERN = '^timeline\\.[A-Z][A-Za-z0-9]*\\.v[1-9][0-9]*$';
const decimal = { type: 'string', pattern: '^[1-9][0-9]*$' };
const text = (description: string, schema: JsonSchema = {}) => ({ type: 'string', ...schema, description });
const kafkaHeader = (key: keyof typeof KAFKA_HEADERS, schema: JsonSchema = {}) => ({
  [KAFKA_HEADERS[key]]: text(KAFKA_HEADER_DESCRIPTIONS[key], schema),
});
const cloudEventsHeader = (key: keyof typeof CLOUDEVENTS_HEADERS, schema: JsonSchema = {}) => ({
  [CLOUDEVENTS_HEADERS[key]]: text(CLOUDEVENTS_HEADER_DESCRIPTIONS[key], schema),
});

/** The headers the relay writes on every message, narrowed to one event type and version where it can. */
function eventHeaderProperties(type?: string, schemaVersion?: number): Record<string, JsonSchema> {
  const ceType = type && schemaVersion ? cloudEventType(type, schemaVersion) : undefined;
  return {
    ...kafkaHeader('type', type ? { const: type } : { pattern: EVENT_TYPE_PATTERN.source }),
    ...kafkaHeader('schemaVersion', schemaVersion ? { const: String(schemaVersion) } : decimal),
    ...kafkaHeader('eventId', { format: 'uuid' }),
    ...kafkaHeader('position', decimal),
    ...kafkaHeader('streamVersion', decimal),
    ...kafkaHeader('contractVersion', { const: String(KAFKA_CONTRACT_VERSION) }),
    ...kafkaHeader('contentType', { const: 'application/json' }),
    ...cloudEventsHeader('specVersion', { const: CLOUDEVENTS_SPEC_VERSION }),
    ...cloudEventsHeader('id', { format: 'uuid' }),
    ...cloudEventsHeader('source', { pattern: `^${cloudEventSource(streamIdBody)}$` }),
    ...cloudEventsHeader('type', ceType ? { const: ceType } : { pattern: CLOUDEVENTS_TYPE_PATTERN }),
    ...cloudEventsHeader('time', { format: 'date-time' }),
    ...cloudEventsHeader('subject', { pattern: STREAM_ID_PATTERN.source }),
  };
}

const HEADERS_NOTE =
  'Kafka header values are bytes: each is UTF-8 text. The `ce_*` headers are the CloudEvents binary-mode attributes.';

/**
 * The stored envelope with `type` and `schemaVersion` fixed and `data` the version's own schema,
 * as the store keeps it (`output`): the append path stores what the schema returned, so fields with
 * a default are always present (`decodeKafkaMessage` is more lenient and fills them in).
 */
function envelopePayload(type: string, schemaVersion: number, data: z.ZodType): JsonSchema {
  const envelope = jsonSchemaOf(EventEnvelopeSchema, 'output') as { properties: Record<string, JsonSchema> };
  return {
    ...envelope,
    properties: {
      ...envelope.properties,
      type: { type: 'string', const: type },
      schemaVersion: { type: 'integer', const: schemaVersion },
      occurredAt: schemaRef('OccurredAt'),
      data: {
        ...jsonSchemaOf(data, 'output'),
        description: `The ${type} event at schema version ${schemaVersion}.`,
      },
      metadata: schemaRef('Metadata'),
    },
  };
}

/** Keyed by the CloudEvents type (`timeline.<Type>.v<N>`), so a consumer finds the schema from `ce_type`. */
export function eventMessages(): Record<string, JsonSchema> {
  const messages: Record<string, JsonSchema> = {};
  for (const type of EVENT_TYPES) {
    const entry = EVENT_CATALOG[type];
    const versions = entry.versions as Record<number, z.ZodType>;
    for (const version of Object.keys(versions).map(Number)) {
      const properties = eventHeaderProperties(type, version);
      messages[cloudEventType(type, version)] = {
        name: type,
        title: `${type} v${version}`,
        summary: entry.description,
        description:
          version === entry.current
            ? `The current schema version of ${type}.`
            : `An older schema version of ${type}: events stored with it stay on the topic as written; \`decodeKafkaMessage\` upcasts them to v${entry.current}.`,
        contentType: 'application/json',
        headers: {
          type: 'object',
          description: HEADERS_NOTE,
          properties,
          required: Object.keys(properties),
        },
        payload: envelopePayload(type, version, versions[version]!),
        bindings: KAFKA_BINDINGS,
      };
    }
  }
  return messages;
}

export function deadLetterMessage(): JsonSchema {
  const dlq = {
    ...kafkaHeader('dlqReason'),
    ...kafkaHeader('dlqSourceTopic'),
    ...kafkaHeader('dlqSourcePartition', { pattern: '^[0-9]+$' }),
    ...kafkaHeader('dlqSourceOffset', { pattern: '^[0-9]+$' }),
  };
  return {
    name: 'DeadLetter',
    title: 'Dead letter',
    summary: 'A message of the events topic that the projector could not decode or validate.',
    description:
      'The original key, value and headers, byte for byte (so a dead letter of a well-formed message still carries its `ce_*` headers), ' +
      'plus `dlq-reason` and where it came from. The original headers are listed as optional: a poison message may lack any of them.',
    headers: {
      type: 'object',
      description: HEADERS_NOTE,
      properties: { ...eventHeaderProperties(), ...dlq },
      required: Object.keys(dlq),
    },
    contentType: 'application/octet-stream',
    payload: { type: 'string', description: 'The original value as it was received; it may be anything.' },
    bindings: {
      kafka: { key: { type: 'string', description: 'The original key.' }, bindingVersion: '0.5.0' },
    },
  };
}
