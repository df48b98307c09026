import {
  BUCKET_UNITS,
  HISTOGRAM_UNITS,
  LogHistogramQuerySchema,
  PILLARS,
  TIMELINE_WINDOW_MAX_BUCKETS,
  TIMELINE_WINDOW_MAX_BUDGET,
  TimelineDiffQuerySchema,
  TimelineOverviewQuerySchema,
} from '@timeline/shared-types';
import { json, ref } from './json-schema.js';
import { isoDateOrDatetime, list, PILLAR_LIST, queryParams } from './parameters.js';
import { error, READ, readErrors } from './responses.js';

/** The filters the window routes share with `GET /api/timeline`, described once. */
export const TIMELINE_FILTER_DESCRIPTIONS = {
  pillars: `${list('pillars')}: ${PILLAR_LIST}`,
  actors: list('actor names (exact)'),
  types: list('event types'),
  streams: list('stream ids'),
  q: 'Case-insensitive text search over title, summary, place, actors and source quotes',
};

/** The extra parameters of `GET /api/timeline` that ask for the windowed answer (issue 12). */
export const TIMELINE_WINDOW_DESCRIPTIONS = {
  budget: `1..${TIMELINE_WINDOW_MAX_BUDGET}: the most items wanted. Given, the answer is a TimelineWindowResponse: the window's items when they fit, else buckets; without it, the answer is as before (every matching item)`,
  buckets: `1..${TIMELINE_WINDOW_MAX_BUCKETS} (default ${TIMELINE_WINDOW_MAX_BUCKETS}): at most this many buckets across the window; the unit is the finest calendar unit that fits (needs \`budget\`)`,
  groupBy: '`pillar` (default) or `actor`: how bucket rows are grouped (needs `budget`)',
  at: 'A log position: the timeline as it stood after it, from the version rows (needs `budget`; at most the read model’s position)',
};

const notModified = {
  description: 'The `If-None-Match` tag is still current (the log position has not moved): no body',
};
const tagged = {
  ETag: { description: 'The log position the answer reflects, quoted', schema: { type: 'string' } },
};
const counts = { type: 'object', additionalProperties: { type: 'integer' } };
const byPillar = {
  type: 'object',
  properties: Object.fromEntries(PILLARS.map((p) => [p, { type: 'integer' }])),
  additionalProperties: false,
};
const bucketRange = {
  start: { type: 'string', format: 'date-time', description: 'Inclusive, aligned to the unit (UTC)' },
  end: { type: 'string', format: 'date-time', description: 'Exclusive' },
};
const obj = (required: string[], properties: Record<string, unknown>, description?: string) => ({
  type: 'object',
  required,
  properties,
  ...(description === undefined ? {} : { description }),
});

