import { TIMELINEJS_SHEET_COLUMNS } from '../export/timelinejs-sheet.js';
import type { CsvTable } from './csv-table.js';
import {
  type ImportIssue,
  type ImportRecord,
  type MappedImport,
  mapSlide,
  type SlideDateInput,
  type SlideImportOptions,
  type SlideInput,
} from './slides.js';

type Column = (typeof TIMELINEJS_SHEET_COLUMNS)[number];

/** The template's header: it names at least Year and Headline (any order, any case, extra columns ignored). */
export function isTimelineJsSheet(header: readonly string[]): boolean {
  const names = new Set(header.map((h) => h.toLowerCase()));
  return names.has('year') && names.has('headline');
}

/** Where a slide field comes from, to name a problem by the column the user typed it in. */
const COLUMN_OF: Record<string, Column> = {
  'start_date.year': 'Year',
  'start_date.month': 'Month',
  'start_date.day': 'Day',
  'start_date.hour': 'Time',
  'start_date.minute': 'Time',
  'start_date.second': 'Time',
  'end_date.year': 'End Year',
  'end_date.month': 'End Month',
  'end_date.day': 'End Day',
  'end_date.hour': 'End Time',
  'end_date.minute': 'End Time',
  'end_date.second': 'End Time',
  'text.headline': 'Headline',
};

/**
 * The TimelineJS spreadsheet template as events: a row of Type `title` is the timeline's title, a
 * row of Type `era` an era, any other row a slide (see slides.ts). Problems name the row as the
 * spreadsheet numbers it (the header is row 1) and the column.
 */
export function mapTimelineJsSheet(table: CsvTable, options: SlideImportOptions): MappedImport {
  const columnKey = new Map(table.header.map((h) => [h.toLowerCase(), h]));
  const cell = (cells: Record<string, string>, column: Column): string =>
    (cells[columnKey.get(column.toLowerCase()) ?? ''] ?? '').trim();
  const titleRow = table.rows.find(({ cells }) => cell(cells, 'Type').toLowerCase() === 'title');
  const title = titleRow
    ? cell(titleRow.cells, 'Headline') || cell(titleRow.cells, 'Text').slice(0, 300) || undefined
    : undefined;
  const context = { options, title, publisher: `TimelineJS spreadsheet ${options.fileName}` };
  const records: ImportRecord[] = [];
  const problems: ImportIssue[] = [];
  for (const { row, cells } of table.rows) {
    const kind = cell(cells, 'Type').toLowerCase();
    if (kind === 'title') continue;
    const time = (column: Column) => parseTime(cell(cells, column));
    const start = time('Time');
    const end = time('End Time');
    for (const [column, parsed] of [
      ['Time', start],
      ['End Time', end],
    ] as const) {
      if (parsed === 'invalid') {
        const message = 'must be a time of day such as 14:30, 14:30:15 or 2:30 PM';
        problems.push({ line: row, unit: 'row', path: column, message });
      }
    }
    if (start === 'invalid' || end === 'invalid') continue;
    const slide: SlideInput = {
      start_date: {
        year: cell(cells, 'Year'),
        month: cell(cells, 'Month'),
        day: cell(cells, 'Day'),
        ...start,
      },
      end_date: {
        year: cell(cells, 'End Year'),
        month: cell(cells, 'End Month'),
        day: cell(cells, 'End Day'),
        ...end,
      },
      text: { headline: cell(cells, 'Headline'), text: cell(cells, 'Text') },
      media: {
        url: cell(cells, 'Media'),
        caption: cell(cells, 'Media Caption'),
        credit: cell(cells, 'Media Credit'),
      },
      group: cell(cells, 'Group'),
      display_date: cell(cells, 'Display Date'),
    };
    const result = mapSlide(slide, { line: row, unit: kind === 'era' ? 'era' : 'row' }, context);
    if ('record' in result) records.push({ ...result.record, line: row, unit: 'row' });
    else
      problems.push(
        ...result.problems.map((p) => ({ ...p, unit: 'row' as const, path: COLUMN_OF[p.path] ?? p.path })),
      );
  }
  return title ? { title, records, problems } : { records, problems };
}

/** "14:30", "14:30:15", "2:30 PM" → date parts; "" → none. */
function parseTime(value: string): Pick<SlideDateInput, 'hour' | 'minute' | 'second'> | 'invalid' {
  if (value === '') return {};
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?$/i.exec(value);
  if (!match) return 'invalid';
  let hour = Number(match[1]);
  const meridiem = match[4]?.toLowerCase().replaceAll('.', '');
  if (meridiem) {
    if (hour < 1 || hour > 12) return 'invalid';
    hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
  }
  const parts: Pick<SlideDateInput, 'hour' | 'minute' | 'second'> = { hour, minute: Number(match[2]) };
  if (match[3] !== undefined) parts.second = Number(match[3]);
  return parts;
}
