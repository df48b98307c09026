import { PILLAR_LABELS, PILLARS, type Pillar } from '../catalog/pillars.js';
import type { Precision } from '../envelope.js';
import { plainText } from './html-text.js';

/**
 * One slide, era or spreadsheet row turned into the event that records it. Shared by the CLI's
 * `timeline import` and the web app's drop-to-import, so both map a file the same way.
 *
 * A slide says when and what, never which kind of fact it is, so the caller names the type (FactNoted
 * by default: the catalog's neutral fact) and may supply fields the slides lack (`extraData`). Eras
 * are `EraMarked` events (periods drawn as bands, not facts). The title slide is the timeline's
 * title, not an event: it becomes the title of every event's source.
 *
 * - headline → `data.title`, text → `data.summary`, as plain text (TimelineJS fields are HTML).
 *   A slide with neither (a picture with a date) takes its title from the media caption, credit or
 *   URL, and says so in `data.inferred.title`.
 * - dates → `occurredAt` at the precision given (year, month, day; a time → `minute` precision, to
 *   the second when the slide gives seconds, in UTC: TimelineJS has no time zone, said so in
 *   `derivation`, as is a `display_date`). Negative years are years before the common era.
 * - the source names the file; the slide's own words are the verbatim quote; a media URL is its URL.
 * - a group that names a pillar becomes the pillar; any other is FactNoted's `group`.
 * - `unique_id` names the event id (the caller derives a UUID v5 from `idName`), so a re-import of an
 *   edited slide is a conflict to resolve with a correction, not a silent second fact.
 */
export interface SlideImportOptions {
  streamId: string;
  /** The event type of slides (not eras); default FactNoted. */
  type?: string;
  extraData?: Record<string, unknown>;
  /** Names the file in each event's source. */
  fileName: string;
}

export type ImportUnit = 'slide' | 'era' | 'row' | 'file';

export interface ImportRecord {
  /** 1-based number of the slide, era or spreadsheet row. */
  line: number;
  unit: ImportUnit;
  record: {
    streamId: string;
    type: string;
    occurredAt: Record<string, unknown>;
    data: Record<string, unknown>;
    metadata: { sources: Record<string, unknown>[] };
  };
  /** A stable name to derive the event id from (the file's own id for the slide). */
  idName?: string;
}

export interface ImportIssue {
  line: number;
  unit: ImportUnit;
  path: string;
  message: string;
}

/** What a file maps to, before the catalog validates each record. */
export interface MappedImport {
  title?: string;
  records: ImportRecord[];
  problems: ImportIssue[];
}

/** A date as TimelineJS writes it: numbers or numeric strings, "" for a part not given. */
export interface SlideDateInput {
  year?: unknown;
  month?: unknown;
  day?: unknown;
  hour?: unknown;
  minute?: unknown;
  second?: unknown;
  millisecond?: unknown;
  display_date?: unknown;
}

/** A slide, an era or a row in one shape. */
export interface SlideInput {
  start_date?: SlideDateInput;
  end_date?: SlideDateInput;
  text?: { headline?: unknown; text?: unknown };
  media?: { url?: unknown; caption?: unknown; credit?: unknown };
  group?: unknown;
  display_date?: unknown;
  unique_id?: unknown;
  /** A spreadsheet column chosen as the verbatim quote (general CSV). */
  quote?: unknown;
}

interface SlideContext {
  options: SlideImportOptions;
  title: string | undefined;
  /** Describes the file in the source's publisher ("TimelineJS file x.json"). */
  publisher: string;
}

export type SlideResult = { record: ImportRecord } | { problems: ImportIssue[] };

