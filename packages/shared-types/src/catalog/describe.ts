import type { z } from 'zod';
import { EventEnvelopeSchema, NewEventSchema, PRECISIONS, type Precision } from '../envelope.js';
import {
  CLOUDEVENTS_HEADER_DESCRIPTIONS,
  CLOUDEVENTS_HEADERS,
  CLOUDEVENTS_SPEC_VERSION,
} from '../cloudevents.js';
import { jsonSchemaOf } from '../json-schema.js';
import {
  KAFKA_CONTRACT_VERSION,
  KAFKA_HEADER_DESCRIPTIONS,
  KAFKA_HEADERS,
  TOPIC_BASE_NAMES,
} from '../topics.js';
import { PILLAR_LABELS, PILLARS } from './pillars.js';
import { EVENT_CATALOG, EVENT_TYPES, LINEAGE_EVENT_TYPES } from './registry.js';

/**
 * Renders `docs/event-catalog.md` from the catalog itself, so the document cannot drift from the
 * schemas: a unit test compares this output with the committed file.
 */
export function renderEventCatalogMarkdown(): string {
  const out: string[] = [
    '# Event catalog',
    '',
    '<!-- Generated from packages/shared-types/src/catalog by `pnpm --filter @timeline/shared-types catalog:docs`. Do not edit by hand. -->',
    '',
    'Every stored event is an envelope (below) around a typed domain event. The catalog lists every event',
    'type, every schema version it has had and which one is current. Stored events are never rewritten:',
    'older versions are upcast to the current one on read (`upcastEnvelope`), by the server and the browser alike.',
    '',
    '- [Envelope](#envelope)',
    '- [Valid time](#valid-time-occurredat)',
    '- [Pillars](#pillars)',
    '- [Event types](#event-types)',
    '- [Kafka contract](#kafka-contract)',
    '',
    '## Envelope',
    '',
    '### New event (what a client appends)',
    '',
    ...fieldTable(NewEventSchema, 'input', ENVELOPE_FIELD_NOTES),
    '',
    '### Stored event (what the store returns and Kafka carries)',
    '',
    'The store assigns `streamVersion`, `position` (global, gapless, in commit order) and `recordedAt` (transaction time).',
    '',
    ...fieldTable(EventEnvelopeSchema, 'output', ENVELOPE_FIELD_NOTES),
    '',
    '## Valid time (`occurredAt`)',
    '',
    '`start` and `end` are written at the stated precision; an item covers the whole period, so a',
    'year-precision fact overlaps any window that touches its year. A date the source does not state is',
    'derived, and `derivation` says how.',
    '',
    ...table(
      ['precision', '`start` / `end` look like', 'covers'],
      PRECISIONS.map((p) => [code(p), code(PRECISION_DOC[p].example), PRECISION_DOC[p].covers]),
    ),
    '',
    '## Pillars',
    '',
    'A closed list: `pillars` fields and filters accept only these ids.',
    '',
    ...table(
      ['id', 'label'],
      PILLARS.map((p) => [code(p), PILLAR_LABELS[p]]),
    ),
    '',
    '## Event types',
    '',
    'Facts on the timeline share the fields below; each type adds its own. `EventCorrected` and',
    '`EventRetracted` are not facts: they name an earlier event and change how it is shown, never the event itself.',
    '',
    ...table(
      ['shared field', 'meaning'],
      Object.entries(SHARED_FIELD_NOTES).map(([field, note]) => [code(field), note]),
    ),
    '',
    ...table(
      ['type', 'current version', 'versions', 'description'],
      EVENT_TYPES.map((type) => {
        const entry = EVENT_CATALOG[type];
        const versions = Object.keys(entry.versions).map((v) => `v${v}`);
        return [
          `[${code(type)}](#${type.toLowerCase()})`,
          String(entry.current),
          versions.join(', '),
          entry.description,
        ];
      }),
    ),
  ];

  for (const type of EVENT_TYPES) {
    const entry = EVENT_CATALOG[type];
    const versions = entry.versions as Record<number, z.ZodType>;
    const numbers = Object.keys(versions)
      .map(Number)
      .sort((a, b) => b - a);
    out.push('', `### ${type}`, '', entry.description);
    if ((LINEAGE_EVENT_TYPES as readonly string[]).includes(type))
      out.push('', 'A lineage event: not drawn as an item of its own.');
    for (const version of numbers) {
      const schema = versions[version]!;
      const status =
        version === entry.current ? 'current' : `stored events are upcast to v${entry.current} on read`;
      out.push('', `#### v${version} (${status})`, '', ...fieldTable(schema, 'input', DATA_FIELD_NOTES));
    }
  }

  const topics = TOPIC_BASE_NAMES;
  out.push(
    '',
    '## Kafka contract',
    '',
    `Contract version ${KAFKA_CONTRACT_VERSION}, versioned apart from the domain catalog above (header \`${KAFKA_HEADERS.contractVersion}\`).`,
    'Topic names take an optional prefix (`KAFKA_TOPIC_PREFIX`).',
    '',
    ...table(
      ['topic', 'key', 'value'],
      [
        [
          code(topics.events),
          '`streamId` (one stream stays in one partition, in order)',
          'the stored event envelope as UTF-8 JSON',
        ],
        [
          code(topics.deadLetters),
          'the original key',
          'the original value, for messages the projector could not decode or validate',
        ],
      ],
    ),
    '',
    'Total order across partitions is restored from the gapless `position` header. `decodeKafkaMessage`',
    'checks UTF-8, JSON, the envelope, the event schema, and that the `position` header agrees with the body,',
    'then upcasts to the current catalog version. Delivery is at least once: a consumer drops a message whose',
    'position it has already handled. [`asyncapi.json`](asyncapi.json) (AsyncAPI 3) describes the same contract',
    'for tools: one message per event type and schema version, with the JSON Schemas of its headers and value.',
    '',
    ...headerTable(KAFKA_HEADERS, KAFKA_HEADER_DESCRIPTIONS),
    '',
    '### CloudEvents',
    '',
    `Every message is also a CloudEvent (spec ${CLOUDEVENTS_SPEC_VERSION}) in the Kafka binding's binary content mode: the`,
    'attributes are the `ce_*` headers below, beside the headers above (nothing was removed), and',
    '`content-type` is the `datacontenttype`. The value is unchanged, the stored envelope, so for a',
    'CloudEvents SDK the event’s `data` is the whole envelope and the domain event is `data.data`.',
    'No `ce_dataschema`: the relay does not know the address the API is published at; the schema of a',
    '`ce_type` is the AsyncAPI message of that name in `docs/asyncapi.json` (also `GET /api/docs/asyncapi.json`).',
    '',
    ...headerTable(CLOUDEVENTS_HEADERS, CLOUDEVENTS_HEADER_DESCRIPTIONS),
    '',
  );
  return out.join('\n');
}

