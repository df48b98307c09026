import { z } from 'zod';
import { PILLAR_LABELS, PILLARS, type Pillar } from './catalog/pillars.js';
import {
  type DomainEventEnvelope,
  EVENT_CATALOG,
  isEventType,
  LINEAGE_EVENT_TYPES,
} from './catalog/registry.js';
import { canonicalJson } from './canonical.js';
import { upcastEnvelope } from './catalog/upcasters.js';
import {
  EVENT_TYPE_PATTERN,
  type EventEnvelope,
  EventEnvelopeSchema,
  type OccurredAt,
  StreamIdSchema,
  validTimeBounds,
} from './envelope.js';
import { IsoDateOrInstantSchema } from './dto.js';
import { parseWith } from './validation.js';
import { applyToTimeline, compareItems, matchesTimelineFilter, type TimelineItem } from './timeline.js';

/**
 * Replays: the one definition of what a replay selects and what it returns, shared by the API (which
 * reads the store) and the CLI (which can read the Kafka topic instead), so both give the same bytes.
 *
 * A selection has three parts.
 *
 * 1. The knowledge horizon: the events recorded at or before `asOf` (knowledge time) and at or below
 *    log position `until`. Knowledge time never goes backwards along the log, so the horizon is always
 *    a prefix of the log, 1..H. Nothing past H exists for the replay: neither facts nor the
 *    corrections and retractions of them.
 * 2. Subject filters: `streams`, `types`, `pillars`, `actors` and the valid-time window `from`/`to`.
 *    The subject of a fact is the fact; the subject of a correction or retraction is the fact it is
 *    about, as that fact was recorded. The window honours precision: an event dated "2021" covers
 *    the whole of 2021 and overlaps any window that touches it (`valid_from <= windowEnd AND
 *    valid_to > windowStart`). A date-only `to` runs to the end of that day (month, year).
 * 3. The mode, which says what comes out, one canonical JSON value per line (NDJSON):
 *    - `events`: the log envelopes in the horizon with position > `after`, upcast to the current
 *      catalog version, in position order, whose subject passes the filters. So a fact that matches
 *      brings its corrections and retractions with it. `types` and `streams` also match a correction's
 *      or retraction's own type and stream, so `types=EventRetracted` lists retractions.
 *      A correction whose fact is outside the horizon has no subject: it passes only filters on its
 *      own type or stream.
 *    - `timeline`: the timeline folded over the horizon (corrections applied, retractions hidden),
 *      then filtered on the corrected items by stream, type, pillar, actor and window, in timeline
 *      order (valid time, then position). `after` does not apply: a fold starts at position 1.
 *
 * The same selection over the same horizon always gives the same bytes, whether it is read from the
 * store or from Kafka. Pin the horizon (`until`) to make a replay repeatable while the log grows.
 */
export const REPLAY_MODES = ['events', 'timeline'] as const;
export type ReplayMode = (typeof REPLAY_MODES)[number];

/** A replay selection, normalized: `asOf` is an ISO instant, lists are never empty. */
export interface ReplaySelection {
  mode: ReplayMode;
  /** Exclusive lower bound on position (events mode). */
  after: number;
  /** Inclusive upper bound on position: the horizon. */
  until?: number;
  streams?: readonly string[];
  types?: readonly string[];
  pillars?: readonly Pillar[];
  actors?: readonly string[];
  /** Valid-time window, as given: ISO date (`2024`, `2024-07`, `2024-07-24`) or datetime. */
  occurredFrom?: string;
  occurredTo?: string;
  /** Knowledge time, as an ISO instant (`2024-08-01` means 2024-08-01T00:00:00.000Z). */
  asOf?: string;
}

const csvList = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .string()
    .max(4000)
    .transform((s) =>
      s
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).max(100));

const position = z.coerce
  .number({ message: 'must be a log position (a whole number)' })
  .int('must be a whole number')
  .min(0, 'must be 0 or more')
  .max(Number.MAX_SAFE_INTEGER);

/**
 * The selection as it arrives in a query string (`GET /api/replay?…`) or from CLI flags: lists are
 * comma-separated, unknown parameters are refused. Parse it, then `normalizeReplaySelection`.
 */
