// The browser build: a self-contained ESM bundle (its own Buffer), so the web app's import runs it too.
import { parse } from 'csv-parse/browser/esm/sync';

/** A CSV file read into a header and rows, each row numbered as a spreadsheet shows it (header = 1). */
export interface CsvTable {
  header: string[];
  rows: { row: number; cells: Record<string, string> }[];
}

/**
 * Reads CSV with csv-parse: quoted fields holding commas, doubled quotes and line breaks, a
 * byte-order mark, CRLF or LF line ends, rows shorter or longer than the header. Header names are
 * trimmed; cells are keyed by the header's names as written. A leading `'` before `=`, `+`, `-`, `@`
 * is dropped: it is what a formula-safe export (shared-types `csvField`) added. Throws csv-parse's error (with its
 * line) on text that is not CSV, such as an unclosed quote.
 */
export function readCsvTable(text: string): CsvTable {
  const records = parse(text, {
    bom: true,
    relax_column_count: true,
  }) as string[][];
  const [first = [], ...body] = records;
  const header = first.map((name) => name.trim());
  const rows = body
    .map((cells, i) => {
      const named: Record<string, string> = {};
      header.forEach((name, column) => {
        if (name !== '' && !(name in named)) named[name] = unguarded(cells[column] ?? '');
      });
      return { row: i + 2, cells: named, blank: cells.every((c) => c.trim() === '') };
    })
    .filter((r) => !r.blank)
    .map(({ row, cells }) => ({ row, cells }));
  return { header, rows };
}

function unguarded(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}
