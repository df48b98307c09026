import {
  AppendRequestSchema,
  CorrectionRequestSchema,
  EVENT_CATALOG,
  EVENT_TYPES,
  EventEnvelopeSchema,
  FACT_EVENT_TYPES,
  OccurredAtSchema,
  PILLARS,
  RetractionRequestSchema,
  SourceSchema,
} from '@timeline/shared-types';
import type { z } from 'zod';
import { type JsonSchema, outputSchema, ref, requestSchema } from './json-schema.js';

/** `EventData.<Type>.v<N>`: the data of every version of every event type, as the catalog validates it. */
function eventDataSchemas(): Record<string, JsonSchema> {
  const schemas: Record<string, JsonSchema> = {};
  for (const type of EVENT_TYPES) {
    const { versions, current, description } = EVENT_CATALOG[type];
    for (const [version, schema] of Object.entries(versions as Record<string, z.ZodType>)) {
      schemas[`EventData.${type}.v${version}`] = {
        ...requestSchema(schema),
        description: `${description}${Number(version) === current ? ' (current version)' : ' (older version; upcast on read)'}`,
      };
    }
  }

  return schemas;
}

/** A JSON object with any members (`Record<string, unknown>` in generated types). */
const ANY_OBJECT = { type: 'object', additionalProperties: {} };

/** `{ type: 'object', description?, required, properties }`: the shape of every body below. */
const objectSchema = (required: string[], properties: Record<string, unknown>, description?: string) => ({
  type: 'object',
  ...(description === undefined ? {} : { description }),
  required,
  properties,
});