export const ReplayQuerySchema = z
  .strictObject({
    mode: z.enum(REPLAY_MODES).default('events'),
    after: position.optional(),
    until: position.optional(),
    streams: csvList(StreamIdSchema).optional(),
    types: csvList(z.string().regex(EVENT_TYPE_PATTERN, 'must be a PascalCase event type name')).optional(),
    pillars: csvList(z.enum(PILLARS)).optional(),
    actors: csvList(z.string().min(1).max(200)).optional(),
    from: IsoDateOrInstantSchema.optional(),
    to: IsoDateOrInstantSchema.optional(),
    asOf: IsoDateOrInstantSchema.optional(),
  })
  .superRefine((q, ctx) => {
    if (q.after !== undefined && q.until !== undefined && q.until < q.after) {
      ctx.addIssue({ code: 'custom', path: ['until'], message: `must not be below after (${q.after})` });
    }
    if (q.mode === 'timeline' && q.after !== undefined && q.after > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['after'],
        message: 'applies to mode=events only: a timeline folds the log from position 1 (use until or asOf)',
      });
    }
    if (q.from !== undefined && q.to !== undefined && windowStartMs(q.from) > windowEndMs(q.to)) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    }
  })
  .transform((q): ReplaySelection => normalizeReplaySelection(q));
export type ReplayQuery = z.input<typeof ReplayQuerySchema>;

/** Builds a normalized selection from parsed parts (empty lists dropped, `asOf` made an instant). */
export function normalizeReplaySelection(q: {
  mode?: ReplayMode;
  after?: number | undefined;
  until?: number | undefined;
  streams?: readonly string[] | undefined;
  types?: readonly string[] | undefined;
  pillars?: readonly Pillar[] | undefined;
  actors?: readonly string[] | undefined;
  from?: string | undefined;
  to?: string | undefined;
  asOf?: string | undefined;
}): ReplaySelection {
  const selection: ReplaySelection = { mode: q.mode ?? 'events', after: q.after ?? 0 };
  if (q.until !== undefined) selection.until = q.until;
  if (q.streams?.length) selection.streams = [...q.streams];
  if (q.types?.length) selection.types = [...q.types];
  if (q.pillars?.length) selection.pillars = [...q.pillars];
  if (q.actors?.length) selection.actors = [...q.actors];
  if (q.from !== undefined) selection.occurredFrom = q.from;
  if (q.to !== undefined) selection.occurredTo = q.to;
  if (q.asOf !== undefined) selection.asOf = knowledgeInstant(q.asOf);
  return selection;
}

/** `asOf` as an exact instant: a date alone means its first millisecond, UTC (as `Date.parse` reads it). */
export function knowledgeInstant(asOf: string): string {
  const ms = Date.parse(asOf);
  if (Number.isNaN(ms)) throw new RangeError(`'${asOf}' is not an ISO date or datetime`);
  return new Date(ms).toISOString();
}

/** The first millisecond of a window that starts at `from` (a date means the start of that day, month or year). */
export function windowStartMs(from: string): number {
  if (/^\d{4}$/.test(from)) return Date.UTC(Number(from), 0, 1);
  return Date.parse(from);
}

/** The last millisecond of a window that ends at `to`: `2024-07-24` runs through the end of that day. */
export function windowEndMs(to: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(to)) return Date.parse(`${to}T00:00:00Z`) + 86_400_000 - 1;
  if (/^\d{4}-\d{2}$/.test(to)) {
    const [y, m] = to.split('-').map(Number) as [number, number];
    return Date.UTC(y, m, 1) - 1;
  }
  if (/^\d{4}$/.test(to)) return Date.UTC(Number(to) + 1, 0, 1) - 1;
  return Date.parse(to);
}

/** The valid-time window as instants, for SQL: overlap is `valid_from <= end AND valid_to > start`. */
export function validWindow(selection: ReplaySelection): { start?: string; end?: string } {
  const window: { start?: string; end?: string } = {};
  if (selection.occurredFrom !== undefined)
    window.start = new Date(windowStartMs(selection.occurredFrom)).toISOString();
  if (selection.occurredTo !== undefined)
    window.end = new Date(windowEndMs(selection.occurredTo)).toISOString();
  return window;
}

