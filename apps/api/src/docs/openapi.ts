import {
  AppendRequestSchema,
  CorrectionRequestSchema,
  EVENT_CATALOG,
  EventEnvelopeSchema,
  EVENT_TYPES,
  RetractionRequestSchema,
} from '@timeline/shared-types';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

/** JSON Schema of what a client sends (`io: 'input'`: defaults are optional), without the draft marker OpenAPI does not want. */
function requestSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

function outputSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io: 'output',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const error = (description: string) => ({ description, content: json(ref('ErrorResponse')) });

const streamIdParam = {
  name: 'streamId',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$' },
};
const eventIdParam = {
  name: 'eventId',
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
};
const queryParam = (name: string, description: string, schema: JsonSchema = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});

const writeErrors = {
  '400': error(
    'Invalid request: `issues` lists each failing field by path (e.g. `events.0.occurredAt.start`)',
  ),
  '401': error('No valid write token (`Authorization: Bearer <token>`)'),
  '413': error('Body larger than TIMELINE_BODY_LIMIT (default 1mb)'),
  '415': error('Body is not JSON'),
  '429': error('Too many writes from this client; `Retry-After` says when to retry'),
};
const readErrors = {
  '400': error('Invalid path or query parameter, named in `issues`'),
  '401': error('Reads are closed (TIMELINE_READ_TOKENS) and no valid token was sent'),
};