export function timelineWindowSchemas() {
  return {
    TimelineWindowResponse: obj(
      ['position', 'window', 'mode', 'items', 'facets'],
      {
        position: { type: 'integer', description: 'The log position the answer reflects (the ETag)' },
        window: obj(['from', 'to'], {
          from: { type: 'string', format: 'date-time' },
          to: { type: 'string', format: 'date-time', description: 'Exclusive' },
        }),
        mode: { type: 'string', enum: ['items', 'buckets'] },
        items: {
          type: 'array',
          items: ref('TimelineItem'),
          description:
            '`items`: every match in timeline order; `buckets`: the items alone in their bucket (up to the budget)',
        },
        buckets: obj(['unit', 'rows'], {
          unit: { type: 'string', enum: [...BUCKET_UNITS] },
          rows: {
            type: 'array',
            items: obj(['start', 'end', 'group', 'count', 'byPillar', 'byType'], {
              ...bucketRange,
              group: { type: 'string', description: '`pillar:<pillar>`, `actor:<name>` or `other`' },
              count: {
                type: 'integer',
                description:
                  'Items of the group starting in the bucket (or before the window, in its first bucket)',
              },
              byPillar,
              byType: counts,
            }),
          },
        }),
        facets: obj(
          ['total', 'pillars', 'types', 'actors'],
          {
            total: { type: 'integer' },
            pillars: byPillar,
            types: counts,
            actors: counts,
          },
          'Counts over the whole selection (window and filters, not the budget)',
        ),
        at: { type: 'integer' },
        asOf: { type: 'string', format: 'date-time' },
      },
      'The timeline by window (`budget` given)',
    ),
    TimelineOverviewResponse: obj(['position', 'unit', 'rows'], {
      position: { type: 'integer' },
      range: obj(['from', 'to'], {
        from: { type: 'string', format: 'date-time' },
        to: { type: 'string', format: 'date-time' },
      }),
      unit: { type: 'string', enum: [...BUCKET_UNITS] },
      rows: {
        type: 'array',
        items: obj(['start', 'end', 'count', 'byPillar'], {
          ...bucketRange,
          count: { type: 'integer' },
          byPillar,
        }),
      },
    }),
    TimelineDiffResponse: obj(['fromPosition', 'toPosition', 'added', 'changed', 'retracted'], {
      fromPosition: { type: 'integer' },
      toPosition: { type: 'integer' },
      added: { type: 'array', items: ref('TimelineItem') },
      changed: {
        type: 'array',
        items: obj(['item', 'before'], { item: ref('TimelineItem'), before: ref('TimelineItem') }),
        description:
          'Including items a correction moved out of the window or filter (`item` is the new state)',
      },
      retracted: {
        type: 'array',
        items: obj(['item', 'before'], { item: ref('TimelineItem'), before: ref('TimelineItem') }),
      },
    }),
    LogHistogramResponse: obj(['head', 'unit', 'rows'], {
      head: { type: 'integer' },
      unit: { type: 'string', enum: [...HISTOGRAM_UNITS] },
      rows: {
        type: 'array',
        items: obj(['start', 'end', 'count', 'firstPosition', 'lastPosition'], {
          ...bucketRange,
          count: { type: 'integer' },
          firstPosition: { type: 'integer' },
          lastPosition: { type: 'integer' },
        }),
      },
    }),
  };
}

const positionConflict = error(
  'The read model keeps history from a later position only (it was migrated with items in it): a rebuild writes all of it',
);

export function timelineWindowPaths() {
  return {
    '/api/timeline/overview': {
      get: {
        operationId: 'getTimelineOverview',
        ...READ,
        summary: 'Density of the whole valid time by pillar, for the overview strip',
        description:
          'One unit for all valid time, chosen by the server so there are at most 300 rows; each item counts in the bucket where it starts. ' +
          'Tagged with the read model position (`ETag`); `If-None-Match` with the current tag answers 304.',
        parameters: queryParams(TimelineOverviewQuerySchema, TIMELINE_FILTER_DESCRIPTIONS),
        responses: {
          '200': {
            description: 'The density rows',
            headers: tagged,
            content: json(ref('TimelineOverviewResponse')),
          },
          '304': notModified,
          ...readErrors,
        },
      },
    },
    '/api/timeline/diff': {
      get: {
        operationId: 'getTimelineDiff',
        ...READ,
        summary: 'What changed in a valid-time window between two log positions',
        description:
          'Computed on the server from the version rows: items added, changed and retracted in (from, to]. At most 5,000 items; more is a 400 on `from`.',
        parameters: queryParams(TimelineDiffQuerySchema, {
          from: 'The earlier log position',
          to: 'The later log position (at most the read model’s position)',
          validFrom: `Valid-time window start (as the timeline’s \`from\`); ${isoDateOrDatetime}`,
          validTo: 'Valid-time window end (as the timeline’s `to`)',
          ...TIMELINE_FILTER_DESCRIPTIONS,
        }),
        responses: {
          '200': { description: 'The changes', headers: tagged, content: json(ref('TimelineDiffResponse')) },
          '304': notModified,
          ...readErrors,
          '409': positionConflict,
        },
      },
    },
    '/api/log/histogram': {
      get: {
        operationId: 'getLogHistogram',
        ...READ,
        summary: 'Events recorded per knowledge-time bucket, for the replay scrubber',
        description:
          'The finest unit (second … decade) giving at most `buckets` rows (plus one for alignment); empty buckets are left out. Each row’s first and last position map it onto the log.',
        parameters: queryParams(LogHistogramQuerySchema, {
          buckets: 'At most this many buckets (1..1000, default 100)',
        }),
        responses: {
          '200': { description: 'The histogram', content: json(ref('LogHistogramResponse')) },
          ...readErrors,
        },
      },
    },
  };
}

export const timelineWindowResponses = { notModified, tagged, positionConflict };
