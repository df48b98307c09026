import { canonicalJson } from './canonical.js';

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
