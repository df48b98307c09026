import {
  EXPORT_CSV_COLUMNS,
  ReplayQuerySchema,
  StreamQuerySchema,
  TimelineWindowQuerySchema,
} from '@timeline/shared-types';
import { ExportQuerySchema, StatsQuerySchema } from '../../read-model/read-model-queries.js';
import { json, rawText, ref } from './json-schema.js';
import { isoDateOrDatetime, knowledgeTime, list, PILLAR_LIST, queryParams } from './parameters.js';
import { error, foldErrors, positionHeader, READ, readErrors } from './responses.js';
import {
  TIMELINE_FILTER_DESCRIPTIONS,
  TIMELINE_WINDOW_DESCRIPTIONS,
  timelineWindowResponses,
} from './paths-timeline-window.js';

/** The timeline and what is derived from the log: live feed, replay, stats, export. */
export function readPaths() {
  return {
    '/api/timeline': {
      get: {
        operationId: 'getTimeline',
        ...READ,
        summary: 'The timeline: facts with their corrections applied, in timeline order',
        description:
          'Without `asOf`: the read model the projector keeps (as far as it has got: `position`). With `asOf`: the store folded ' +
          'with what had been recorded by then; retracted items are then never included, even with `includeRetracted=true`. ' +
          'With `budget` (issue 12): a TimelineWindowResponse for the window `from`..`to` (all valid time when absent): the items when at most ' +
          '`budget` match, else counts per calendar bucket (at most `buckets`, default 200, across the window) and group; facets for the whole selection; ' +
          'with `at` (or `asOf`) as the timeline stood at that log position, read from version rows without folding the log. ' +
          'Tagged with the position it reflects (`ETag`); `If-None-Match` with that tag answers 304.',
        parameters: queryParams(TimelineWindowQuerySchema, {
          from: `Valid-time window start: items whose period ends after it; ${isoDateOrDatetime} (Date.parse reads it)`,
          to: 'Valid-time window end: items whose period starts at or before it; a date alone runs to the end of that day, month or year',
          ...TIMELINE_FILTER_DESCRIPTIONS,
          asOf: knowledgeTime('the timeline'),
          includeRetracted: '`true` also returns retracted items (`retracted: true`); live read model only',
          ...TIMELINE_WINDOW_DESCRIPTIONS,
        }),
        responses: {
          '200': {
            description: 'Without `budget`: the items and the position they reflect; with it: the window',
            headers: timelineWindowResponses.tagged,
            content: json({ anyOf: [ref('TimelineResponse'), ref('TimelineWindowResponse')] }),
          },
          '304': timelineWindowResponses.notModified,
          ...readErrors,
          '409': timelineWindowResponses.positionConflict,
          ...foldErrors,
        },
      },
    },
    '/api/stream': {
      get: {
        operationId: 'streamEvents',
        ...READ,
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
        operationId: 'replay',
        ...READ,
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
        operationId: 'getStats',
        ...READ,
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
          ...foldErrors,
        },
      },
    },
    '/api/export': {
      get: {
        operationId: 'exportTimeline',
        ...READ,
        summary: 'Export the timeline: one row per item in its corrected state',
        description:
          'In timeline order, sources (verbatim quotes) included; retracted items are not exported. The live read model, or with `asOf` the ' +
          "store folded as of then. CSV fields starting with `=`, `+`, `-`, `@`, a tab or a carriage return get a leading `'` (spreadsheet " +
          `formula injection); plain numbers and ISO dates are written as they are. CSV columns: ${EXPORT_CSV_COLUMNS.join(', ')}.`,
        parameters: queryParams(ExportQuerySchema, {
          format:
            '`jsonl` (default: TimelineItems as canonical JSON lines), `csv` (RFC 4180), `timelinejs` (TimelineJS JSON) or `timelinejs-csv` (the TimelineJS spreadsheet template: Year, Month, Day, Time, End Year, …, Headline, Text, …, Type, Group)',
          asOf: knowledgeTime('the timeline'),
          title:
            'TimelineJS title slide (1-300 characters); used by `format=timelinejs` and `timelinejs-csv` (a `title` row), ignored by the others',
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
          ...foldErrors,
        },
      },
    },
  };
}
