import type { TimelineBucket, TimelineItem } from '@timeline/shared-types';
import moment from 'moment';
import { DataSet } from 'vis-data';
import {
  type DataGroupCollectionType,
  type DataItemCollectionType,
  type IdType,
  Timeline,
  type TimelineOptions,
  type TimelineOptionsCluster,
} from 'vis-timeline';
import { BarsLayer } from './bars-layer.ts';
import { barSpecs, bucketGroupId } from './density-bars.ts';
import { dataBounds, fitWindow } from './fit-window.ts';
import type { GroupBy } from '../model/url-state.ts';
import { toVisGroup, toVisItem, tooltipFor, type VisGroup, type VisItem } from './vis-content.ts';
import {
  drawAddedItemsInBatches,
  drawAddedItemsRowByRow,
  emitChange,
  isFoldedIntoCluster,
  scrollRowIntoView,
  withOneRedraw,
} from './vis-internals.ts';
import { type GroupSpec, groupSpecsFor, itemIdOfVisId, visItemsFor } from './vis-mapping.ts';

export interface TimelineViewEvents {
  onSelect(itemId: string | undefined): void;
  onWindowChange(window: { start: number; end: number }, byUser: boolean): void;
  onSweepDrag(ms: number): void;
  /** A density bar was clicked: the view zooms into its bucket, then says so. */
  onBucket?(span: { start: number; end: number }): void;
}

type TooltipTemplate = NonNullable<NonNullable<TimelineOptions['tooltip']>['template']>;

const SWEEP_MARKER = 'sweep';
const DAY_MS = 86_400_000;
/** Below this window width every item is drawn; above it, crowded neighbours collapse into clusters. */
const CLUSTER_ABOVE_MS = 45 * DAY_MS;
/**
 * The window a keyboard selection zooms to when its item is folded into a cluster: below
 * CLUSTER_ABOVE_MS, so clustering is off and every item in it is drawn.
 */
const REVEAL_SPAN_MS = 30 * DAY_MS;
/** The widest column of group labels: `.tl-group` is at most 14rem, plus padding, borders, scrollbar. */
const LABEL_COLUMN_PX = 260;
/** Borders and the vertical scrollbar vis-timeline puts beside the label column. */
const PANEL_CHROME_PX = 20;
const CLUSTER = {
  maxItems: 4,
  titleTemplate: '{count} events here: zoom in or double-click to see them',
  showStipes: true,
  fitOnDoubleClick: true,
};

/**
 * vis-timeline over two vis-data DataSets, kept in step with the app's items by a minimal diff:
 * an item whose object, grouping and classes are unchanged is not touched, so a live event or a
 * replay step redraws only what it changed, and 10,000 items stay responsive.
 */
export class TimelineView {
  readonly items = new DataSet<VisItem, 'id'>();
  readonly groups = new DataSet<VisGroup, 'id'>();
  readonly timeline: Timeline;
  private readonly rendered = new Map<string, { item: TimelineItem; key: string; ids: string[] }>();
  private readonly groupKeys = new Map<string, string>();
  private bucketRows: readonly TimelineBucket[] = [];
  /** The density bars of a zoomed-out window, on a canvas under the items (not vis items). */
  private readonly bars: BarsLayer;
  private clustered = false;
  /** Off when the server aggregates (the timeline by window): its buckets replace vis clusters. */
  private clusterAllowed = true;
  private selected: string | undefined;
  /** Set by the first `changed` (vis-timeline's end of a redraw) after which an item element is in the page. */
  private drawnWithItems = false;