/** Whether a valid time overlaps the selection's window, honouring its precision. */
export function overlapsWindow(occurredAt: OccurredAt, selection: ReplaySelection): boolean {
  const { startMs, endMs } = validTimeBounds(occurredAt);
  if (selection.occurredFrom !== undefined && !(endMs > windowStartMs(selection.occurredFrom))) return false;
  if (selection.occurredTo !== undefined && !(startMs <= windowEndMs(selection.occurredTo))) return false;
  return true;
}

/** Whether an event is inside the knowledge horizon (`until`, `asOf`). */
export function withinHorizon(
  event: { position: number; recordedAt: string },
  selection: ReplaySelection,
): boolean {
  if (selection.until !== undefined && event.position > selection.until) return false;
  if (selection.asOf !== undefined && Date.parse(event.recordedAt) > Date.parse(selection.asOf)) return false;
  return true;
}

/** What the subject filters look at: a fact as it was recorded. */
export interface ReplaySubject {
  eventId: string;
  type: string;
  streamId: string;
  occurredAt: OccurredAt;
  pillars: readonly string[];
  actors: readonly string[];
}

export function isLineageEvent(
  event: DomainEventEnvelope,
): event is Extract<DomainEventEnvelope, { type: 'EventCorrected' | 'EventRetracted' }> {
  return (LINEAGE_EVENT_TYPES as readonly string[]).includes(event.type);
}

/** The fact a correction or retraction is about; undefined for a fact. */
export function lineageTargetOf(event: DomainEventEnvelope): string | undefined {
  if (event.type === 'EventCorrected') return event.data.correctedEventId;
  if (event.type === 'EventRetracted') return event.data.retractedEventId;
  return undefined;
}

/** The subject of a fact; undefined for a correction or retraction (their subject is their target's). */
export function subjectOf(event: DomainEventEnvelope): ReplaySubject | undefined {
  if (isLineageEvent(event)) return undefined;
  const data = event.data as { pillars?: unknown; actors?: unknown };
  return {
    eventId: event.eventId,
    type: event.type,
    streamId: event.streamId,
    occurredAt: event.occurredAt,
    pillars: Array.isArray(data.pillars) ? (data.pillars as string[]) : [],
    actors: Array.isArray(data.actors) ? (data.actors as string[]) : [],
  };
}

/** Whether the selection filters on anything a correction must borrow from its fact. */
export function needsSubjects(selection: ReplaySelection): boolean {
  return Boolean(
    selection.streams ||
      selection.types ||
      selection.pillars ||
      selection.actors ||
      selection.occurredFrom !== undefined ||
      selection.occurredTo !== undefined,
  );
}

/**
 * Events mode: whether one event in the horizon (and past `after`) is replayed. `subject` is the
 * event's own subject for a fact, its target's for a correction or retraction (undefined when the
 * target is not in the horizon).
 */
export function selectsEvent(
  event: DomainEventEnvelope,
  subject: ReplaySubject | undefined,
  selection: ReplaySelection,
): boolean {
  if (event.position <= selection.after || !withinHorizon(event, selection)) return false;
  const { streams, types, pillars, actors } = selection;
  if (types && !types.includes(event.type) && !(subject && types.includes(subject.type))) return false;
  if (streams && !streams.includes(event.streamId) && !(subject && streams.includes(subject.streamId)))
    return false;
  if (pillars && !subject?.pillars.some((p) => (pillars as readonly string[]).includes(p))) return false;
  if (actors && !subject?.actors.some((a) => actors.includes(a))) return false;
  if (selection.occurredFrom !== undefined || selection.occurredTo !== undefined) {
    if (!subject || !overlapsWindow(subject.occurredAt, selection)) return false;
  }
  return true;
}

/** Looks up the recorded facts (in the horizon) that the given corrections and retractions are about. */
export type SubjectResolver = (eventIds: readonly string[]) => Promise<ReadonlyMap<string, ReplaySubject>>;

