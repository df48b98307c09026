import type { CsvTable } from './csv-table.js';
import {
  type ImportIssue,
  type ImportRecord,
  type MappedImport,
  mapSlide,
  type SlideDateInput,
  type SlideImportOptions,
} from './slides.js';

/** What a column can be mapped to (`--map title=Headline,start=Date,quote=Text,url=Link`). */
export const CSV_MAP_FIELDS = ['title', 'start', 'end', 'summary', 'quote', 'url', 'group', 'id'] as const;
export type CsvMapField = (typeof CSV_MAP_FIELDS)[number];
export type CsvMap = Partial<Record<CsvMapField, string>>;

/**
 * Parses `field=Column,field=Column`. Returns the problem as a sentence when a field is unknown,
 * repeated or missing, or when title or start is not mapped (every event needs both).
 */
export function parseCsvMap(spec: string): { map: CsvMap } | { error: string } {
  const map: CsvMap = {};
  for (const pair of spec.split(',')) {
    const at = pair.indexOf('=');
    const field = pair.slice(0, at).trim();
    const column = pair.slice(at + 1).trim();
    if (at < 0 || !field || !column) return { error: `'${pair.trim()}' is not field=Column` };
    if (!(CSV_MAP_FIELDS as readonly string[]).includes(field))
      return { error: `unknown field '${field}' (known: ${CSV_MAP_FIELDS.join(', ')})` };
    if (map[field as CsvMapField] !== undefined) return { error: `'${field}' is mapped twice` };
    map[field as CsvMapField] = column;
  }
  if (!map.title || !map.start) return { error: 'title and start must be mapped' };
  return { map };
}

/**
 * A CSV of any shape, its columns named by a map: dates as ISO 8601 (`2024`, `2024-07`,
 * `2024-07-24`, `2024-07-24 14:30[:15]`, a `T` or a `Z` allowed; `-44` is a year BCE). Each row is
 * mapped like a slide (slides.ts), so the same rules hold; problems name the row and the column.
 */
export function mapCsvWithMap(table: CsvTable, map: CsvMap, options: SlideImportOptions): MappedImport {
  const problems: ImportIssue[] = [];
  const known = new Set(table.header);
  for (const [field, column] of Object.entries(map)) {
    if (!known.has(column))
      problems.push({
        line: 1,
        unit: 'row',
        path: column,
        message: `is not a column of the file (mapped to ${field}; the header has ${table.header.join(', ')})`,
      });
  }
  if (problems.length > 0) return { records: [], problems };
  const records: ImportRecord[] = [];
  const context = { options, title: undefined, publisher: `CSV file ${options.fileName}` };
  for (const { row, cells } of table.rows) {
    const value = (field: CsvMapField) => (map[field] ? (cells[map[field]] ?? '').trim() : '');
    const start = isoDate(value('start'));
    const end = value('end') ? isoDate(value('end')) : {};
    const bad = start === undefined ? 'start' : end === undefined ? 'end' : undefined;
    if (bad) {
      const message = 'must be a date such as 2024, 2024-07, 2024-07-24 or 2024-07-24 14:30 (-44 for 44 BCE)';
      problems.push({ line: row, unit: 'row', path: map[bad] ?? bad, message });
      continue;
    }
    const result = mapSlide(
      {
        start_date: start,
        end_date: end,
        text: { headline: value('title'), text: value('summary') },
        media: { url: value('url') },
        group: value('group'),
        quote: value('quote'),
        unique_id: value('id'),
      },
      { line: row, unit: 'row' },
      context,
    );
    if ('record' in result) records.push(result.record);
    else
      problems.push(
        ...result.problems.map((p) => ({
          ...p,
          path: p.path.startsWith('text.headline') ? (map.title ?? p.path) : (map.start ?? p.path),
        })),
      );
  }
  return { records, problems };
}

function isoDate(value: string): SlideDateInput | undefined {
  if (value === '') return undefined;
  const match =
    /^([+-]?\d{1,6})(?:-(\d{1,2})(?:-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?Z?)?)?)?$/i.exec(
      value,
    );
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match;
  return { year, month, day, hour, minute, second };
}