  constructor(
    private readonly container: HTMLElement,
    private readonly events: TimelineViewEvents,
    private readonly lookup: (itemId: string) => TimelineItem | undefined,
  ) {
    const options: TimelineOptions = {
      height: '100%',
      orientation: { axis: 'top', item: 'top' },
      // Valid times are UTC periods (a year is 1 Jan–1 Jan UTC); the axis speaks UTC so they line up.
      moment: (date?: moment.MomentInput) => moment(date).utc(),
      stack: true,
      verticalScroll: true,
      selectable: true,
      multiselect: false,
      showCurrentTime: false,
      groupOrder: 'order',
      // Without a week scale vis jumps from 2-day steps straight to months; label weeks by their date.
      showWeekScale: true,
      format: { minorLabels: { week: 'D MMM' } },
      zoomMin: 60 * 60 * 1000,
      zoomMax: 500 * 365 * DAY_MS,
      margin: { item: { horizontal: 6, vertical: 6 }, axis: 8 },
      tooltip: {
        followMouse: true,
        overflowMethod: 'cap',
        delay: 250,
        // vis-timeline's popup appends an Element as is; its typings only admit strings.
        template: ((data: Partial<VisItem>) => this.tooltipFor(data)) as unknown as TooltipTemplate,
      },
      xss: { disabled: false },
    };
    this.timeline = new Timeline(
      container,
      this.items as unknown as DataItemCollectionType,
      this.groups as unknown as DataGroupCollectionType,
      options,
    );
    drawAddedItemsInBatches(this.timeline);
    drawAddedItemsRowByRow(this.timeline);
    this.bars = new BarsLayer(this.timeline, this.centerPanel());
    this.timeline.on('click', (props: { what: string | null; time: Date; group: IdType | null }) => {
      if (props.what === 'item') return;
      const bar = this.bars.barAt(props.time.valueOf(), props.group === null ? null : String(props.group));
      if (!bar) return;
      const bucket = { start: bar.start, end: bar.end };
      this.setWindow(bucket);
      this.events.onBucket?.(bucket);
    });
    this.timeline.on('select', (props: { items: IdType[]; event?: Event }) => {
      // A click on a bar is a click on vis-timeline's background: it zooms (above), not deselects.
      if (props.items.length === 0 && props.event && this.barUnder(props.event)) {
        this.applySelection(this.selected);
        return;
      }
      const itemId = props.items.map(itemIdOfVisId).find((id) => id !== undefined);
      this.selected = itemId;
      this.events.onSelect(itemId);
    });
    this.timeline.on('rangechanged', (props: { start: Date; end: Date; byUser: boolean }) => {
      const window = { start: props.start.valueOf(), end: props.end.valueOf() };
      this.updateClustering(window.end - window.start);
      this.events.onWindowChange(window, props.byUser);
    });
    this.timeline.on('changed', () => {
      if (!this.drawnWithItems && this.container.querySelector('.vis-item')) this.drawnWithItems = true;
    });
    this.timeline.on('timechange', (props: { id: IdType; time: Date }) => {
      if (props.id === SWEEP_MARKER) this.events.onSweepDrag(props.time.valueOf());
    });
  }

  /**
   * Draws `visible` and the density bars of `buckets` (a zoomed-out window), touching only what changed
   * since the last call, in one batch per kind of change.
   */
  render(
    visible: readonly TimelineItem[],
    groupBy: GroupBy,
    classesFor: (item: TimelineItem) => readonly string[],
    buckets: readonly TimelineBucket[] = [],
  ): void {
    const bucketGroups = new Set(buckets.map((b) => bucketGroupId(b.group, groupBy)));
    this.syncGroups(groupSpecsFor(visible, groupBy, bucketGroups));
    const toAdd: VisItem[] = [];
    const toUpdate: VisItem[] = [];
    const toRemove: string[] = [];
    const seen = new Set<string>();
    for (const item of visible) {
      seen.add(item.id);
      const extra = classesFor(item);
      const key = `${groupBy}|${extra.join(' ')}`;
      const before = this.rendered.get(item.id);
      if (before && before.item === item && before.key === key) continue;
      const specs = visItemsFor(item, groupBy, extra);
      const had = new Set(before?.ids ?? []);
      for (const spec of specs) {
        const vis = toVisItem(spec, item);
        if (!had.has(spec.id)) toAdd.push(vis);
        else if (this.items.get(spec.id)?.end !== undefined && spec.end === undefined) {
          // DataSet updates merge, so a range that became a box would keep its end: replace it.
          toRemove.push(spec.id);
          toAdd.push(vis);
        } else toUpdate.push(vis);
      }
      const ids = specs.map((s) => s.id);
      const keep = new Set(ids);
      for (const id of had) if (!keep.has(id)) toRemove.push(id);
      this.rendered.set(item.id, { item, key, ids });
    }
    for (const [itemId, before] of this.rendered) {
      if (seen.has(itemId)) continue;
      toRemove.push(...before.ids);
      this.rendered.delete(itemId);
    }
    this.syncBuckets(buckets, groupBy);
    withOneRedraw(this.timeline, () => {
      if (toRemove.length) this.items.remove(toRemove);
      if (toUpdate.length) this.items.update(toUpdate);
      if (toAdd.length) this.items.add(toAdd);
    });
    this.removeEmptyGroups(groupBy, visible, bucketGroups);
    if (this.selected !== undefined) this.applySelection(this.selected);
  }

