import type { OptionSpec } from './args.js';
import type { Colours } from './colour.js';
import { printable } from './io.js';

/** Rows in aligned columns under a dimmed header; cells are data, so control characters are blanked. */
export function renderTable(
  headers: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  colours: Colours,
): string {
  const cells = rows.map((row) => row.map((cell) => printable(cell)));
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...cells.map((row) => row[i]?.length ?? 0)),
  );
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[colours.bold(line(headers)), ...cells.map(line)].join('\n')}\n`;
}

/** Whether a command's records go out as JSON: asked with --json, or stdout is a pipe or a file. */
export function wantsJson(values: Record<string, unknown>, stdout: { isTTY?: boolean }): boolean {
  return values.json === true || stdout.isTTY !== true;
}

/** `--json`, for a command that prints for people on a terminal: `what` is what it prints then. */
export const jsonOption = (what: string): Record<'json', OptionSpec> => ({
  json: { flags: '--json', description: `${what} (the default when stdout is not a terminal)` },
});