/** The OpenAPI 3.1 document, assembled from the shared zod schemas so it cannot drift from validation. */
export function buildOpenApiDocument(): JsonSchema {
  const eventDataSchemas: Record<string, JsonSchema> = {};
  for (const type of EVENT_TYPES) {
    const { versions, current, description } = EVENT_CATALOG[type];
    for (const [version, schema] of Object.entries(versions as Record<string, z.ZodType>)) {
      eventDataSchemas[`${type}.v${version}`] = {
        ...requestSchema(schema),
        description: `${description}${Number(version) === current ? ' (current version)' : ' (older version; upcast on read)'}`,
      };
    }
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Timeline API',
      version: '1',
      description:
        'An event-sourced timeline. Writes append typed domain events; corrections and retractions are events too. See docs/api.md.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        AppendRequest: requestSchema(AppendRequestSchema),
        CorrectionRequest: requestSchema(CorrectionRequestSchema),
        RetractionRequest: requestSchema(RetractionRequestSchema),
        EventEnvelope: outputSchema(EventEnvelopeSchema),
        AppendResponse: {
          type: 'object',
          required: ['streamId', 'streamVersion', 'events', 'duplicate'],
          properties: {
            streamId: { type: 'string' },
            streamVersion: { type: 'integer', description: "The stream's version after the append" },
            events: {
              type: 'array',
              items: {
                type: 'object',
                required: ['eventId', 'streamVersion', 'position'],
                properties: {
                  eventId: { type: 'string', format: 'uuid' },
                  streamVersion: { type: 'integer' },
                  position: { type: 'integer' },
                },
              },
            },
            duplicate: {
              type: 'boolean',
              description: 'Every event was already stored with the same content: an idempotent retry',
            },
          },
        },
        StreamResponse: {
          type: 'object',
          required: ['streamId', 'version', 'events'],
          properties: {
            streamId: { type: 'string' },
            version: { type: 'integer' },
            events: { type: 'array', items: ref('EventEnvelope') },
          },
        },
        LogPage: {
          type: 'object',
          required: ['events', 'nextAfter', 'head'],
          properties: {
            events: { type: 'array', items: ref('EventEnvelope') },
            nextAfter: { type: 'integer', description: 'Pass as `after` to read on' },
            head: { type: 'integer', description: "The store's head position when the page was read" },
          },
        },
        ErrorResponse: {
          type: 'object',
          required: ['statusCode', 'error', 'message'],
          properties: {
            statusCode: { type: 'integer' },
            error: { type: 'string' },
            message: { type: 'string' },
            issues: {
              type: 'array',
              items: {
                type: 'object',
                required: ['path', 'message'],
                properties: { path: { type: 'string' }, message: { type: 'string' } },
              },
            },
            expected: {
              oneOf: [{ type: 'integer' }, { type: 'string' }],
              description: 'On a version conflict',
            },
            actual: { type: 'integer', description: 'On a version conflict' },
          },
        },
        ...Object.fromEntries(
          Object.entries(eventDataSchemas).map(([name, schema]) => [`EventData.${name}`, schema]),
        ),
      },
    },
    paths: {
      '/api/streams/{streamId}/events': {
        post: {
          summary: 'Append events to a stream',
          description:
            'Each event is validated against its type (`EventData.<Type>.v<N>` below); `schemaVersion` defaults to the current one; ' +
            'the server picks `eventId` when it is absent. Resending the same eventIds with the same content returns the first result.',
          security: [{ bearer: [] }],
          parameters: [streamIdParam],
          requestBody: { required: true, content: json(ref('AppendRequest')) },
          responses: {
            '201': {
              description: 'Appended (or an idempotent retry: `duplicate: true`)',
              content: json(ref('AppendResponse')),
            },
            ...writeErrors,
            '409': error(
              'Version conflict (`expected`, `actual`), or an eventId already used with other content',
            ),
          },
        },
      },
      '/api/streams/{streamId}': {
        get: {
          summary: "Read a stream's events",
          parameters: [
            streamIdParam,
            queryParam('fromVersion', 'First stream version to return (default 1)', {
              type: 'integer',
              minimum: 1,
            }),
            queryParam('limit', 'At most this many events (default 1000, max 10000)', {
              type: 'integer',
              minimum: 1,
              maximum: 10_000,
            }),
          ],
          responses: {
            '200': {
              description: 'The stream (version 0 and no events if it does not exist)',
              content: json(ref('StreamResponse')),
            },
            ...readErrors,
          },
        },
      },
      '/api/events': {
        get: {
          summary: 'Read the log in position order',
          description:
            'JSON page by default; with `Accept: application/x-ndjson` the whole selection is streamed, one envelope per line.',
          parameters: [
            queryParam('after', 'Exclusive lower bound on position (default 0)', {
              type: 'integer',
              minimum: 0,
            }),
            queryParam('limit', 'Page size (default 1000, max 10000); for NDJSON, no limit unless given', {
              type: 'integer',
              minimum: 1,
              maximum: 10_000,
            }),
            queryParam('types', 'Comma-separated event types'),
            queryParam('streams', 'Comma-separated stream ids'),
            queryParam('asOf', 'Knowledge time: only events recorded at or before this ISO date or datetime'),
          ],
          responses: {
            '200': {
              description: 'A page, or NDJSON',
              content: { ...json(ref('LogPage')), 'application/x-ndjson': { schema: ref('EventEnvelope') } },
            },
            ...readErrors,
          },
        },
      },
      '/api/events/{eventId}/corrections': {
        post: {
          summary: 'Correct an event',
          description:
            'Appends an EventCorrected (a JSON merge patch for the data and/or a corrected occurredAt, with a reason) to the target’s stream.',
          security: [{ bearer: [] }],
          parameters: [eventIdParam],
          requestBody: { required: true, content: json(ref('CorrectionRequest')) },
          responses: {
            '201': { description: 'The correction was recorded', content: json(ref('AppendResponse')) },
            ...writeErrors,
            '409': error('Unknown event, not a fact, or already retracted'),
          },
        },
      },
      '/api/events/{eventId}/retraction': {
        post: {
          summary: 'Retract an event',
          security: [{ bearer: [] }],
          parameters: [eventIdParam],
          requestBody: { required: true, content: json(ref('RetractionRequest')) },
          responses: {
            '201': { description: 'The retraction was recorded', content: json(ref('AppendResponse')) },
            ...writeErrors,
            '409': error('Unknown event, not a fact, or already retracted'),
          },
        },
      },
      '/api/health/live': {
        get: { summary: 'The process is up', responses: { '200': { description: 'Up' } } },
      },
      '/api/health/ready': {
        get: {
          summary: 'Every dependency (store, and Kafka where configured) answers',
          responses: {
            '200': { description: 'Ready' },
            '503': { description: 'Not ready; the failing checks are named' },
          },
        },
      },
    },
  };
}