  select(itemId: string | undefined, reveal: boolean): void {
    this.selected = itemId;
    this.applySelection(itemId);
    if (!reveal || itemId === undefined) return;
    const first = this.rendered.get(itemId)?.ids[0];
    const data = first === undefined ? null : this.items.get(first);
    if (first === undefined || !data) return;
    const start = data.start;
    const end = data.end ?? start;
    if (this.clustered && isFoldedIntoCluster(this.timeline, first)) this.zoomToReveal(start, end);
    if (end - start >= REVEAL_SPAN_MS * 0.9) {
      // A long period (a year, say): `focus` would widen the window to the whole period, and past 45
      // days clustering comes back and may fold it away again. Keep the zoom and show its start instead.
      this.showPeriodStart(start, end);
      scrollRowIntoView(this.timeline, this.container, first);
      return;
    }
    // Centres the item and scrolls its group into view, keeping the zoom (the user's, or the one above).
    this.timeline.focus(first, { zoom: false, animation: false });
    // focus scrolls only when it moves the window: not when stepping between items of the same date.
    scrollRowIntoView(this.timeline, this.container, first);
  }

  /**
   * Shows every item. The window comes from the items' own dates (`dataBounds`) with room for the
   * boxes at the edges, not from vis-timeline's `fit()`/`getItemRange()`, which draw and measure every
   * item first: at 10,000 items that took seconds before anything was on screen.
   */
  fit(): void {
    const bounds = dataBounds(this.items.get());
    if (bounds === undefined) {
      this.timeline.fit({ animation: false });
      return;
    }
    this.setWindow(fitWindow(bounds, this.panelWidth()));
  }

  zoom(direction: 'in' | 'out'): void {
    if (direction === 'in') this.timeline.zoomIn(0.5, { animation: false });
    else this.timeline.zoomOut(0.5, { animation: false });
  }

  getWindow(): { start: number; end: number } {
    const { start, end } = this.timeline.getWindow();
    return { start: start.valueOf(), end: end.valueOf() };
  }

  setWindow(window: { start: number; end: number }): void {
    // The window first, then clustering: switching clustering makes vis-timeline lay the items out at
    // once (synchronously), so done in this order they are laid out once, at the new window and scale.
    this.timeline.setWindow(window.start, window.end, { animation: false });
    this.updateClustering(window.end - window.start);
    this.drawFirstNow();
  }

  /** The valid-time sweep marker: a draggable custom time bar, or none. */
  setSweepMarker(ms: number | undefined, label: string): void {
    const has = this.hasSweepMarker();
    if (ms === undefined) {
      if (has) this.timeline.removeCustomTime(SWEEP_MARKER);
      return;
    }
    if (!has) this.timeline.addCustomTime(ms, SWEEP_MARKER);
    else this.timeline.setCustomTime(ms, SWEEP_MARKER);
    this.timeline.setCustomTimeTitle(label, SWEEP_MARKER);
    const { start, end } = this.getWindow();
    if (ms < start || ms > end) this.timeline.moveTo(ms, { animation: false });
  }

  /** The vis ids drawn for an item (one per group it belongs to). */
  visIdsOf(itemId: string): readonly string[] {
    return this.rendered.get(itemId)?.ids ?? [];
  }

  /**
   * Until the timeline has been drawn with items, draws it now rather than on vis-timeline's next
   * animation frame. The app resolves `ready` right after it first sets the window (`fit` or
   * `setWindow`), so `ready` then means the items are on the page; vis-timeline's queued redraw finds
   * nothing left to change.
   */
  private drawFirstNow(): void {
    if (this.drawnWithItems || this.items.length === 0) return;
    emitChange(this.timeline);
  }

  /**
   * Zooms to REVEAL_SPAN_MS around an item (a box, or a period shorter than that), which turns
   * clustering off so the item is drawn and marked selected. The window is placed off-centre on
   * purpose: the caller's `focus` then moves it to centre the item, and vis-timeline only scrolls the
   * item's row into view when focus moves the window. A longer period is shown from its start.
   */
  private zoomToReveal(start: number, end: number): void {
    const middle = (start + end) / 2;
    this.setWindow(
      end - start < REVEAL_SPAN_MS * 0.9
        ? { start: middle - REVEAL_SPAN_MS * 0.6, end: middle + REVEAL_SPAN_MS * 0.4 }
        : { start: start - REVEAL_SPAN_MS * 0.1, end: start + REVEAL_SPAN_MS * 0.9 },
    );
  }

