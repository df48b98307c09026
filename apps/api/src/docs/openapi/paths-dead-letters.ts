import { DeadLetterListQuerySchema } from '../../dead-letters/dead-letters.http.controller.js';
import { type JsonSchema, json, ref } from './json-schema.js';
import { queryParams } from './parameters.js';
import { error, WRITE } from './responses.js';

const nullable = (type: string, description: string) => ({ type: [type, 'null'], description });

/** The dead-letter entries, in `#/components/schemas`. */
export function deadLetterSchemas(): Record<string, JsonSchema> {
  const entry = {
    id: {
      type: 'string',
      pattern: '^\\d+:\\d+$',
      description: '`<partition>:<offset>` on the dead-letter topic',
    },
    partition: { type: 'integer', minimum: 0 },
    offset: { type: 'string', pattern: '^\\d+$', description: 'Kafka offset (a string: it may exceed 2^53)' },
    reason: { type: 'string', description: 'Why the projector gave up on it' },
    position: nullable('integer', 'The log position, when the message names one'),
    eventId: nullable('string', 'The event id, when the message names one'),
    type: nullable('string', 'The event type, when the message names one'),
    streamId: nullable('string', 'The message key (the stream id)'),
    failedAt: { type: 'string', format: 'date-time', description: 'When it was dead-lettered' },
    redriven: { type: 'boolean', description: 'Folded into the read model since, by a redrive' },
  };
  const required = Object.keys(entry);
  return {
    DeadLetter: { type: 'object', additionalProperties: false, required, properties: entry },
    DeadLetterDetail: {
      type: 'object',
      additionalProperties: false,
      required: [...required, 'headers', 'value'],
      properties: {
        ...entry,
        headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Kafka headers' },
        value: { type: 'string', description: 'The raw message value as UTF-8' },
      },
    },
  };
}

const idParam = {
  name: 'id',
  in: 'path',
  required: true,
  description: '`<partition>:<offset>` of the message on the dead-letter topic',
  schema: { type: 'string', pattern: '^\\d{1,9}:\\d{1,19}$' },
};
const adminErrors = {
  '401': error('No valid write token (`Authorization: Bearer <token>`): dead letters are administration'),
  '429': error('Too many requests from this client; `Retry-After` says when to retry'),
  '503': error('The dead-letter topic cannot be read (Kafka unreachable)'),
};

/** The projector's dead letters (docs/operations.md, "Dead letters"). */
export function deadLetterPaths() {
  return {
    '/api/admin/dlq': {
      get: {
        operationId: 'listDeadLetters',
        ...WRITE,
        summary: "The projector's dead letters, oldest first",
        description:
          'Reads the dead-letter topic from its start to its end offsets at request time. Needs a write token (an admin token once TIMELINE_ADMIN_TOKENS exists).',
        parameters: queryParams(DeadLetterListQuerySchema, {
          limit: 'At most this many (1 to 10000, default 100)',
        }),
        responses: {
          '200': {
            description: 'The dead letters',
            content: json({
              type: 'object',
              additionalProperties: false,
              required: ['messages'],
              properties: { messages: { type: 'array', items: ref('DeadLetter') } },
            }),
          },
          '400': error('Invalid `limit`, named in `issues`'),
          ...adminErrors,
        },
      },
    },
    '/api/admin/dlq/{id}': {
      get: {
        operationId: 'getDeadLetter',
        ...WRITE,
        summary: 'One dead letter with its headers and raw value',
        parameters: [idParam],
        responses: {
          '200': { description: 'The dead letter', content: json(ref('DeadLetterDetail')) },
          '400': error('`id` is not `<partition>:<offset>`'),
          '404': error('No such message on the dead-letter topic'),
          ...adminErrors,
        },
      },
    },
    '/api/admin/dlq/{id}/redrive': {
      post: {
        operationId: 'redriveDeadLetter',
        ...WRITE,
        summary: 'Project the dead letter’s event again, from the event store',
        description:
          'Reads the event at the dead letter’s position from the store (the source of truth) and folds it into the read model in one ' +
          'transaction; the dead-letter mark is stamped redriven. No request body.',
        parameters: [idParam],
        responses: {
          '202': {
            description: 'Folded into the read model',
            content: json({
              type: 'object',
              additionalProperties: false,
              required: ['id', 'position'],
              properties: { id: { type: 'string' }, position: { type: 'integer', minimum: 1 } },
            }),
          },
          '400': error('`id` is not `<partition>:<offset>`'),
          '404': error('No such message on the dead-letter topic'),
          '409': error(
            'It cannot be redriven: no position, not in the store, already redriven or projected, or it still fails (the message says why)',
          ),
          ...adminErrors,
        },
      },
    },
  };
}
