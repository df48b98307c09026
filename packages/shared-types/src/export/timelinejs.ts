import { PILLAR_LABELS } from '../catalog/pillars.js';
import type { OccurredAt } from '../envelope.js';
import type { TimelineItem } from '../timeline.js';

/** A TimelineJS date: the parts the valid time states, nothing finer. */
export interface TimelineJsDate {
  year: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
  second?: number;
}

export interface TimelineJsSlide {
  start_date: TimelineJsDate;
  end_date?: TimelineJsDate;
  text: { headline: string; text: string };
  group?: string;
  unique_id: string;
}

export interface TimelineJsEra {
  start_date: TimelineJsDate;
  end_date: TimelineJsDate;
  text: { headline: string; text: string };
}

export interface TimelineJsDocument {
  title?: { text: { headline: string; text: string } };
  events: TimelineJsSlide[];
  eras?: TimelineJsEra[];
}

/** Items of this type are TimelineJS eras (bands behind the slides), not slides. */
export const ERA_TYPE = 'EraMarked';

/**
 * TimelineJS renders `headline` and `text` as HTML, so every value is escaped: no event field
 * reaches a page as markup. The text carries the summary, then each source's verbatim quote.
 * A slide's group is its own (FactNoted's `group`) or else its first pillar.
 */
export function toTimelineJs(items: Iterable<TimelineItem>, title?: string): TimelineJsDocument {
  const events: TimelineJsSlide[] = [];
  const eras: TimelineJsEra[] = [];
  for (const item of items) {
    const text = { headline: escapeHtml(item.title), text: slideText(item) };
    const start_date = timelineJsDate(item.occurredAt.start, item.occurredAt.precision);
    const end = item.occurredAt.end;
    if (item.type === ERA_TYPE) {
      const end_date = timelineJsDate(end ?? item.occurredAt.start, item.occurredAt.precision);
      eras.push({ start_date, end_date, text });
      continue;
    }
    const slide: TimelineJsSlide = { start_date, text, unique_id: item.id };
    if (end !== undefined) slide.end_date = timelineJsDate(end, item.occurredAt.precision);
    const group = groupOf(item);
    if (group) slide.group = group;
    events.push(slide);
  }
  const document: TimelineJsDocument = { events };
  if (eras.length > 0) document.eras = eras;
  if (title !== undefined) document.title = { text: { headline: escapeHtml(title), text: '' } };
  return document;
}

/** The summary, then each source's quote and who published it, as escaped HTML. */
export function slideText(item: TimelineItem): string {
  const paragraphs: string[] = [];
  if (item.summary) paragraphs.push(`<p>${escapeHtml(item.summary)}</p>`);
  for (const source of item.sources) {
    const by = source.attribution ? `${source.attribution}, ` : '';
    paragraphs.push(
      `<blockquote>${escapeHtml(source.quote)}</blockquote><p>— ${escapeHtml(by + source.publisher)}: ${escapeHtml(source.title)}</p>`,
    );
  }
  return paragraphs.join('');
}

/** The TimelineJS group of an item: FactNoted's own `group`, else its first pillar's label. */
export function groupOf(item: TimelineItem): string | undefined {
  const own = (item.data as { group?: unknown }).group;
  if (typeof own === 'string' && own !== '') return own;
  const pillar = item.pillars[0];
  return pillar ? PILLAR_LABELS[pillar] : undefined;
}

/**
 * The date parts as written (a minute-precision time keeps its own wall-clock time, and its seconds
 * when it has them); a year before 1 CE (`-000043`) is the negative year TimelineJS counts the same way.
 */
export function timelineJsDate(value: string, precision: OccurredAt['precision']): TimelineJsDate {
  const [, sign, ...parts] = /^(-?)(\d+)(?:-(\d+))?(?:-(\d+))?(?:T(\d+):(\d+)(?::(\d+))?)?/.exec(value) ?? [];
  const [year, month, day, hour, minute, second] = parts.map((p) =>
    p === undefined ? undefined : Number(p),
  );
  const date: TimelineJsDate = { year: (sign ? -1 : 1) * (year ?? 0) };
  if (precision === 'year') return date;
  date.month = month ?? 1;
  if (precision === 'month') return date;
  date.day = day ?? 1;
  if (precision === 'day') return date;
  date.hour = hour ?? 0;
  date.minute = minute ?? 0;
  if (second !== undefined) date.second = second;
  return date;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
