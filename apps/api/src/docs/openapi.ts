import {
  AppendRequestSchema,
  CorrectionRequestSchema,
  EVENT_CATALOG,
  EXPORT_CSV_COLUMNS,
  EventEnvelopeSchema,
  EVENT_TYPES,
  PILLARS,
  ReplayQuerySchema,
  RetractionRequestSchema,
  StreamQuerySchema,
  TimelineQuerySchema,
} from '@timeline/shared-types';
import { z } from 'zod';
import { ExportQuerySchema, StatsQuerySchema } from '../replay/replay-selection.js';
import { SessionRequestSchema } from '../http/security/session.http.controller.js';
import { RebuildQuerySchema } from '../replay/rebuild.http.controller.js';

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

/**
 * The query parameters of a route, taken from the zod schema its controller validates with (so a
 * parameter cannot be added, renamed or re-typed without the document following), each with the
 * prose only a person can write. A parameter without a description, or a description for a parameter
 * the schema does not have, throws: the unit spec builds the document, so such a change fails there.
 */
export function queryParams(schema: z.ZodType, descriptions: Record<string, string>): JsonSchema[] {
  const { properties = {} } = requestSchema(schema) as { properties?: Record<string, JsonSchema> };
  const names = Object.keys(properties);
  const undocumented = names.filter((name) => !(name in descriptions));
  const stale = Object.keys(descriptions).filter((name) => !names.includes(name));
  if (undocumented.length > 0 || stale.length > 0) {
    throw new Error(
      `OpenAPI query parameters out of date: undocumented [${undocumented.join(', ')}], not in the schema [${stale.join(', ')}]`,
    );
  }
  return names.map((name) => queryParam(name, descriptions[name]!, properties[name]));
}

const PILLAR_LIST = PILLARS.join(', ');
const list = (what: string) => `Comma-separated ${what} (at most 100); an item matches any of them`;
const isoDateOrDatetime =
  'an ISO date (`2024`, `2024-07`, `2024-07-24`) or datetime with offset (`2024-07-24T09:30:00Z`)';
const knowledgeTime = (what: string) =>
  `Knowledge time: ${what} as it was known at this instant (only events recorded at or before it); ${isoDateOrDatetime}. A date alone is its first instant, UTC.`;