export function mapSlide(
  slide: SlideInput,
  where: { line: number; unit: ImportUnit },
  context: SlideContext,
): SlideResult {
  const fail = (path: string, message: string): SlideResult => ({ problems: [{ ...where, path, message }] });
  const era = where.unit === 'era';
  if (!hasDate(slide.start_date)) return fail('start_date.year', 'is required');
  const start = slideDate(slide.start_date);
  if ('error' in start) return fail(`start_date.${start.path}`, start.error);
  const end = hasDate(slide.end_date) ? slideDate(slide.end_date) : undefined;
  if (end && 'error' in end) return fail(`end_date.${end.path}`, end.error);
  if (era && !end) return fail('end_date.year', 'is required: an era is a span');

  const headline = plainText(slide.text?.headline);
  const body = plainText(slide.text?.text);
  const inferred: Record<string, string> = {};
  let title = headline ?? body?.slice(0, 300).trim();
  if (!title && !era) {
    const fromMedia = mediaTitle(slide.media);
    if (fromMedia) {
      title = fromMedia.title;
      inferred.title = `The slide has no headline or text: the title is its media ${fromMedia.from}.`;
    }
  }
  if (!title && era) {
    title = `Era ${where.line}`;
    inferred.title = 'The era has no headline: it is named by its number in the file.';
  }
  if (!title)
    return fail('text.headline', 'a slide needs a headline, a text or media with a caption, credit or URL');

  const precision = end ? coarser(start.precision, end.precision) : start.precision;
  const occurredAt: Record<string, unknown> = { start: formatDate(start, precision), precision };
  if (end) occurredAt.end = formatDate(end, precision);
  const notes: string[] = [];
  if (precision === 'minute') notes.push('TimelineJS gives no time zone: the time is taken as UTC.');
  else if (end && end.precision !== start.precision)
    notes.push(`TimelineJS start and end dates differ in precision: both kept to ${precision}.`);
  const shown = plainText(slide.display_date) ?? plainText(slide.start_date?.display_date);
  if (shown) notes.push(`Shown in TimelineJS as "${shown.slice(0, 200)}".`);
  if (notes.length > 0) occurredAt.derivation = notes.join(' ').slice(0, 500);

  const source: Record<string, unknown> = {
    publisher: context.publisher.slice(0, 200),
    title: (context.title ?? context.options.fileName).slice(0, 300),
    quote: (plainText(slide.quote) ?? body ?? title).slice(0, 2000),
  };
  const url = typeof slide.media?.url === 'string' ? slide.media.url.trim() : '';
  if (/^https?:\/\//i.test(url)) source.url = url;

  const type = era ? 'EraMarked' : (context.options.type ?? 'FactNoted');
  const data: Record<string, unknown> = { ...(era ? {} : (context.options.extraData ?? {})), title };
  if (body && body !== title) data.summary = body.slice(0, 4000);
  const group = plainText(slide.group);
  if (group) {
    const pillar = pillarOf(group);
    if (pillar) data.pillars = [pillar];
    else if (type === 'FactNoted') data.group = group.slice(0, 200);
  }
  if (Object.keys(inferred).length > 0) data.inferred = inferred;

  const record: ImportRecord = {
    ...where,
    record: {
      streamId: context.options.streamId,
      type,
      occurredAt,
      data,
      metadata: { sources: [source] },
    },
  };
  const uniqueId =
    typeof slide.unique_id === 'string' || typeof slide.unique_id === 'number'
      ? String(slide.unique_id).trim()
      : '';
  if (uniqueId) record.idName = `timelinejs:${context.options.streamId}:${uniqueId}`;
  return { record };
}

function mediaTitle(
  media: SlideInput['media'],
): { title: string; from: 'caption' | 'credit' | 'URL' } | undefined {
  const caption = plainText(media?.caption);
  if (caption) return { title: caption.slice(0, 300), from: 'caption' };
  const credit = plainText(media?.credit);
  if (credit) return { title: credit.slice(0, 300), from: 'credit' };
  const url = typeof media?.url === 'string' ? media.url.trim() : '';
  if (url) return { title: url.slice(0, 300), from: 'URL' };
  return undefined;
}

const PILLAR_BY_NAME = new Map<string, Pillar>(
  PILLARS.flatMap((p) => [
    [p, p],
    [PILLAR_LABELS[p].toLowerCase(), p],
  ]),
);

function pillarOf(group: string): Pillar | undefined {
  return PILLAR_BY_NAME.get(group.trim().toLowerCase());
}

interface ParsedDate {
  precision: Precision;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number | undefined;
}

const RANK: Record<Precision, number> = { year: 0, month: 1, day: 2, minute: 3 };

function coarser(a: Precision, b: Precision): Precision {
  return RANK[a] <= RANK[b] ? a : b;
}

const given = (raw: unknown) =>
  raw !== undefined && raw !== null && !(typeof raw === 'string' && raw.trim() === '');

function hasDate(date: SlideDateInput | undefined): date is SlideDateInput {
  return typeof date === 'object' && date !== null && given(date.year);
}

type DatePart = keyof Omit<SlideDateInput, 'display_date'>;

function slideDate(date: SlideDateInput): ParsedDate | { path: string; error: string } {
  const values: Partial<Record<DatePart, number>> = {};
  const limits: [DatePart, number, number][] = [
    ['year', -271_820, 9999],
    ['month', 1, 12],
    ['day', 1, 31],
    ['hour', 0, 23],
    ['minute', 0, 59],
    ['second', 0, 59],
    ['millisecond', 0, 999],
  ];
  for (const [name, min, max] of limits) {
    const raw = date[name];
    if (!given(raw)) continue;
    const n =
      typeof raw === 'number'
        ? raw
        : typeof raw === 'string' && /^[+-]?\d+$/.test(raw.trim())
          ? Number(raw)
          : Number.NaN;
    if (!Number.isInteger(n) || n < min || n > max)
      return { path: name, error: `must be a whole number from ${min} to ${max}` };
    values[name] = n;
  }
  const { year, month, day, hour, minute, second } = values;
  if (year === undefined) return { path: 'year', error: 'is required' };
  if (day !== undefined && month === undefined) return { path: 'month', error: 'is required with a day' };
  if (hour !== undefined && day === undefined) return { path: 'day', error: 'is required with a time' };
  if (day !== undefined && month !== undefined) {
    const last = new Date(Date.UTC(2000, month, 0));
    last.setUTCFullYear(year, month, 0);
    if (day > last.getUTCDate()) return { path: 'day', error: `is not a day of ${year}-${month}` };
  }
  const precision: Precision =
    hour !== undefined ? 'minute' : day !== undefined ? 'day' : month !== undefined ? 'month' : 'year';
  return {
    precision,
    year,
    month: month ?? 1,
    day: day ?? 1,
    hour: hour ?? 0,
    minute: minute ?? 0,
    second,
  };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** ISO 8601, a year before 1 CE in the expanded form (`-000043`), seconds only when given. */
function formatDate(d: ParsedDate, precision: Precision): string {
  const y = d.year < 0 ? `-${pad(-d.year, 6)}` : pad(d.year, 4);
  if (precision === 'year') return y;
  if (precision === 'month') return `${y}-${pad(d.month)}`;
  if (precision === 'day') return `${y}-${pad(d.month)}-${pad(d.day)}`;
  const seconds = d.second !== undefined ? `:${pad(d.second)}` : '';
  return `${y}-${pad(d.month)}-${pad(d.day)}T${pad(d.hour)}:${pad(d.minute)}${seconds}Z`;
}