function headerTable<Key extends string>(
  headers: Record<Key, string>,
  descriptions: Record<Key, string>,
): string[] {
  return table(
    ['header', 'carries'],
    (Object.keys(headers) as Key[]).map((key) => [code(headers[key]), descriptions[key]]),
  );
}

const PRECISION_DOC: Record<Precision, { example: string; covers: string }> = {
  year: { example: '2021', covers: 'the whole year' },
  month: { example: '2024-07', covers: 'the whole month' },
  day: { example: '2024-07-24', covers: 'the whole day (UTC)' },
  minute: { example: '2024-07-24T09:30+05:30', covers: 'one minute; an offset or `Z` is required' },
};

const SHARED_FIELD_NOTES = {
  title: 'Short text drawn on the timeline.',
  summary: 'A longer account of the fact, supported by the event’s quoted sources.',
  actors:
    'Display names of the people, organisations and countries involved, spelled the same way everywhere.',
  pillars: 'The pillars the fact concerns (see Pillars).',
  place: 'Where it happened, when the source says.',
  inferred:
    'Values the source implies but does not state: field (or dotted path) → how it was inferred. Absent when every value is stated.',
} as const;

const VALID_TIME = 'valid time, see [Valid time](#valid-time-occurredat)';

const ENVELOPE_FIELD_NOTES: Record<string, string> = {
  eventId: 'chosen by the client for idempotent retries, else by the server',
  schemaVersion: 'the version of the `type`’s schema that `data` follows',
  occurredAt: VALID_TIME,
  data: 'the domain event, validated by the schema of `type` and `schemaVersion` (see Event types)',
  'metadata.sources[].quote': 'a sentence or clause copied verbatim from the source',
  'metadata.sources[].attribution': 'who the source attributes the quoted words to',
};

const DATA_FIELD_NOTES: Record<string, string> = {
  pillars: 'see [Pillars](#pillars)',
  pillar: 'see [Pillars](#pillars)',
  patch: 'a JSON merge patch (RFC 7396) for the corrected event’s `data`',
  occurredAt: `the corrected ${VALID_TIME}`,
};

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
  description?: string;
};

