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
