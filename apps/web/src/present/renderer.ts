import { matchesTimelineFilter, type TimelineItem } from '@timeline/shared-types';
import { formatCount, formatMarker, plural } from '../base/format.ts';
import { DIFF_CLASS } from '../base/styling.ts';
import type { LiveTimeline } from '../live/live-timeline.ts';
import { computeFacets, facetsFromServer, toTimelineFilter } from '../model/filters.ts';
import type { LogReader } from '../replay/log-reader.ts';
import type { ReplayController } from '../replay/replay-controller.ts';
import type { TimelineView } from '../timeline/timeline-view.ts';
import type { DetailActions } from '../ui/detail-actions.ts';
import type { DetailContext, DetailPanel } from '../ui/detail-panel.ts';
import type { FiltersPanel } from '../ui/filters-panel.ts';
import type { ReplayBar, ReplayBarState } from '../ui/replay-bar.ts';
import type { Shell } from '../ui/shell.ts';
import type { StatsPanel } from '../ui/stats-panel.ts';
import { Throttle } from '../view/throttle.ts';
import type { WindowedSource } from '../window/windowed-source.ts';
import type { RenderOptions, ViewStore } from '../view/view-store.ts';
import { StatsPresenter } from './stats-presenter.ts';
import { drawStatus } from './status-line.ts';

const FACETS_EVERY_MS = 250;

export interface Panels {
  timeline: TimelineView;
  filters: FiltersPanel;
  stats: StatsPanel;
  detail: DetailPanel;
  replayBar: ReplayBar;
}

export interface RenderSources {
  store: ViewStore;
  live: LiveTimeline;
  reader: LogReader;
  replay: ReplayController;
  /** A click on an item in the diff list. */
  onSelect(itemId: string): void;
  /** The detail panel's permalink and editing actions. */
  actions?(): DetailActions;
  /** When the timeline is read by window: its density bars and the server's facet counts. */
  windowed?(): WindowedSource | undefined;
}

/**
 * Draws the view store's state into the panels: the components only draw what this hands them. Facet
 * counts and stats cost a pass over every item, so during playback they refresh a few times a second.
 */
export class Renderer {
  private readonly facets = new Throttle(FACETS_EVERY_MS);
  private readonly stats: StatsPresenter;

  constructor(
    private readonly shell: Shell,
    private readonly panels: Panels,
    private readonly sources: RenderSources,
  ) {
    this.stats = new StatsPresenter(shell, panels.stats, sources.store);
  }

  draw(visible: readonly TimelineItem[], options: RenderOptions): void {
    const { view, displayed } = this.sources.store;
    const sweepMarker = displayed.sweep?.marker;
    const kindOf = displayed.diff?.kindOf;
    const buckets = this.sources.windowed?.()?.buckets(view);
    this.panels.timeline.render(
      visible,
      view.groupBy,
      (item) => {
        const kind = kindOf?.get(item.id);
        return kind ? [DIFF_CLASS[kind]] : [];
      },
      buckets,
    );
    this.panels.timeline.setSweepMarker(
      sweepMarker,
      sweepMarker === undefined ? '' : `Sweep: ${formatMarker(sweepMarker)}`,
    );
    this.shell.groupBy.value = view.groupBy;
    this.drawFacets(visible.length, options.facetsNow === true);
    this.stats.draw(visible, options.facetsNow === true);
    this.drawDetail();
    this.drawReplayBar();
    this.drawStatus();
  }

  drawStatus(): void {
    const { store, live, reader, replay } = this.sources;
    drawStatus(this.shell, {
      view: store.view,
      connection: live.connection,
      livePosition: live.position,
      position: store.displayed.position,
      head: reader.head(),
      newEvents: replay.newEvents(),
    });
  }

  /** The selected item, or why it is not in the state shown; and the diff's list of changes. */
  drawDetail(): void {
    const { store, live } = this.sources;
    const { view, displayed } = store;
    const id = view.selected;
    const shown = id === undefined ? undefined : displayed.items.get(id);
    let missingReason: string | undefined;
    let item = shown;
    if (id !== undefined && (!shown || (shown.retracted && view.mode !== 'diff'))) {
      const known = live.items.get(id);
      if (shown?.retracted) missingReason = `Retracted as of position ${formatCount(displayed.position)}.`;
      else if (known) {
        item = known;
        missingReason = `Not yet recorded at position ${formatCount(displayed.position)}; shown as it stands now.`;
      } else missingReason = 'This event is not in the timeline (it may have been retracted).';
    }
    const context: DetailContext = { onSelect: (itemId) => this.sources.onSelect(itemId) };
    if (missingReason !== undefined) context.missingReason = missingReason;
    const actions = this.sources.actions?.();
    // Corrections start from the item as it stands now, so only the live view offers them.
    if (actions) context.actions = { ...actions, canEdit: actions.canEdit && view.mode === 'live' };
    const diff = displayed.diff;
    if (diff) {
      // The list agrees with the drawing: the same filter applies to both.
      const filter = toTimelineFilter(view.filter, true);
      context.diff = { ...diff, entries: diff.entries.filter((e) => matchesTimelineFilter(e.item, filter)) };
    }
    this.panels.detail.show(item, context);
  }

  private drawFacets(shown: number, now: boolean): void {
    this.facets.run(() => {
      const { view, displayed } = this.sources.store;
      const server = this.sources.windowed?.()?.facets(view);
      if (server) {
        this.panels.filters.update(
          view.filter,
          facetsFromServer(server, view.filter),
          server.total,
          server.total,
        );
        return;
      }
      const items = [...displayed.items.values()];
      const total = items.filter((i) => !i.retracted).length;
      this.panels.filters.update(view.filter, computeFacets(items, view.filter), shown, total);
    }, now);
  }

  private drawReplayBar(): void {
    const { store, reader, replay } = this.sources;
    const { view, displayed } = store;
    const state: ReplayBarState = {
      mode: view.mode,
      playing: replay.playing,
      speed: replay.speed,
      position: displayed.position,
      head: reader.head(),
    };
    const recordedAt = reader.partial?.recordedAtOf(displayed.position);
    if (recordedAt && view.mode !== 'live') state.recordedAt = recordedAt;
    if (view.mode === 'replay' && view.asOf) state.asOf = view.asOf;
    if (reader.progress) state.loading = reader.progress;
    if (displayed.sweep) {
      const { stops, passed, marker } = displayed.sweep;
      state.sweep = {
        index: passed,
        count: stops.length + 1,
        label: `${formatMarker(marker)} · ${plural(passed, 'date')} of ${formatCount(stops.length)} passed`,
      };
    }
    if (view.diff) state.diff = view.diff;
    this.panels.replayBar.update(state);
  }
}
