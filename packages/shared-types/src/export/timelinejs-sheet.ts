import { csvRow } from '../csv.js';
import type { TimelineItem } from '../timeline.js';
import {
  ERA_TYPE,
  escapeHtml,
  groupOf,
  type TimelineJsDate,
  slideText,
  timelineJsDate,
} from './timelinejs.js';

/** The header of the TimelineJS spreadsheet template, in its order. */
export const TIMELINEJS_SHEET_COLUMNS = [
  'Year',
  'Month',
  'Day',
  'Time',
  'End Year',
  'End Month',
  'End Day',
  'End Time',
  'Display Date',
  'Headline',
  'Text',
  'Media',
  'Media Credit',
  'Media Caption',
  'Media Thumbnail',
  'Type',
  'Group',
  'Background',
] as const;

export const TIMELINEJS_SHEET_HEADER = csvRow(TIMELINEJS_SHEET_COLUMNS);

/** The title row of the template (Type `title`): written first when the export has a title. */
export function timelineJsSheetTitleRow(title: string): string {
  return sheetRow({ Headline: escapeHtml(title), Type: 'title' });
}

/**
 * One template row per item, as `toTimelineJs` writes the slide (the same escaped HTML, the same
 * group); an `EraMarked` item is a row of Type `era`. Times are `HH:MM` or `HH:MM:SS`.
 */
export function timelineJsSheetRow(item: TimelineItem): string {
  const { precision, start, end } = item.occurredAt;
  const era = item.type === ERA_TYPE;
  const row: Partial<Record<(typeof TIMELINEJS_SHEET_COLUMNS)[number], string | number>> = {
    ...dateCells(timelineJsDate(start, precision), ''),
    Headline: escapeHtml(item.title),
    Text: slideText(item),
  };
  if (end !== undefined || era)
    Object.assign(row, dateCells(timelineJsDate(end ?? start, precision), 'End '));
  if (era) row.Type = 'era';
  else row.Group = groupOf(item) ?? '';
  return sheetRow(row);
}

function dateCells(date: TimelineJsDate, prefix: '' | 'End ') {
  const pad = (n: number) => String(n).padStart(2, '0');
  const time =
    date.hour === undefined
      ? ''
      : `${pad(date.hour)}:${pad(date.minute ?? 0)}${date.second === undefined ? '' : `:${pad(date.second)}`}`;
  return {
    [`${prefix}Year`]: date.year,
    [`${prefix}Month`]: date.month ?? '',
    [`${prefix}Day`]: date.day ?? '',
    [`${prefix}Time`]: time,
  };
}

function sheetRow(cells: Partial<Record<string, string | number>>): string {
  return csvRow(TIMELINEJS_SHEET_COLUMNS.map((column) => cells[column] ?? ''));
}
