/**
 * The window that shows every item, computed from the items' own dates rather than from the DOM.
 * vis-timeline's `fit()` / `getItemRange()` draw and measure every item to find the edges, which at
 * 10,000 items costs seconds; the dates are already in the DataSet (a year or month is a range over
 * the whole period, a box is its start), so the edges are a pass over plain numbers.
 */

export interface Span {
  start: number;
  end: number;
}

const DAY_MS = 86_400_000;

/**
 * Room kept left and right of the outermost dates, in pixels: vis-timeline centres a box on its date,
 * and a box is at most 22rem of content plus padding and border wide, so half of one and a little air.
 */
export const FIT_MARGIN_PX = 200;

/** The earliest start and the latest end (a range's end, else its start); undefined when there are none. */
export function dataBounds(items: Iterable<{ start: unknown; end?: unknown }>): Span | undefined {
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const item of items) {
    const s = toMs(item.start);
    if (s === undefined) continue;
    // A malformed end before its start must not pull the edge in.
    const e = Math.max(toMs(item.end) ?? s, s);
    if (s < start) start = s;
    if (e > end) end = e;
  }
  return start <= end ? { start, end } : undefined;
}

/**
 * A window in which `bounds` fill the middle of a panel `widthPx` wide, with `marginPx` of room each
 * side so that boxes (drawn centred on their date) at the edges are not cut off. On a narrow panel the
 * margins give way so the dates keep at least 40% of it. A single date is shown a day wide.
 */
export function fitWindow(bounds: Span, widthPx: number, marginPx = FIT_MARGIN_PX): Span {
  const span = Math.max(bounds.end - bounds.start, DAY_MS);
  const centre = (bounds.start + bounds.end) / 2;
  const width = Number.isFinite(widthPx) && widthPx > 0 ? widthPx : 1000;
  const margin = Math.min(Math.max(marginPx, 0), width * 0.3);
  const msPerPx = span / (width - 2 * margin);
  const half = span / 2 + margin * msPerPx;
  return { start: centre - half, end: centre + half };
}

function toMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (value instanceof Date) return toMs(value.valueOf());
  if (typeof value === 'string') return toMs(Date.parse(value));
  return undefined;
}