/** The request and response bodies the paths refer to (`#/components/schemas/<name>`). */
export function componentSchemas(): Record<string, JsonSchema> {
  return {
    AppendRequest: requestSchema(AppendRequestSchema),
    CorrectionRequest: requestSchema(CorrectionRequestSchema),
    RetractionRequest: requestSchema(RetractionRequestSchema),
    EventEnvelope: outputSchema(EventEnvelopeSchema),
    OccurredAt: outputSchema(OccurredAtSchema),
    Source: outputSchema(SourceSchema),
    AppendResponse: objectSchema(['streamId', 'streamVersion', 'events', 'duplicate'], {
      streamId: { type: 'string' },
      streamVersion: { type: 'integer', description: "The stream's version after the append" },
      events: {
        type: 'array',
        items: objectSchema(['eventId', 'streamVersion', 'position'], {
          eventId: { type: 'string', format: 'uuid' },
          streamVersion: { type: 'integer' },
          position: { type: 'integer' },
        }),
      },
      duplicate: {
        type: 'boolean',
        description: 'Every event was already stored with the same content: an idempotent retry',
      },
    }),
    StreamResponse: objectSchema(['streamId', 'version', 'events'], {
      streamId: { type: 'string' },
      version: { type: 'integer' },
      events: { type: 'array', items: ref('EventEnvelope') },
    }),
    StreamSummary: objectSchema(['streamId', 'version', 'eventCount', 'lastRecordedAt'], {
      streamId: { type: 'string' },
      version: { type: 'integer', minimum: 1 },
      eventCount: {
        type: 'integer',
        minimum: 1,
        description: 'Stream versions count 1, 2, 3 … without gaps, so this equals `version`',
      },
      lastRecordedAt: {
        type: 'string',
        format: 'date-time',
        description: 'When its last event was recorded',
      },
    }),
    StreamList: objectSchema(['streams', 'next'], {
      streams: { type: 'array', items: ref('StreamSummary') },
      next: {
        type: ['string', 'null'],
        description: 'Pass as `after` for the next page; null on the last page',
      },
    }),
    EventDetails: objectSchema(
      ['event', 'corrections', 'retraction', 'item'],
      {
        event: {
          ...ref('EventEnvelope'),
          description: 'The event, upcast to its type’s current schema version',
        },
        corrections: {
          type: 'array',
          items: ref('EventEnvelope'),
          description: 'The EventCorrected events naming it, in position order',
        },
        retraction: {
          oneOf: [ref('EventEnvelope'), { type: 'null' }],
          description: 'The EventRetracted event naming it, or null',
        },
        item: {
          oneOf: [ref('TimelineItem'), { type: 'null' }],
          description:
            'Its timeline item with every correction applied (`lineage` included); null when retracted or when the event is not a fact',
        },
      },
      'One event with its lineage. For a correction or retraction itself: `corrections` [], `retraction` and `item` null.',
    ),
    EventCatalog: objectSchema(['types'], {
      types: {
        type: 'array',
        items: objectSchema(['type', 'latestVersion', 'kind', 'versions'], {
          type: { type: 'string' },
          latestVersion: {
            type: 'integer',
            minimum: 1,
            description: 'The current schema version: older stored events are upcast to it on read',
          },
          kind: {
            type: 'string',
            enum: ['fact', 'lineage'],
            description: '`lineage`: a correction or retraction of a fact, not an item of its own',
          },
          versions: {
            type: 'array',
            description: 'Oldest first',
            items: objectSchema(['schemaVersion', 'schema'], {
              schemaVersion: { type: 'integer', minimum: 1 },
              schema: {
                ...ANY_OBJECT,
                description:
                  'The JSON Schema (draft 2020-12) of `data` at this version, as a client writes it (fields with a default are optional)',
              },
            }),
          },
        }),
      },
    }),
    LogPage: objectSchema(['events', 'nextAfter', 'head'], {
      events: { type: 'array', items: ref('EventEnvelope') },
      nextAfter: { type: 'integer', description: 'Pass as `after` to read on' },
      head: { type: 'integer', description: "The store's head position when the page was read" },
    }),
    TimelineItem: objectSchema(
      [
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
      {
        id: { type: 'string', format: 'uuid', description: "The fact's eventId" },
        streamId: { type: 'string' },
        streamVersion: { type: 'integer' },
        position: { type: 'integer', description: 'Where the fact was recorded in the log' },
        type: { type: 'string', enum: [...FACT_EVENT_TYPES] },
        schemaVersion: { type: 'integer' },
        title: { type: 'string' },
        summary: { type: 'string' },
        actors: { type: 'array', items: { type: 'string' } },
        pillars: { type: 'array', items: { type: 'string', enum: [...PILLARS] } },
        place: { type: 'string' },
        occurredAt: { ...ref('OccurredAt'), description: 'Valid time, corrected if a correction moved it' },
        recordedAt: { type: 'string', format: 'date-time' },
        data: { ...ANY_OBJECT, description: 'The corrected data' },
        sources: { type: 'array', items: ref('Source') },
        lineage: {
          type: 'array',
          items: objectSchema(['kind', 'eventId', 'position', 'recordedAt'], {
            kind: { type: 'string', enum: ['recorded', 'corrected', 'retracted'] },
            eventId: { type: 'string', format: 'uuid' },
            position: { type: 'integer' },
            recordedAt: { type: 'string', format: 'date-time' },
            reason: { type: 'string' },
            patch: ANY_OBJECT,
            occurredAt: ref('OccurredAt'),
          }),
        },
        retracted: { type: 'boolean' },
        lastPosition: { type: 'integer', description: 'The last log position that changed this item' },
      },
      'One fact with every correction known so far applied (`lineage` lists its recording, corrections and retraction).',
    ),
    TimelineResponse: objectSchema(['items', 'position'], {
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
    }),
    TimelineStats: objectSchema(
      ['byPillar', 'byActor', 'byType', 'byMonth', 'total', 'position'],
      {
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
      'Counts of timeline items (retracted items excluded). Keys sorted.',
    ),
    TimelineJsDocument: objectSchema(
      ['events'],
      {
        title: { type: 'object' },
        events: { type: 'array', items: { type: 'object' } },
        eras: { type: 'array', items: { type: 'object' } },
      },
      'TimelineJS JSON: one slide per item (`unique_id` = item id, `group` = its FactNoted group or else its first pillar), one era per `EraMarked` item; headline and text are HTML-escaped',
    ),
    RebuildStatus: objectSchema(
      ['id', 'state', 'phase', 'targetPosition', 'appliedPosition', 'items', 'startedAt', 'updatedAt'],
      {
        id: { type: 'string', format: 'uuid' },
        state: { type: 'string', enum: ['running', 'swapped', 'failed'] },
        phase: { type: 'string', enum: ['preparing', 'folding', 'swapping', 'done', 'failed'] },
        source: { type: 'string', enum: ['store', 'kafka'], description: 'Where the fold reads the log' },
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
    ),
    Readiness: objectSchema(
      ['status', 'checks'],
      {
        status: { type: 'string', enum: ['ok', 'unavailable'] },
        checks: {
          type: 'object',
          description: 'By dependency name (`store`, `kafka`, …)',
          additionalProperties: objectSchema(['ok'], {
            ok: { type: 'boolean' },
            detail: { ...ANY_OBJECT, description: 'The head position, the broker, the error' },
          }),
        },
      },
      'Every dependency check (`Cache-Control: no-store`)',
    ),
    ErrorResponse: objectSchema(['statusCode', 'error', 'message'], {
      statusCode: { type: 'integer' },
      error: { type: 'string' },
      message: { type: 'string' },
      issues: {
        type: 'array',
        items: objectSchema(['path', 'message'], { path: { type: 'string' }, message: { type: 'string' } }),
      },
      expected: { oneOf: [{ type: 'integer' }, { type: 'string' }], description: 'On a version conflict' },
      actual: { type: 'integer', description: 'On a version conflict' },
    }),
    ...eventDataSchemas(),
  };
}
