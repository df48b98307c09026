/** The first millisecond of a window that starts at `from` (a date means the start of that day, month or year). */
export function windowStartMs(from: string): number {
  if (/^\d{4}$/.test(from)) return Date.UTC(Number(from), 0, 1);
  return Date.parse(from);
}

/** The last millisecond of a window that ends at `to`: `2024-07-24` runs through the end of that day. */
export function windowEndMs(to: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(to)) return Date.parse(`${to}T00:00:00Z`) + 86_400_000 - 1;
  if (/^\d{4}-\d{2}$/.test(to)) {
    const [y, m] = to.split('-').map(Number) as [number, number];
    return Date.UTC(y, m, 1) - 1;
  }
  if (/^\d{4}$/.test(to)) return Date.UTC(Number(to) + 1, 0, 1) - 1;
  return Date.parse(to);
}
