import { uuidV5 } from './event-id.js';
import { ImportCollector, type ImportValidation, validateRecord } from './validate-events.js';

/**
 * TimelineJS JSON (`{title?, events: [{start_date, end_date?, text: {headline, text}, group?,
 * media?, unique_id?}]}`) as events of one stream.
 *
 * A slide says when and what, never which kind of fact it is, and every catalog type asks for
 * fields a slide does not have (a meeting's participants, a statement's speaker). Rather than invent
 * them, the caller names the type (`--type`) and supplies what the slides lack (`--data '{json}'`,
 * merged into every slide's data); each mapped slide is then validated like any other event.
 *
 * - `text.headline` → `data.title`, `text.text` → `data.summary`, both as plain text (TimelineJS
 *   fields are HTML: tags are dropped, entities decoded).
 * - `start_date`/`end_date` → `occurredAt` at the precision the date gives (year, month, day; hour
 *   and minute → minute precision in UTC, said so in `derivation`, since TimelineJS has no time zone).
 * - a source naming the file: the slide's own words are the verbatim quote.
 * - `unique_id` → a deterministic eventId (UUID v5 of stream + unique_id), so a re-import of an
 *   edited slide is a conflict to resolve with a correction, not a silent second fact; slides
 *   without one get an id from their content.
 * - `group` and `media` other than a URL are not imported.
 */
export interface TimelineJsImportOptions {
  streamId: string;
  type: string;
  extraData?: Record<string, unknown>;
  /** Names the file in each event's source. */
  fileName: string;
}

interface SlideDate {
  year?: unknown;
  month?: unknown;
  day?: unknown;
  hour?: unknown;
  minute?: unknown;
}

export function validateTimelineJs(document: unknown, options: TimelineJsImportOptions): ImportValidation {
  if (
    typeof document !== 'object' ||
    document === null ||
    !Array.isArray((document as { events?: unknown }).events)
  ) {
    return {
      ok: false,
      problems: [{ line: 0, path: 'events', message: 'a TimelineJS file is an object with an events array' }],
    };
  }
  const doc = document as { title?: { text?: { headline?: unknown } }; events: unknown[] };
  const docTitle = plainText(doc.title?.text?.headline);
  const collected = new ImportCollector();
  for (const [index, slide] of doc.events.entries()) {
    const line = index + 1;
    const mapped = mapSlide(slide, options, docTitle);
    if ('problem' in mapped) {
      const { path, message } = mapped.problem;
      collected.add({ problems: [{ line, path: `events.${index}.${path}`, message }] });
      continue;
    }
    const result = validateRecord(mapped.record, line, { defaultStream: options.streamId });
    if ('event' in result && mapped.id) result.event.event.eventId = mapped.id;
    collected.add(result, (p) => ({ ...p, path: `events.${index} → ${p.path}` }));
  }
  return collected.result();
}