const positionHeader = (description: string) => ({
  description,
  schema: { type: 'integer', minimum: 0 },
});
const rawText = (description: string) => ({ type: 'string', description });

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
        TimelineItem: {
          type: 'object',
          description:
            'One fact with every correction known so far applied (`lineage` lists its recording, corrections and retraction).',
          required: [
            'id',
            'streamId',
            'streamVersion',
            'position',
            'type',
            'schemaVersion',
            'title',
            'actors',
            'pillars',
            'occurredAt',
            'recordedAt',
            'data',
            'sources',
            'lineage',
            'retracted',
            'lastPosition',
          ],
          properties: {
            id: { type: 'string', format: 'uuid', description: "The fact's eventId" },
            streamId: { type: 'string' },
            streamVersion: { type: 'integer' },
            position: { type: 'integer', description: 'Where the fact was recorded in the log' },
            type: { type: 'string' },
            schemaVersion: { type: 'integer' },
            title: { type: 'string' },
            summary: { type: 'string' },
            actors: { type: 'array', items: { type: 'string' } },
            pillars: { type: 'array', items: { type: 'string', enum: [...PILLARS] } },
            place: { type: 'string' },
            occurredAt: {
              type: 'object',
              description: 'Valid time, corrected if a correction moved it',
            },
            recordedAt: { type: 'string', format: 'date-time' },
            data: { type: 'object', description: 'The corrected data' },
            sources: { type: 'array', items: { type: 'object' } },
            lineage: {
              type: 'array',
              items: {
                type: 'object',
                required: ['kind', 'eventId', 'position', 'recordedAt'],
                properties: {
                  kind: { type: 'string', enum: ['recorded', 'corrected', 'retracted'] },
                  eventId: { type: 'string', format: 'uuid' },
                  position: { type: 'integer' },
                  recordedAt: { type: 'string', format: 'date-time' },
                  reason: { type: 'string' },
                  patch: { type: 'object' },
                  occurredAt: { type: 'object' },
                },
              },
            },
            retracted: { type: 'boolean' },
            lastPosition: { type: 'integer', description: 'The last log position that changed this item' },
          },
        },
        TimelineResponse: {
          type: 'object',
          required: ['items', 'position'],
          properties: {
            items: { type: 'array', items: ref('TimelineItem') },
            position: {
              type: 'integer',
              description:
                'The log position the items reflect: the read model’s watermark, or with `asOf` the last event recorded by then',
            },
            asOf: {
              type: 'string',
              format: 'date-time',
              description: 'With `asOf`: the knowledge time as an exact instant',
            },
          },
        },
        TimelineStats: {
          type: 'object',
          description: 'Counts of timeline items (retracted items excluded). Keys sorted.',
          required: ['byPillar', 'byActor', 'byType', 'byMonth', 'total', 'position'],
          properties: {
            byPillar: { type: 'object', additionalProperties: { type: 'integer' } },
            byActor: { type: 'object', additionalProperties: { type: 'integer' } },
            byType: { type: 'object', additionalProperties: { type: 'integer' } },
            byMonth: {
              type: 'object',
              additionalProperties: { type: 'integer' },
              description:
                'By the month the valid time starts, as written (`2024-07`); an item dated only to a year counts under the year (`2021`)',
            },
            total: { type: 'integer' },
            position: { type: 'integer', description: 'The log position the counts reflect' },
            asOf: { type: 'string', format: 'date-time', description: 'With `asOf`: the exact instant' },
          },
        },
        TimelineJsDocument: {
          type: 'object',
          description:
            'TimelineJS JSON: one slide per item (`unique_id` = item id, `group` = its first pillar); headline and text are HTML-escaped',
          required: ['events'],
          properties: {
            title: { type: 'object' },
            events: { type: 'array', items: { type: 'object' } },
          },
        },
        RebuildStatus: {
          type: 'object',
          required: [
            'id',
            'state',
            'phase',
            'targetPosition',
            'appliedPosition',
            'items',
            'startedAt',
            'updatedAt',
          ],
          properties: {
            id: { type: 'string', format: 'uuid' },
            state: { type: 'string', enum: ['running', 'swapped', 'failed'] },
            phase: { type: 'string', enum: ['preparing', 'folding', 'swapping', 'done', 'failed'] },
            source: {
              type: 'string',
              enum: ['store', 'kafka'],
              description: 'Where the fold reads the log',
            },
            targetPosition: {
              type: 'integer',
              description:
                'The store head when the fold last looked; the swap catches up to the head under a lock',
            },
            appliedPosition: { type: 'integer', description: 'The last position folded into the new tables' },
            kafkaPosition: {
              type: 'integer',
              description:
                '`source=kafka`: the last position folded from the topic; everything after it came from the store',
            },
            items: { type: 'integer', description: 'Timeline items in the rebuilt model (set when swapped)' },
            startedAt: { type: 'string', format: 'date-time' },
            updatedAt: { type: 'string', format: 'date-time' },
            finishedAt: { type: 'string', format: 'date-time' },
            error: { type: 'string', description: 'Why it failed' },
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
      '/api/timeline': {
        get: {
          summary: 'The timeline: facts with their corrections applied, in timeline order',
          description:
            'Without `asOf`: the read model the projector keeps (as far as it has got: `position`). With `asOf`: the store folded ' +
            'with what had been recorded by then; retracted items are then never included, even with `includeRetracted=true`.',
          parameters: queryParams(TimelineQuerySchema, {
            from: `Valid-time window start: items whose period ends after it; ${isoDateOrDatetime} (Date.parse reads it)`,
            to: 'Valid-time window end: items whose period starts at or before it; a date alone runs to the end of that day, month or year',
            pillars: `${list('pillars')}: ${PILLAR_LIST}`,
            actors: list('actor names (exact)'),
            types: list('event types'),
            streams: list('stream ids'),
            q: 'Case-insensitive text search over title, summary, place, actors and source quotes',
            asOf: knowledgeTime('the timeline'),
            includeRetracted: '`true` also returns retracted items (`retracted: true`); live read model only',
          }),
          responses: {
            '200': {
              description: 'The items and the position they reflect',
              content: json(ref('TimelineResponse')),
            },
            ...readErrors,
          },
        },
      },
      '/api/stream': {
        get: {
          summary: 'Live events as Server-Sent Events',
          description:
            'Catch-up from the store after `after` (or `Last-Event-ID`, which wins), then live from Kafka, with no gap or duplicate at the hand-over. ' +
            'Each event is `id: <position>` + `data: <EventEnvelope JSON>`. `event: heartbeat` (every 15 s; `data: {"head":N}`) carries the cursor as its id, ' +
            'so a filtered client resumes past events it did not want. A client that falls too far behind (5,000 queued events) gets ' +
            '`event: close` with `data: {"reason","resumeAfter"}` and is disconnected; reconnecting with Last-Event-ID resumes. ' +
            'Filters look at each event itself: a correction or retraction has type EventCorrected/EventRetracted and no pillars.',
          parameters: [
            ...queryParams(StreamQuerySchema, {
              after: 'Start after this log position (default 0: from the beginning)',
              types: list('event types'),
              streams: list('stream ids'),
              pillars: `${list('pillars')} (matched against each event’s \`data.pillars\`): ${PILLAR_LIST}`,
            }),
            {
              name: 'Last-Event-ID',
              in: 'header',
              required: false,
              description: 'The last `id:` received (a log position, a whole number); wins over `after`',
              schema: { type: 'string', pattern: '^\\d{1,15}$' },
            },
          ],
          responses: {
            '200': {
              description:
                'An endless event stream (`retry: 2000`; `Cache-Control: no-cache, no-transform`; `X-Accel-Buffering: no`)',
              content: {
                'text/event-stream': {
                  schema: rawText(
                    '`id: <position>` / `data: <EventEnvelope>` messages, `event: heartbeat`, `event: close`',
                  ),
                },
              },
            },
            '400': error(
              'Invalid query parameter, or a Last-Event-ID that is not a whole number (`issues` path `Last-Event-ID`)',
            ),
            '401': readErrors['401'],
          },
        },
      },
      '/api/replay': {
        get: {
          summary: 'Replay a selection of the log as NDJSON',
          description:
            'One canonical JSON value per line. `mode=events`: the envelopes in the horizon with position > `after`, upcast to the current ' +
            'catalog version, in position order, whose subject passes the filters (a fact brings its corrections and retractions; `types` and ' +
            '`streams` also match their own type and stream). `mode=timeline`: the timeline folded over the horizon, then filtered, in timeline order. ' +
            'The horizon (the `until`, the head and `asOf`, whichever is lowest) is pinned when the request starts and sent in `Timeline-Replay-Horizon`: ' +
            'pass it as `until` to get the same bytes again. An error half-way cuts the connection (no final newline).',
          parameters: queryParams(ReplayQuerySchema, {
            mode: '`events` (default) or `timeline`',
            after:
              'Exclusive lower bound on position (`mode=events` only; a timeline folds from position 1, so `after` > 0 there is a 400)',
            until: 'Inclusive upper bound on position: the horizon (must not be below `after`)',
            streams: list('stream ids'),
            types: list('event types'),
            pillars: `${list('pillars')}: ${PILLAR_LIST}`,
            actors: list('actor names (1-200 characters each)'),
            from: `Valid-time window start, honouring precision (an event dated 2021 overlaps any window that touches 2021); ${isoDateOrDatetime}`,
            to: 'Valid-time window end; a date alone runs to the end of that day, month or year; must not be before `from`',
            asOf: knowledgeTime('the log'),
          }),
          responses: {
            '200': {
              description: 'NDJSON (`Cache-Control: no-store`)',
              headers: {
                'Timeline-Replay-Horizon': positionHeader('The last log position the replay can contain'),
              },
              content: {
                'application/x-ndjson': {
                  schema: {
                    oneOf: [ref('EventEnvelope'), ref('TimelineItem')],
                    description:
                      'One per line: an EventEnvelope (`mode=events`) or a TimelineItem (`mode=timeline`)',
                  },
                },
              },
            },
            ...readErrors,
          },
        },
      },
      '/api/stats': {
        get: {
          summary: 'Counts over the timeline by pillar, actor, type and month',
          description:
            'The live read model, or with `asOf` the store folded as of then. JSON by default; CSV with `format=csv` or `Accept: text/csv` ' +
            '(`format` wins). `Timeline-Position` gives the position counted; `Vary: Accept`.',
          parameters: queryParams(StatsQuerySchema, {
            asOf: knowledgeTime('the timeline'),
            format: '`json` or `csv`; wins over the Accept header',
          }),
          responses: {
            '200': {
              description: 'The counts (`Cache-Control: no-store`)',
              headers: { 'Timeline-Position': positionHeader('The log position the counts reflect') },
              content: {
                ...json(ref('TimelineStats')),
                'text/csv': {
                  schema: rawText(
                    '`dimension,key,count` (dimension `pillar`, `actor`, `type` or `month`), CRLF rows, RFC 4180',
                  ),
                },
              },
            },
            ...readErrors,
          },
        },
      },
      '/api/export': {
        get: {
          summary: 'Export the timeline: one row per item in its corrected state',
          description:
            'In timeline order, sources (verbatim quotes) included; retracted items are not exported. The live read model, or with `asOf` the ' +
            "store folded as of then. CSV fields starting with `=`, `+`, `-`, `@`, a tab or a carriage return get a leading `'` (spreadsheet " +
            `formula injection); plain numbers and ISO dates are written as they are. CSV columns: ${EXPORT_CSV_COLUMNS.join(', ')}.`,
          parameters: queryParams(ExportQuerySchema, {
            format:
              '`jsonl` (default: TimelineItems as canonical JSON lines), `csv` (RFC 4180) or `timelinejs` (TimelineJS JSON)',
            asOf: knowledgeTime('the timeline'),
            title:
              'TimelineJS title slide (1-300 characters); used by `format=timelinejs`, ignored by the others',
          }),
          responses: {
            '200': {
              description:
                'An attachment, `timeline-<position>.<jsonl|csv|json>` (`Content-Disposition`; `Cache-Control: no-store`)',
              headers: { 'Timeline-Position': positionHeader('The log position the export reflects') },
              content: {
                'application/x-ndjson': { schema: ref('TimelineItem') },
                'text/csv': { schema: rawText('RFC 4180 with a header row; CRLF line ends') },
                'application/json': { schema: ref('TimelineJsDocument') },
              },
            },
            ...readErrors,
          },
        },
      },
      '/api/admin/rebuild': {
        post: {
          summary: 'Rebuild the timeline read model beside the live one and swap it in',
          description:
            'The service keeps answering. `source=store` (default) folds the event store; `source=kafka` folds the events topic from offset 0, then ' +
            'whatever the topic cannot give (not yet relayed, lost to retention, undecodable) from the store, so the result is the same. ' +
            'Without `Accept: application/x-ndjson`: 202 with the first status and a `Location` to poll. With it: 200 and one RebuildStatus ' +
            'per line until the last (`state` `swapped` or `failed`). No request body is needed.',
          security: [{ bearer: [] }],
          parameters: queryParams(RebuildQuerySchema, { source: '`store` (default) or `kafka`' }),
          responses: {
            '200': {
              description:
                'With `Accept: application/x-ndjson`: progress, one status per line (`Location` set too)',
              headers: { Location: { schema: { type: 'string' }, description: '/api/admin/rebuild/{id}' } },
              content: { 'application/x-ndjson': { schema: ref('RebuildStatus') } },
            },
            '202': {
              description: 'Started',
              headers: { Location: { schema: { type: 'string' }, description: '/api/admin/rebuild/{id}' } },
              content: json(ref('RebuildStatus')),
            },
            '400': error('Invalid query parameter (`source`), named in `issues`'),
            '401': writeErrors['401'],
            '409': error(
              'A rebuild is already running (here or on another instance; the message names it), or `source=kafka` on an instance without Kafka',
            ),
            '429': writeErrors['429'],
          },
        },
      },
      '/api/admin/rebuild/{id}': {
        get: {
          summary: "A rebuild's last recorded status (from any instance)",
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
          ],
          responses: {
            '200': { description: 'The status', content: json(ref('RebuildStatus')) },
            ...readErrors,
            '404': error('No rebuild with that id'),
          },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics (always open)',
          description: 'The metric names and what to alert on are in docs/operations.md.',
          responses: {
            '200': {
              description: 'Prometheus text exposition format',
              content: { 'text/plain; version=0.0.4': { schema: rawText('Prometheus text format 0.0.4') } },
            },
          },
        },
      },
      '/api/docs/openapi.json': {
        get: {
          summary: 'This document (always open)',
          responses: { '200': { description: 'OpenAPI 3.1', content: json({ type: 'object' }) } },
        },
      },
      '/api/docs': {
        get: {
          summary: 'A plain page listing the routes (always open)',
          responses: {
            '200': { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } },
          },
        },
      },
      '/api/session': {
        post: {
          summary: 'Open a browser read session (reads closed by TIMELINE_READ_TOKENS)',
          description:
            'EventSource cannot send `Authorization`, so a browser posts a read (or write) token once and gets it back as an HttpOnly, ' +
            'SameSite=Strict cookie (`timeline_read`, 12 h) that counts for reads only; writes still need the header. Public; attempts ' +
            'are rate limited per address like writes.',
          requestBody: { required: true, content: json(requestSchema(SessionRequestSchema)) },
          responses: {
            '204': { description: 'Session open: `Set-Cookie: timeline_read=…; HttpOnly; SameSite=Strict`' },
            '400': error('Invalid body: `issues` names `token`'),
            '401': error('The token is neither a read nor a write token'),
            '415': error('Not application/json'),
            '429': writeErrors['429'],
          },
        },
        delete: {
          summary: 'End the browser read session (clears the cookie)',
          responses: { '204': { description: 'Cookie cleared' } },
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