/**
 * Events mode over a source that yields the horizon in position order, page by page. Facts are
 * their own subjects; targets outside the page are looked up with `resolve`, once per page.
 */
export async function* selectReplayEvents(
  pages: AsyncIterable<readonly DomainEventEnvelope[]> | Iterable<readonly DomainEventEnvelope[]>,
  selection: ReplaySelection,
  resolve: SubjectResolver,
): AsyncGenerator<DomainEventEnvelope> {
  const subjectsNeeded = needsSubjects(selection);
  for await (const page of pages) {
    const subjects = new Map<string, ReplaySubject>();
    if (subjectsNeeded) {
      for (const event of page) {
        const subject = subjectOf(event);
        if (subject) subjects.set(subject.eventId, subject);
      }
      const missing = [
        ...new Set(
          page.map(lineageTargetOf).filter((id): id is string => id !== undefined && !subjects.has(id)),
        ),
      ];
      if (missing.length > 0) for (const [id, subject] of await resolve(missing)) subjects.set(id, subject);
    }
    for (const event of page) {
      const target = lineageTargetOf(event);
      const subject = target === undefined ? subjectOf(event) : subjects.get(target);
      if (selectsEvent(event, subject, selection)) yield event;
    }
  }
}

/** Timeline mode: the fold over the horizon, then the subject filters on the corrected items. */
export class TimelineReplay {
  private readonly items = new Map<string, TimelineItem>();
  private last = 0;

  constructor(private readonly selection: ReplaySelection) {}

  /** Applies the next event of the horizon (position order); events past the horizon are refused. */
  apply(event: DomainEventEnvelope): void {
    if (!withinHorizon(event, this.selection)) return;
    applyToTimeline(this.items, event);
    this.last = Math.max(this.last, event.position);
  }

  /** The last position applied. */
  get position(): number {
    return this.last;
  }

  result(): TimelineItem[] {
    return selectTimelineItems(this.items.values(), this.selection);
  }
}

/** Filters folded items with the selection and puts them in timeline order. Retracted items are hidden. */
export function selectTimelineItems(
  items: Iterable<TimelineItem>,
  selection: ReplaySelection,
): TimelineItem[] {
  const filter = {
    ...(selection.pillars ? { pillars: selection.pillars } : {}),
    ...(selection.actors ? { actors: selection.actors } : {}),
    ...(selection.types ? { types: selection.types } : {}),
    ...(selection.streams ? { streams: selection.streams } : {}),
  };
  const selected: TimelineItem[] = [];
  for (const item of items) {
    if (!item.retracted && matchesTimelineFilter(item, filter) && overlapsWindow(item.occurredAt, selection))
      selected.push(item);
  }
  return selected.sort(compareItems);
}

/**
 * Reads a stored envelope exactly as `decodeKafkaMessage` reads one from the topic (envelope schema,
 * then upcast), so a replay from the store and one from Kafka see the same values.
 */
export function readStoredEnvelope(raw: unknown): DomainEventEnvelope {
  return upcastEnvelope(parseWith(EventEnvelopeSchema, raw, 'stored event'));
}

/**
 * Reads an envelope from a row of the API's own store: the same values as `readStoredEnvelope`
 * without re-running zod where that cannot change them. Re-validation was ~11 % of a replay's time.
 *
 * Why skipping is safe: the store's only writer is its append path, which validated each event
 * before writing it and stored what the schemas returned (data parsed against its type's schema at
 * its version with defaults applied and strings trimmed, metadata and valid time parsed); positions,
 * versions, ids and times come from typed columns. Parsing such a value again with the same schema
 * returns it unchanged (defaults are already present, trimmed text stays trimmed), and canonical
 * JSON ignores key order, so the replay's bytes are the same. That holds only while the schema is
 * the one the row was written with, which is what its `schemaVersion` names (a schema never changes
 * within a version: a change is a new version plus an upcaster). So validation is skipped only for a
 * known type at its current version with plain-object data and metadata. Anything else (an older
 * version, which must be upcast, an unknown type or version, a malformed row) takes the full path and
 * is checked exactly as a Kafka message or a file would be.
 */
