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

/**
 * Lets vis-timeline draw items added to a visible group in the batched pass of its next redraw
 * instead of one by one as they are added. Its `Group.add` draws a new item at once
 * (`_checkIfVisible` → `show` → `redraw`), and each item's redraw reads its size right after
 * writing its DOM: one forced layout per item. Switching a window from density bars to 200 items took
 * one 1.4 s task, two thirds of it in 400 layouts (trace: `bench/web-render --scale-trace`). `add`
 * already marks the group for restacking, and the restacking redraw that the add queues draws every
 * item in range with all DOM writes first and one read of sizes after (`_updateItemsInRange`), so
 * here `_checkIfVisible` (called only from `add`) just marks the group again. The change is to
 * vis-timeline's Group class, once for the page. Returns whether it applied: with another version's
 * shape nothing is changed and items are drawn as before.
 */
export function drawAddedItemsInBatches(timeline: Timeline): boolean {
  const internal = timeline as unknown as { itemSet?: { groups?: Record<string, object> } };
  const someGroup = Object.values(internal.itemSet?.groups ?? {})[0];
  let proto: Record<string, unknown> | null = someGroup ? Object.getPrototypeOf(someGroup) : null;
  while (proto && !Object.hasOwn(proto, '_checkIfVisible')) proto = Object.getPrototypeOf(proto);
  if (!proto || typeof proto._checkIfVisible !== 'function' || typeof proto.add !== 'function') return false;
  if (proto._checkIfVisible === markForRestack) return true;
  proto._checkIfVisible = markForRestack;
  return true;
}

function markForRestack(this: { stackDirty?: boolean }): void {
  this.stackDirty = true;
}

/**
 * Lets vis-timeline draw the items just added one row after the other, so rows pushed below the fold
 * by the rows above them draw none. Its item set redraws all groups step by step together (every
 * group's position, then every group's items, then every group's height): on the switch from density
 * bars to items every row still had its short bars-era height when its items were drawn, so all seven
 * rows drew and measured their items (a forced layout each, ~230 items, 1,650 layout objects) and the
 * item set's second pass then hid all but the top one or two rows' items again. Here, in a redraw where
 * a group has items to restack (`stackDirty`: an add, update or removal), each group redraws whole before
 * the next, which then finds its row's real top and, below the fold, draws nothing. Other redraws (pans,
 * zooms, scrolls) keep vis-timeline's interleaved order. The change is to vis-timeline's ItemSet and
 * Group classes, once for the page. Returns whether it applied: with another version's shape nothing
 * is changed.
 */
export function drawAddedItemsRowByRow(timeline: Timeline): boolean {
  const itemSet = (timeline as unknown as { itemSet?: { groups?: Record<string, object> } }).itemSet;
  if (!itemSet) return false;
  const itemSetProto = ownerOf(Object.getPrototypeOf(itemSet), 'redraw');
  let groupProto: Record<string, unknown> | null = null;
  for (const group of Object.values(itemSet.groups ?? {})) {
    groupProto = ownerOf(Object.getPrototypeOf(group), '_redrawItems');
    if (groupProto) break;
  }
  if (!itemSetProto || !groupProto || !Object.hasOwn(groupProto, 'redraw')) return false;
  if (Object.hasOwn(itemSetProto.redraw as object, ROW_BY_ROW)) return true;
  const itemSetRedraw = itemSetProto.redraw as (...args: unknown[]) => unknown;
  const groupRedraw = groupProto.redraw as GroupRedraw;
  if (typeof itemSetRedraw !== 'function' || typeof groupRedraw !== 'function') return false;
  let inTurn = false;
  const rowByRow = function (
    this: { groups?: Record<string, { stackDirty?: unknown }> },
    ...args: unknown[]
  ) {
    inTurn = Object.values(this.groups ?? {}).some((group) => group.stackDirty === true);
    try {
      return itemSetRedraw.apply(this, args);
    } finally {
      inTurn = false;
    }
  };
  Object.defineProperty(rowByRow, ROW_BY_ROW, { value: true });
  itemSetProto.redraw = rowByRow;
  groupProto.redraw = function (this: unknown, range, margin, forceRestack, returnQueue) {
    // The item set runs each group's queue step by step; a queue of one step is the whole redraw.
    if (!returnQueue || !inTurn) return groupRedraw.call(this, range, margin, forceRestack, returnQueue);
    return [() => groupRedraw.call(this, range, margin, forceRestack, false)];
  } satisfies GroupRedraw;
  return true;
}

