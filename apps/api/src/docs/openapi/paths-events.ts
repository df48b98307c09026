import { ListStreamsQuerySchema } from '../../events/list-streams/list-streams.query.js';
import { json, ref } from './json-schema.js';
import { eventIdParam, queryParam, queryParams, streamIdParam } from './parameters.js';
import { error, READ, readErrors, WRITE, writeErrors } from './responses.js';

/** A correction or retraction: an event about an earlier fact, appended to that fact's stream. */
function eventFollowUp(operation: {
  operationId: string;
  summary: string;
  description?: string;
  request: string;
  recorded: string;
}) {
  return {
    operationId: operation.operationId,
    ...WRITE,
    summary: operation.summary,
    ...(operation.description === undefined ? {} : { description: operation.description }),
    security: [{ bearer: [] }],
    parameters: [eventIdParam],
    requestBody: { required: true, content: json(ref(operation.request)) },
    responses: {
      '201': { description: operation.recorded, content: json(ref('AppendResponse')) },
      ...writeErrors,
      '409': error('Unknown event, not a fact, or already retracted'),
    },
  };
}

/** Writing events and reading the log and streams back. */
export function eventPaths() {
  return {
    '/api/streams/{streamId}/events': {
      post: {
        operationId: 'appendEvents',
        ...WRITE,
        summary: 'Append events to a stream',
        description:
          'Each event is validated against its type (`EventData.<Type>.v<N>` below); `schemaVersion` defaults to the current one; ' +
          'the server picks `eventId` when it is absent. Resending the same eventIds with the same content returns the first result.',
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
    '/api/streams': {
      get: {
        operationId: 'listStreams',
        ...READ,
        summary: 'List the streams, a page at a time',
        description:
          'In stream id order, with each stream’s version, event count and the time its last event was recorded. ' +
          'Keyset paging: pass `next` as `after` until `next` is null.',
        parameters: queryParams(ListStreamsQuerySchema, {
          after: 'Start after this stream id (the `next` of the previous page)',
          limit: 'Page size (default 100, max 1000)',
        }),
        responses: {
          '200': { description: 'One page of streams', content: json(ref('StreamList')) },
          ...readErrors,
        },
      },
    },
    '/api/streams/{streamId}': {
      get: {
        operationId: 'readStream',
        ...READ,
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
        operationId: 'readLog',
        ...READ,
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
    '/api/events/{eventId}': {
      get: {
        operationId: 'getEvent',
        ...READ,
        summary: 'One event with its corrections, its retraction and its timeline item',
        description:
          'The event upcast to its current schema version; the corrections and the retraction naming it, in position order; ' +
          'and its item as the timeline shows it now (every correction applied, with its lineage), null once retracted. ' +
          'Asked for a correction or a retraction itself, it answers that event with no lineage and no item.',
        parameters: [eventIdParam],
        responses: {
          '200': { description: 'The event and its lineage', content: json(ref('EventDetails')) },
          '400': error('`eventId` is not a UUID (`issues` path `eventId`)'),
          '401': readErrors['401'],
          '404': error('No event has this id'),
        },
      },
    },
    '/api/events/{eventId}/corrections': {
      post: eventFollowUp({
        operationId: 'correctEvent',
        summary: 'Correct an event',
        description:
          'Appends an EventCorrected (a JSON merge patch for the data and/or a corrected occurredAt, with a reason) to the target’s stream.',
        request: 'CorrectionRequest',
        recorded: 'The correction was recorded',
      }),
    },
    '/api/events/{eventId}/retraction': {
      post: eventFollowUp({
        operationId: 'retractEvent',
        summary: 'Retract an event',
        request: 'RetractionRequest',
        recorded: 'The retraction was recorded',
      }),
    },
  };
}