export function readOwnStoredEnvelope(raw: EventEnvelope): DomainEventEnvelope {
  const { type, schemaVersion, data, metadata } = raw;
  if (
    isEventType(type) &&
    schemaVersion === EVENT_CATALOG[type].current &&
    isPlainRecord(data) &&
    isPlainRecord(metadata) &&
    Array.isArray(metadata.sources)
  ) {
    return raw as DomainEventEnvelope;
  }
  return readStoredEnvelope(raw);
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const NDJSON_CONTENT_TYPE = 'application/x-ndjson';

/** One line of a replay or an export: canonical JSON, so equal values are equal bytes. */
export function ndjsonLine(value: unknown): string {
  return `${canonicalJson(value)}\n`;
}

// ---------------------------------------------------------------------------------------------------
// Statistics

export interface TimelineStats {
  byPillar: Record<string, number>;
  byActor: Record<string, number>;
  byType: Record<string, number>;
  /**
   * By the month the item's valid time starts (`2024-07`). An item dated only to a year has no month:
   * it is counted under the year alone (`2021`) rather than in a January it may not belong to.
   */
  byMonth: Record<string, number>;
  /** Items counted (retracted items are not on the timeline and are not counted). */
  total: number;
}

/** Counts items by pillar, actor, type and valid-time month. Keys come out sorted. */
export function timelineStats(items: Iterable<TimelineItem>): TimelineStats {
  const byPillar = new Map<string, number>();
  const byActor = new Map<string, number>();
  const byType = new Map<string, number>();
  const byMonth = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  let total = 0;
  for (const item of items) {
    if (item.retracted) continue;
    total += 1;
    for (const pillar of new Set(item.pillars)) bump(byPillar, pillar);
    for (const actor of new Set(item.actors)) bump(byActor, actor);
    bump(byType, item.type);
    bump(byMonth, monthKey(item.occurredAt));
  }
  const sorted = (map: Map<string, number>) =>
    Object.fromEntries([...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    byPillar: sorted(byPillar),
    byActor: sorted(byActor),
    byType: sorted(byType),
    byMonth: sorted(byMonth),
    total,
  };
}

/** The month as written: a time at 23:30 on 31 July in Delhi belongs to July, whatever UTC says. */
function monthKey(at: OccurredAt): string {
  return at.precision === 'year' ? at.start.slice(0, 4) : at.start.slice(0, 7);
}

export const STATS_DIMENSIONS = ['byPillar', 'byActor', 'byType', 'byMonth'] as const;

/** The statistics as CSV: `dimension,key,count`, one row per counter. */
export function statsToCsv(stats: TimelineStats): string {
  const rows: Array<readonly unknown[]> = [['dimension', 'key', 'count']];
  for (const dimension of STATS_DIMENSIONS) {
    for (const [key, count] of Object.entries(stats[dimension]))
      rows.push([dimension.slice(2).toLowerCase(), key, count]);
  }
  return rows.map(csvRow).join('');
}

// ---------------------------------------------------------------------------------------------------
// CSV (RFC 4180)

/**
 * One CSV field: quoted when it holds a comma, a quote, a line break or leading/trailing space; quotes
 * doubled.
 *
 * Formula injection: CSV files get opened in spreadsheets, which run a cell starting with `=`, `+`,
 * `-` or `@` as a formula (tab and carriage return are also treated as starters by some), and the
 * text here comes from whoever appended the events. Such a field gets a leading `'` (the OWASP "CSV
 * injection" advice), which spreadsheets show as text and do not run. Plain numbers (`-3`, `+1.5`,
 * `-1e+21`) and ISO 8601 dates with a signed expanded year (`-000044-03-15`) are left alone: they
 * cannot run anything, and mangling them would corrupt data. A reader that wants the original string
 * back drops a leading `'` when the next character is one of those starters.
 */
export function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text =
    typeof value === 'string' ? value : typeof value === 'object' ? canonicalJson(value) : String(value);
  if (FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) && !SIGNED_ISO_DATE.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const SIGNED_ISO_DATE = /^[+-]\d{6}(?:-\d{2}(?:-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** One CSV record, CRLF-terminated as RFC 4180 says. */
export function csvRow(fields: readonly unknown[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF). For tests and round trips. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else field += ch;
      i += 1;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
    } else field += ch;
    i += 1;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------
// Exports

export const EXPORT_FORMATS = ['jsonl', 'csv', 'timelinejs'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CSV_COLUMNS = [
  'id',
  'stream_id',
  'type',
  'title',
  'summary',
  'occurred_start',
  'occurred_end',
  'precision',
  'derivation',
  'actors',
  'pillars',
  'place',
  'recorded_at',
  'position',
  'last_position',
  'corrections',
  'sources',
  'data',
] as const;

/**
 * One export row: the item's corrected state. Actors and pillars are joined with "; " for reading;
 * `sources` (verbatim quotes included) and `data` are canonical JSON so nothing is lost.
 */
export function exportCsvRow(item: TimelineItem): string {
  return csvRow([
    item.id,
    item.streamId,
    item.type,
    item.title,
    item.summary,
    item.occurredAt.start,
    item.occurredAt.end,
    item.occurredAt.precision,
    item.occurredAt.derivation,
    item.actors.join('; '),
    item.pillars.join('; '),
    item.place,
    item.recordedAt,
    item.position,
    item.lastPosition,
    item.lineage.filter((entry) => entry.kind === 'corrected').length,
    item.sources,
    item.data,
  ]);
}

export const EXPORT_CSV_HEADER = csvRow(EXPORT_CSV_COLUMNS);

/** A TimelineJS date: the parts the valid time states, nothing finer. */
export interface TimelineJsDate {
  year: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
}

export interface TimelineJsSlide {
  start_date: TimelineJsDate;
  end_date?: TimelineJsDate;
  text: { headline: string; text: string };
  group?: string;
  unique_id: string;
}

export interface TimelineJsDocument {
  title?: { text: { headline: string; text: string } };
  events: TimelineJsSlide[];
}

/**
 * TimelineJS renders `headline` and `text` as HTML, so every value is escaped: no event field
 * reaches a page as markup. The text carries the summary, then each source's verbatim quote.
 * Slides are grouped by their first pillar.
 */
export function toTimelineJs(items: Iterable<TimelineItem>, title?: string): TimelineJsDocument {
  const events: TimelineJsSlide[] = [];
  for (const item of items) {
    const paragraphs: string[] = [];
    if (item.summary) paragraphs.push(`<p>${escapeHtml(item.summary)}</p>`);
    for (const source of item.sources) {
      const by = source.attribution ? `${source.attribution}, ` : '';
      paragraphs.push(
        `<blockquote>${escapeHtml(source.quote)}</blockquote><p>— ${escapeHtml(by + source.publisher)}: ${escapeHtml(source.title)}</p>`,
      );
    }
    const slide: TimelineJsSlide = {
      start_date: timelineJsDate(item.occurredAt.start, item.occurredAt.precision),
      text: { headline: escapeHtml(item.title), text: paragraphs.join('') },
      unique_id: item.id,
    };
    if (item.occurredAt.end !== undefined)
      slide.end_date = timelineJsDate(item.occurredAt.end, item.occurredAt.precision);
    const pillar = item.pillars[0];
    if (pillar) slide.group = PILLAR_LABELS[pillar];
    events.push(slide);
  }
  const document: TimelineJsDocument = { events };
  if (title !== undefined) document.title = { text: { headline: escapeHtml(title), text: '' } };
  return document;
}

/** The date parts as written (a minute-precision time keeps its own wall-clock time). */
export function timelineJsDate(value: string, precision: OccurredAt['precision']): TimelineJsDate {
  const [year, month, day, hour, minute] = (value.match(/\d+/g) ?? []).map(Number);
  const date: TimelineJsDate = { year: year ?? 0 };
  if (precision === 'year') return date;
  date.month = month ?? 1;
  if (precision === 'month') return date;
  date.day = day ?? 1;
  if (precision === 'day') return date;
  date.hour = hour ?? 0;
  date.minute = minute ?? 0;
  return date;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
