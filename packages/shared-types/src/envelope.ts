import { z } from 'zod';

/**
 * Valid time granularity. "In 2021" is `{ start: '2021', precision: 'year' }`: never a false exact day.
 * Years before 1 CE use ISO 8601's expanded form with astronomical numbering, as JavaScript dates
 * (and TimelineJS) count them: `-000043` is the year JavaScript calls -43 (44 BCE).
 */
export const PRECISIONS = ['year', 'month', 'day', 'minute'] as const;
export type Precision = (typeof PRECISIONS)[number];

const PRECISION_FORMAT: Record<Precision, RegExp> = {
  year: /^(\d{4}|-\d{6})$/,
  month: /^(\d{4}|-\d{6})-(0[1-9]|1[0-2])$/,
  day: /^(\d{4}|-\d{6})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
  minute:
    /^(\d{4}|-\d{6})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/,
};

const PRECISION_EXAMPLE: Record<Precision, string> = {
  year: '2021',
  month: '2024-07',
  day: '2024-07-24',
  minute: '2024-07-24T09:30+05:30',
};

export const OccurredAtSchema = z
  .strictObject({
    start: z.string().max(40),
    end: z.string().max(40).optional(),
    precision: z.enum(PRECISIONS),
    /** How a date the source does not state was derived; absent when the source states it. */
    derivation: z.string().min(1).max(500).optional(),
  })
  .superRefine((value, ctx) => {
    const format = PRECISION_FORMAT[value.precision];
    for (const key of ['start', 'end'] as const) {
      const v = value[key];
      if (v !== undefined && !format.test(v)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `must match precision '${value.precision}' (e.g. ${PRECISION_EXAMPLE[value.precision]})`,
        });
      } else if (v !== undefined && !isCalendarDay(v, value.precision)) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'is not a calendar date' });
      }
    }
    if (value.end !== undefined && format.test(value.start) && format.test(value.end)) {
      if (validTimeBounds(value).startMs > validTimeBounds({ ...value, start: value.end }).startMs) {
        ctx.addIssue({ code: 'custom', path: ['end'], message: 'must not be before start' });
      }
    }
  });
export type OccurredAt = z.infer<typeof OccurredAtSchema>;

/** The format alone lets 2024-02-31 through, and `Date.parse` would quietly roll it into March. */
function isCalendarDay(value: string, precision: Precision): boolean {
  if (precision !== 'day' && precision !== 'minute') return true;
  const { year, month, day } = dateParts(value);
  return day <= new Date(utc(year, month + 1, 0)).getUTCDate();
}

/** Year, month and day of a valid-time string, the sign of an expanded year kept. */
function dateParts(value: string): { year: number; month: number; day: number } {
  const [, year, month, day] = /^(-?\d+)(?:-(\d{2}))?(?:-(\d{2}))?/.exec(value) ?? [];
  return { year: Number(year), month: Number(month ?? 1), day: Number(day ?? 1) };
}

