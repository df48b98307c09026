import type { Timeline } from 'vis-timeline';

/**
 * What vis-timeline does not offer publicly. Each reaches into its internals defensively: if a shape
 * is missing (another version), the caller gets a safe answer and nothing breaks.
 */

/**
 * Asks vis-timeline for an immediate redraw: `_change` without `queue` is how it asks itself (its
 * public `redraw()` waits for the next frame); it ends with the public `changed` event.
 */
export function emitChange(timeline: Timeline): void {
  (timeline as unknown as { emit(event: string): void }).emit('_change');
}

/**
 * Whether vis-timeline has folded this vis item into a cluster (drawn as a count, not as itself),
 * asked only while clustering is on. The item set marks such items with `cluster`. If that internal
 * shape is missing, assume folded, so the caller zooms in to be safe.
 */
export function isFoldedIntoCluster(timeline: Timeline, visId: string): boolean {
  const internal = timeline as unknown as {
    itemSet?: { items?: Record<string, { cluster?: unknown } | undefined> };
  };
  const items = internal.itemSet?.items;
  if (items === undefined) return true;
  const item = items[visId];
  return item === undefined || (item.cluster !== undefined && item.cluster !== null);
}

/**
 * Scrolls vertically so the item's row is in view (vis-timeline does not draw rows scrolled out of
 * view). `focus` does this, but only when it moves the window, and for a long period it would widen
 * the window; vis-timeline has no public scroll call, so this uses its item set's positions and its
 * own scroll setter, and does nothing if they are not there.
 */
export function scrollRowIntoView(timeline: Timeline, container: HTMLElement, visId: string): void {
  const internal = timeline as unknown as {
    itemSet?: { items?: Record<string, { top?: number; parent?: { top?: number } } | undefined> };
    _getScrollTop?: () => number;
    _setScrollTop?: (scrollTop: number) => number;
  };
  const item = internal.itemSet?.items?.[visId];
  const rowTop = item?.parent?.top;
  if (rowTop === undefined || !internal._getScrollTop || !internal._setScrollTop) return;
  const top = rowTop + (item?.top ?? 0);
  const viewport = container.querySelector<HTMLElement>('.vis-panel.vis-center')?.clientHeight ?? 0;
  const scrolled = -internal._getScrollTop();
  if (top >= scrolled && top + 40 <= scrolled + viewport) return;
  internal._setScrollTop(-Math.max(top - 40, 0));
  emitChange(timeline);
}