  /** Leaves the window alone if it shows part of the period, else moves it (same zoom) to its start. */
  private showPeriodStart(start: number, end: number): void {
    const window = this.getWindow();
    if (start < window.end && end > window.start) return;
    const span = window.end - window.start;
    this.setWindow({ start: start - span * 0.1, end: start + span * 0.9 });
  }

  /**
   * The width of vis-timeline's item area: the timeline less its column of group labels (and the
   * borders and scrollbar vis-timeline reserves beside it). Measured from the label column itself,
   * because on the first load vis-timeline has not yet re-measured its panels since the groups arrived
   * (it does on its next redraw) and its item area still spans the whole timeline. Without labels on
   * the page yet, assume the widest label column: at worst a little more room than needed.
   */
  private panelWidth(): number {
    const labels = this.container.querySelector<HTMLElement>('.vis-panel.vis-left');
    const labelsDrawn = labels?.querySelector('.vis-label') != null;
    const column = labels && labelsDrawn ? labels.clientWidth + PANEL_CHROME_PX : LABEL_COLUMN_PX;
    return this.container.clientWidth - column;
  }

  private hasSweepMarker(): boolean {
    try {
      this.timeline.getCustomTime(SWEEP_MARKER);
      return true;
    } catch {
      return false;
    }
  }

  private applySelection(itemId: string | undefined): void {
    const ids = itemId === undefined ? [] : [...(this.rendered.get(itemId)?.ids ?? [])];
    this.timeline.setSelection(ids);
  }

  setClustering(allowed: boolean): void {
    this.clusterAllowed = allowed;
    this.updateClustering(this.getWindow().end - this.getWindow().start);
  }

  private updateClustering(spanMs: number): void {
    const wanted = this.clusterAllowed && spanMs > CLUSTER_ABOVE_MS;
    if (wanted === this.clustered) return;
    this.clustered = wanted;
    // `false` turns clustering off (the option's schema is boolean | object; the typings say object only).
    this.timeline.setOptions({ cluster: wanted ? CLUSTER : (false as unknown as TimelineOptionsCluster) });
  }

  private syncGroups(specs: readonly GroupSpec[]): void {
    const toAdd: VisGroup[] = [];
    const toUpdate: VisGroup[] = [];
    for (const spec of specs) {
      const key = `${spec.label}|${spec.order}|${spec.className}`;
      const before = this.groupKeys.get(spec.id);
      if (before === key) continue;
      (before === undefined ? toAdd : toUpdate).push(toVisGroup(spec));
      this.groupKeys.set(spec.id, key);
    }
    if (toUpdate.length) this.groups.update(toUpdate);
    if (toAdd.length) this.groups.add(toAdd);
  }

  /** The density bars, replaced when the rows change (drawn at vis-timeline's next redraw). */
  private syncBuckets(rows: readonly TimelineBucket[], groupBy: GroupBy): void {
    if (rows === this.bucketRows) return;
    this.bucketRows = rows;
    this.bars.set(barSpecs(rows, groupBy));
  }

  /** Whether a pointer event (vis-timeline's, a hammer event or a DOM one) is over a density bar. */
  private barUnder(event: Event): boolean {
    const props = this.timeline.getEventProperties(event);
    if (props.what === 'item') return false;
    return (
      this.bars.barAt(props.time.valueOf(), props.group === null ? null : String(props.group)) !== undefined
    );
  }

  private centerPanel(): HTMLElement {
    const panel = this.container.querySelector<HTMLElement>('.vis-panel.vis-center');
    if (!panel) throw new Error('vis-timeline drew no item panel (.vis-panel.vis-center)');
    return panel;
  }

  /** Groups go after their items, so vis never holds an item whose group has vanished. */
  private removeEmptyGroups(
    groupBy: GroupBy,
    visible: readonly TimelineItem[],
    bucketGroups: ReadonlySet<string>,
  ): void {
    const wanted = new Set(groupSpecsFor(visible, groupBy, bucketGroups).map((g) => g.id));
    const stale = [...this.groupKeys.keys()].filter((id) => !wanted.has(id));
    if (!stale.length) return;
    for (const id of stale) this.groupKeys.delete(id);
    this.groups.remove(stale);
  }

  private tooltipFor(data: Partial<VisItem> & { title?: unknown }): HTMLElement {
    const item = typeof data.itemId === 'string' ? this.lookup(data.itemId) : undefined;
    return tooltipFor(item, data.title);
  }
}