/** `Date.UTC` reads years 0-99 as 1900-1999; this does not. `month` is 1-based, `day` may be 0. */
function utc(year: number, month: number, day: number): number {
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

/**
 * The half-open interval [startMs, endMs) that a valid time covers, honouring precision:
 * a year-precision date covers the whole year, so it overlaps any window that touches it.
 */
export function validTimeBounds(at: OccurredAt): { startMs: number; endMs: number } {
  const startMs = boundStart(at.start, at.precision);
  const last = at.end ?? at.start;
  return { startMs, endMs: boundEnd(last, at.precision) };
}

function boundStart(value: string, precision: Precision): number {
  const { year, month, day } = dateParts(value);
  switch (precision) {
    case 'year':
      return utc(year, 1, 1);
    case 'month':
      return utc(year, month, 1);
    case 'day':
      return utc(year, month, day);
    case 'minute':
      return Date.parse(value);
  }
}

function boundEnd(value: string, precision: Precision): number {
  const { year, month, day } = dateParts(value);
  switch (precision) {
    case 'year':
      return utc(year + 1, 1, 1);
    case 'month':
      return utc(year, month + 1, 1);
    case 'day':
      return utc(year, month, day + 1);
    case 'minute':
      return Date.parse(value) + 60_000;
  }
}

function sourceSchema<Url extends z.ZodType<string>>(url: Url) {
  return z.strictObject({
    publisher: z.string().min(1).max(200),
    title: z.string().min(1).max(300),
    /** A sentence or clause copied verbatim from the source. */
    quote: z.string().min(1).max(2000),
    /** Who the source attributes the quoted words to (e.g. the MEA, the British readout). */
    attribution: z.string().min(1).max(200).optional(),
    url: url.optional(),
  });
}

/** A web page a reader can open: http: or https: only (a `javascript:` or `data:` link is a trap). */
export const SourceUrlSchema = z
  .url({ protocol: /^https?$/i, message: 'must be an http: or https: URL' })
  .max(2000);
/** What a client may send now. */
export const SourceSchema = sourceSchema(SourceUrlSchema);
export type Source = z.infer<typeof SourceSchema>;
/**
 * What the log may hold: events recorded before URLs were limited to http(s) keep theirs, so old
 * data replays and reads as it was (a reader must not throw on it; renderers check the scheme).
 */
export const StoredSourceSchema = sourceSchema(z.url().max(2000));

function metadataSchema<Source extends z.ZodType>(source: Source) {
  return z.strictObject({
    correlationId: z.string().min(1).max(200).optional(),
    causationId: z.string().min(1).max(200).optional(),
    recordedBy: z.string().min(1).max(200).optional(),
    sources: z.array(source).max(50).default([]),
  });
}

export const MetadataSchema = metadataSchema(SourceSchema);
export type Metadata = z.infer<typeof MetadataSchema>;
export type MetadataInput = z.input<typeof MetadataSchema>;
/** The metadata of a stored event: see StoredSourceSchema. */
export const StoredMetadataSchema = metadataSchema(StoredSourceSchema);

export const STREAM_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;
export const StreamIdSchema = z
  .string()
  .regex(
    STREAM_ID_PATTERN,
    'must be 1-200 characters of letters, digits, ".", "_", ":" or "-", starting with a letter or digit',
  );

export const EVENT_TYPE_PATTERN = /^[A-Z][A-Za-z0-9]{0,99}$/;
export const EventIdSchema = z.uuid();

/** What a client sends for one event. The store assigns versions, positions and recordedAt. */
export const NewEventSchema = z.strictObject({
  eventId: EventIdSchema.optional(),
  type: z.string().regex(EVENT_TYPE_PATTERN, 'must be a PascalCase event type name'),
  schemaVersion: z.number().int().min(1).max(1000).optional(),
  occurredAt: OccurredAtSchema,
  data: z.record(z.string(), z.unknown()),
  metadata: MetadataSchema.optional(),
});
export type NewEvent = z.input<typeof NewEventSchema>;

/** A stored event: the envelope around a typed domain event. */
export const EventEnvelopeSchema = z.strictObject({
  eventId: EventIdSchema,
  streamId: StreamIdSchema,
  streamVersion: z.number().int().min(1),
  position: z.number().int().min(1),
  type: z.string().regex(EVENT_TYPE_PATTERN),
  schemaVersion: z.number().int().min(1),
  occurredAt: OccurredAtSchema,
  recordedAt: z.iso.datetime({ offset: true }),
  data: z.record(z.string(), z.unknown()),
  metadata: StoredMetadataSchema,
});

/** `data` is typed by `type` once the catalog has validated it; see `DomainEventEnvelope`. */
export type EventEnvelope<Type extends string = string, Data = Record<string, unknown>> = Omit<
  z.infer<typeof EventEnvelopeSchema>,
  'type' | 'data'
> & { type: Type; data: Data };

export const EXPECTED_VERSION_KEYWORDS = ['no_stream', 'any'] as const;
export const ExpectedVersionSchema = z.union([z.number().int().min(0), z.enum(EXPECTED_VERSION_KEYWORDS)]);
/** A number (the stream's current version; 0 means empty), `no_stream`, or `any`. */
export type ExpectedVersion = z.infer<typeof ExpectedVersionSchema>;