interface FieldRow {
  path: string;
  type: string;
  required: boolean;
  notes: string;
}

function fieldTable(
  schema: z.ZodType,
  io: 'input' | 'output',
  fieldNotes: Record<string, string> = {},
): string[] {
  const json = jsonSchemaOf(schema, io) as JsonSchema;
  const rows: FieldRow[] = [];
  collectRows(json, '', rows, fieldNotes);
  return table(
    ['field', 'type', 'required', 'description / constraints'],
    rows.map((r) => [code(r.path), r.type, r.required ? 'yes' : 'no', r.notes]),
  );
}

function collectRows(
  schema: JsonSchema,
  prefix: string,
  rows: FieldRow[],
  fieldNotes: Record<string, string>,
): void {
  const required = new Set(schema.required ?? []);
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const path = `${prefix}${name}`;
    const described = [fieldNotes[path], notes(property)].filter(Boolean).join('; ');
    rows.push({ path, type: typeName(property), required: required.has(name), notes: described });
    if (property.properties) collectRows(property, `${path}.`, rows, fieldNotes);
    else if (property.items?.properties) collectRows(property.items, `${path}[].`, rows, fieldNotes);
  }
}

function typeName(schema: JsonSchema): string {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return alternatives.map(typeName).join(' | ');
  if (isPillarEnum(schema.enum)) return 'pillar id';
  if (schema.enum) return schema.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' | ');
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : schema.type;
  if (type === 'array') {
    const item = schema.items ? typeName(schema.items) : 'unknown';
    return item.includes(' | ') ? `array of (${item})` : `array of ${item}`;
  }
  if (type === 'object' && !schema.properties) return 'object (any keys)';
  if (type === 'string' && schema.format) return `string (${schema.format})`;
  return type ?? 'any';
}

function isPillarEnum(values: unknown[] | undefined): boolean {
  return values !== undefined && values.length === PILLARS.length && PILLARS.every((p, i) => values[i] === p);
}

function notes(schema: JsonSchema): string {
  const parts: string[] = [];
  if (schema.description) parts.push(schema.description);
  const length = range(schema.minLength, schema.maxLength, 'characters');
  if (length) parts.push(length);
  const items = range(schema.minItems, schema.maxItems, 'items');
  if (items) parts.push(items);
  if (schema.items) {
    const itemLength = range(schema.items.minLength, schema.items.maxLength, 'characters');
    if (itemLength) parts.push(`each ${itemLength}`);
  }
  if (schema.exclusiveMinimum !== undefined) parts.push(`> ${schema.exclusiveMinimum}`);
  if (schema.minimum !== undefined) parts.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined && schema.maximum !== Number.MAX_SAFE_INTEGER)
    parts.push(`≤ ${schema.maximum}`);
  if (schema.exclusiveMaximum !== undefined) parts.push(`< ${schema.exclusiveMaximum}`);
  // A format (uuid, date-time) says more than the long pattern zod generates for it.
  if (schema.pattern && !schema.format) parts.push(`matches \`${schema.pattern}\``);
  if (schema.default !== undefined) parts.push(`default \`${JSON.stringify(schema.default)}\``);
  if (schema.type === 'object' && schema.additionalProperties === false) parts.push('no other fields');
  return parts.join('; ');
}

function range(min: number | undefined, max: number | undefined, unit: string): string | undefined {
  if (min !== undefined && max !== undefined) return `${min}–${max} ${unit}`;
  if (max !== undefined) return `at most ${max} ${unit}`;
  if (min !== undefined) return `at least ${min} ${unit}`;
  return undefined;
}

const code = (text: string) => `\`${text}\``;

/**
 * A table laid out the way `biome format` lays out markdown (columns padded to their widest cell),
 * so the generated file passes the lint as written.
 */
function table(header: string[], rows: string[][]): string[] {
  const cells = [header, ...rows].map((row) => row.map(cell));
  const widths = header.map((_, i) => Math.max(3, ...cells.map((row) => width(row[i] ?? ''))));
  const line = (row: string[]) => `| ${widths.map((w, i) => pad(row[i] ?? '', w)).join(' | ')} |`;
  const [head, ...body] = cells;
  return [line(head!), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
}

const width = (text: string) => [...text].length;
const pad = (text: string, to: number) => text + ' '.repeat(to - width(text));

/** Table cells: a `|` would end the cell (also inside code spans, in GitHub's tables), a newline the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