const ROW_BY_ROW = Symbol('rowByRow');

type GroupRedraw = (range: unknown, margin: unknown, forceRestack: unknown, returnQueue?: unknown) => unknown;

/** The object in `proto`'s chain that owns `name`, or null. */
function ownerOf(proto: Record<string, unknown> | null, name: string): Record<string, unknown> | null {
  let at = proto;
  while (at && !Object.hasOwn(at, name)) at = Object.getPrototypeOf(at);
  return at;
}

/**
 * Runs `changes` (adds, updates and removals on the items DataSet) with one redraw for all of them.
 * vis-timeline's item set redraws itself at once after every `add`, `update` and `remove` of its
 * DataSet (its item listeners call `redraw()`), so one answer applied as a removal, an update and an
 * add was three redraws in the task that applied it, each laying out the page. Here the item set's
 * redraw only notes that one is due while `changes` run, and the timeline then redraws once, in its
 * next animation frame (its public, throttled `redraw`): the data work and the drawing are two
 * shorter tasks instead of one long one. With another version's shape, `changes` just run.
 */
export function withOneRedraw(timeline: Timeline, changes: () => void): void {
  const itemSet = (timeline as unknown as { itemSet?: Record<string, unknown> }).itemSet;
  if (!itemSet || typeof itemSet.redraw !== 'function' || Object.hasOwn(itemSet, 'redraw')) {
    changes();
    return;
  }
  let due = false;
  itemSet.redraw = () => {
    due = true;
  };
  try {
    changes();
  } finally {
    delete itemSet.redraw;
  }
  if (due) timeline.redraw();
}

/** What a layer drawn over vis-timeline's item panel needs of its geometry, in the panel's pixels. */
export interface PanelGeometry {
  /** The item panel's size (`.vis-panel.vis-center`). */
  width: number;
  height: number;
  /** Time (ms) → x on the panel: vis-timeline's own conversion. */
  toX(ms: number): number;
  /** A group's row on the panel (scrolled), or undefined if vis-timeline has not laid it out. */
  rowOf(groupId: string): { top: number; height: number } | undefined;
}

/**
 * The item panel's geometry as vis-timeline laid it out in its last redraw, read from its internals
 * (its panel sizes, `body.util.toScreen`, each group's `top` and `height`, the vertical scroll): no DOM
 * is read, so a caller drawing on vis-timeline's `changed` forces no layout. Undefined with another
 * version's shape.
 */
export function panelGeometry(timeline: Timeline): PanelGeometry | undefined {
  const core = timeline as unknown as {
    props?: { center?: { width?: number }; centerContainer?: { height?: number }; scrollTop?: number };
    body?: { util?: { toScreen?: (time: number) => number } };
    itemSet?: { groups?: Record<string, { top?: number; height?: number } | undefined> };
  };
  const width = core.props?.center?.width;
  const height = core.props?.centerContainer?.height;
  const toScreen = core.body?.util?.toScreen;
  const groups = core.itemSet?.groups;
  if (width === undefined || height === undefined || !toScreen || !groups) return undefined;
  const scrollTop = core.props?.scrollTop ?? 0;
  return {
    width,
    height,
    toX: (ms) => toScreen(ms),
    rowOf: (groupId) => {
      const group = Object.hasOwn(groups, groupId) ? groups[groupId] : undefined;
      if (group?.top === undefined || group.height === undefined) return undefined;
      return { top: group.top + scrollTop, height: group.height };
    },
  };
}