function mapSlide(
  slide: unknown,
  options: TimelineJsImportOptions,
  docTitle: string | undefined,
): { record: Record<string, unknown>; id?: string } | { problem: { path: string; message: string } } {
  if (typeof slide !== 'object' || slide === null)
    return { problem: { path: '', message: 'must be an object' } };
  const s = slide as {
    start_date?: SlideDate;
    end_date?: SlideDate;
    text?: { headline?: unknown; text?: unknown };
    unique_id?: unknown;
    media?: { url?: unknown };
  };
  if (!s.start_date) return { problem: { path: 'start_date', message: 'is required' } };
  const start = slideDate(s.start_date);
  if ('error' in start) return { problem: { path: `start_date.${start.path}`, message: start.error } };
  const end = s.end_date ? slideDate(s.end_date) : undefined;
  if (end && 'error' in end) return { problem: { path: `end_date.${end.path}`, message: end.error } };
  const headline = plainText(s.text?.headline);
  const body = plainText(s.text?.text);
  const title = headline ?? body?.slice(0, 300);
  if (!title) return { problem: { path: 'text.headline', message: 'a slide needs a headline or a text' } };

  const precision = end ? coarser(start.precision, end.precision) : start.precision;
  const occurredAt: Record<string, unknown> = { start: formatDate(start, precision), precision };
  if (end) occurredAt.end = formatDate(end, precision);
  if (precision === 'minute')
    occurredAt.derivation = 'TimelineJS gives no time zone: the time is taken as UTC.';
  else if (end && end.precision !== start.precision) {
    occurredAt.derivation = `TimelineJS start and end dates differ in precision: both kept to ${precision}.`;
  }

  const source: Record<string, unknown> = {
    publisher: `TimelineJS file ${options.fileName}`.slice(0, 200),
    title: (docTitle ?? options.fileName).slice(0, 300),
    quote: (body ?? title).slice(0, 2000),
  };
  if (typeof s.media?.url === 'string' && /^https?:\/\//.test(s.media.url)) source.url = s.media.url;

  const data: Record<string, unknown> = { ...(options.extraData ?? {}), title };
  if (body && body !== title) data.summary = body;
  const record = {
    streamId: options.streamId,
    type: options.type,
    occurredAt,
    data,
    metadata: { sources: [source] },
  };
  const uniqueId =
    typeof s.unique_id === 'string' || typeof s.unique_id === 'number' ? String(s.unique_id) : undefined;
  return uniqueId ? { record, id: uuidV5(`timelinejs:${options.streamId}:${uniqueId}`) } : { record };
}

type Precision = 'year' | 'month' | 'day' | 'minute';
interface ParsedDate {
  precision: Precision;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const RANK: Record<Precision, number> = { year: 0, month: 1, day: 2, minute: 3 };

function coarser(a: Precision, b: Precision): Precision {
  return RANK[a] <= RANK[b] ? a : b;
}

function slideDate(date: SlideDate): ParsedDate | { path: string; error: string } {
  const part = (
    name: keyof SlideDate,
    min: number,
    max: number,
  ): number | undefined | { path: string; error: string } => {
    const raw = date[name];
    if (raw === undefined || raw === '' || raw === null) return undefined;
    const n =
      typeof raw === 'number'
        ? raw
        : typeof raw === 'string' && /^-?\d+$/.test(raw.trim())
          ? Number(raw)
          : Number.NaN;
    if (!Number.isInteger(n) || n < min || n > max)
      return { path: name, error: `must be a whole number from ${min} to ${max}` };
    return n;
  };
  const year = part('year', 1, 9999);
  const month = part('month', 1, 12);
  const day = part('day', 1, 31);
  const hour = part('hour', 0, 23);
  const minute = part('minute', 0, 59);
  for (const p of [year, month, day, hour, minute]) if (typeof p === 'object') return p;
  if (year === undefined) return { path: 'year', error: 'is required' };
  const precision: Precision =
    hour !== undefined ? 'minute' : day !== undefined ? 'day' : month !== undefined ? 'month' : 'year';
  return {
    precision,
    year: year as number,
    month: (month as number | undefined) ?? 1,
    day: (day as number | undefined) ?? 1,
    hour: (hour as number | undefined) ?? 0,
    minute: (minute as number | undefined) ?? 0,
  };
}

function formatDate(d: ParsedDate, precision: Precision): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const y = pad(d.year, 4);
  if (precision === 'year') return y;
  if (precision === 'month') return `${y}-${pad(d.month)}`;
  if (precision === 'day') return `${y}-${pad(d.month)}-${pad(d.day)}`;
  return `${y}-${pad(d.month)}-${pad(d.day)}T${pad(d.hour)}:${pad(d.minute)}Z`;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** HTML to plain text: tags dropped (block ends become spaces), entities decoded, space collapsed. */
export function plainText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value
    .replace(/<(br|\/p|\/div|\/li|\/blockquote)\b[^>]*>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, entity: string) => {
      if (entity.startsWith('#')) {
        const code = /^#x/i.test(entity) ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1));
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
      }
      return ENTITIES[entity.toLowerCase()] ?? match;
    })
    .replace(/\s+/g, ' ')
    .trim();
  return text === '' ? undefined : text;
}
