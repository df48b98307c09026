import { LiveTimeline } from '../live/live-timeline.ts';
import { parseViewState } from '../model/url-state.ts';
import { Renderer } from '../present/renderer.ts';
import { LogReader } from '../replay/log-reader.ts';
import { Player } from '../replay/player.ts';
import { ReplayController } from '../replay/replay-controller.ts';
import { TimelineView } from '../timeline/timeline-view.ts';
import { DetailPanel } from '../ui/detail-panel.ts';
import { FiltersPanel } from '../ui/filters-panel.ts';
import { ReplayBar, SPEEDS } from '../ui/replay-bar.ts';
import type { Shell } from '../ui/shell.ts';
import { StatsPanel } from '../ui/stats-panel.ts';
import { computeDisplayed } from '../view/displayed.ts';
import { UrlSync } from '../view/url-sync.ts';
import { ViewStore } from '../view/view-store.ts';
import { Editing } from './editing.ts';
import { ErrorBanner } from './error-banner.ts';
import { loadTimeline } from './first-load.ts';
import { firstRead, Windowing } from './windowing.ts';
import { fetchTimeline } from '../api/api.ts';
import { wireKeyboard } from './keyboard.ts';
import { type AppSnapshot, snapshotOf } from './snapshot.ts';

export type { AppSnapshot } from './snapshot.ts';

/**
 * Wires the page: the live timeline (GET /api/timeline, then the SSE stream), the replay log and its
 * controller, and the view store whose state the URL mirrors and the renderer draws into the panels.
 * The parts know nothing of each other; this is where their events meet.
 */
export class App {
  readonly ready: Promise<void>;
  readonly timeline: TimelineView;
  private readyResolve!: () => void;
  private readyReject!: (error: unknown) => void;
  private readonly store: ViewStore;
  private readonly live: LiveTimeline;
  private readonly reader: LogReader;
  private readonly replay: ReplayController;
  private readonly renderer: Renderer;
  private readonly urlSync: UrlSync;
  private readonly errors: ErrorBanner;
  private readonly editing: Editing;
  /** Set when the timeline is too big to hold whole: it is then read by window. */
  private windowing: Windowing | undefined;
  /** An event this page added: selected once the live stream brings it. */
  private selectOnArrival: string | undefined;

  constructor(private readonly shell: Shell) {
    this.ready = new Promise((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
    this.errors = new ErrorBanner(shell.error);
    const store = new ViewStore(parseViewState(location.search), {
      compute: (view) => {
        if (!this.windowing) return computeDisplayed(view, this.live, this.reader.complete);
        const shown = this.windowing.source.displayed(view);
        this.windowing.viewChanged(view, shown.position);
        return shown;
      },
      draw: (visible, options) => {
        this.renderer.draw(visible, options);
        const { view, displayed } = store;
        this.editing.showingAsOf(
          view.mode,
          view.asOf ?? this.reader.partial?.recordedAtOf(displayed.position),
        );
        this.urlSync.schedule();
      },
    });
    this.store = store;
    this.urlSync = new UrlSync(() => store.view);
    this.live = new LiveTimeline({
      onEvent: (envelope) => {
        this.reader.follow(envelope);
        this.windowing?.liveEvent();
        if (store.view.mode === 'live') store.recompute();
        store.queueRender();
        if (envelope.eventId === this.selectOnArrival) {
          this.selectOnArrival = undefined;
          if (store.view.mode === 'live') {
            store.render();
            this.select(envelope.eventId, true);
          }
        }
      },
      onStatus: () => this.renderer.drawStatus(),
    });
    this.reader = new LogReader({
      livePosition: () => this.live.position,
      onChange: (settled) => (settled ? store.render() : store.queueRender()),
    });
    const replay = new ReplayController({
      store,
      reader: this.reader,
      player: new Player(SPEEDS[0]),
      livePosition: () => this.live.position,
      serverSide: () => this.windowing !== undefined,
    });
    this.replay = replay;
    this.timeline = new TimelineView(
      shell.timelineCanvas,
      {
        onSelect: (itemId) => this.select(itemId, false),
        onWindowChange: (window) => {
          store.view.window = window;
          this.windowing?.rangeChanged(window);
          this.urlSync.schedule();
        },
        onSweepDrag: (ms) => replay.setSweepMarker(ms),
      },
      (itemId) => store.displayed.items.get(itemId),
    );
    const guard = (work: Promise<void>) => this.errors.guard(work);
    const panels = {
      timeline: this.timeline,
      detail: new DetailPanel(shell.detail),
      filters: new FiltersPanel(shell.filters, store.view.filter, (filter) => {
        store.view.filter = filter;
        store.render({ facetsNow: true });
      }),
      stats: new StatsPanel(shell.stats, (scope) => {
        store.view.stats = scope;
        store.render({ facetsNow: true });
      }),
      replayBar: new ReplayBar(shell.replay, {
        onMode: (mode) => guard(replay.setMode(mode)),
        onPlayToggle: () => guard(replay.togglePlay()),
        onStep: (direction) => guard(replay.step(direction)),
        onSpeed: (speed) => replay.setSpeed(speed),
        onScrub: (position) => guard(replay.goToPosition(position)),
        onSweepScrub: (index) => replay.setSweepPassed(index),
        onAsOf: (iso) => guard(replay.setAsOf(iso)),
        onDiff: (a, b) => guard(replay.runDiff(a, b)),
        onDiffClear: () => guard(replay.setMode('replay')),
      }),
    };
    this.editing = new Editing(shell, {
      liveItems: () => this.live.items,
      selectWhenShown: (itemId) => {
        if (this.live.items.has(itemId)) this.select(itemId, true);
        else this.selectOnArrival = itemId;
      },
      redrawDetail: () => this.renderer.drawDetail(),
      showError: (message) => this.errors.show(message, 'Import'),
    });
    this.renderer = new Renderer(shell, panels, {
      store,
      live: this.live,
      reader: this.reader,
      replay,
      onSelect: (itemId) => this.select(itemId, true),
      actions: () => this.editing.detailActions(),
      windowed: () => this.windowing?.source,
    });
    this.wireHeader();
    wireKeyboard(shell, {
      visibleOrder: () => store.visibleOrder,
      selected: () => store.view.selected,
      select: (itemId, reveal) => this.select(itemId, reveal),
      openDetail: () => panels.detail.heading.focus(),
      zoom: (direction) => this.timeline.zoom(direction),
      fit: () => this.fit(),
      toggleStats: () => this.toggleStats(),
    });
  }

  async start(): Promise<void> {
    try {
      const first = await loadTimeline(this.shell, this.errors, () => firstRead(fetchTimeline));
      if (first.kind === 'whole') this.live.load(first.response);
      else {
        this.live.load({ items: [], position: first.first.response.position });
        this.windowing = this.windowingFor(first);
      }
      this.live.follow();
      const { store } = this;
      if (store.view.mode !== 'live') await this.replay.openedInPast();
      const showWindow = () => (store.view.window ? this.timeline.setWindow(store.view.window) : this.fit());
      // Read by window, the window decides what is loaded, so it comes first; then again to draw at once.
      if (this.windowing) showWindow();
      store.refresh({ facetsNow: true });
      showWindow();
      this.windowing?.rangeChanged(this.timeline.getWindow());
      // A permalink (`?sel=` without a window) shows the item it names.
      if (store.view.selected) this.timeline.select(store.view.selected, !store.view.window);
      this.readyResolve();
    } catch (error) {
      this.errors.showFatal(error);
      this.shell.status.textContent = 'Not loaded';
      this.readyReject(error);
    }
  }

  snapshot(): AppSnapshot {
    const { store, replay } = this;
    return snapshotOf({
      view: store.view,
      displayed: store.displayed,
      visibleOrder: store.visibleOrder,
      head: this.reader.head(),
      livePosition: this.live.position,
      newEvents: replay.newEvents(),
      playing: replay.playing,
      speed: replay.speed,
      connection: this.live.connection,
      logLoaded: this.reader.partial !== null,
      ...(this.windowing ? { windowed: this.windowing.source.snapshot(store.view) } : {}),
    });
  }

  position(): number {
    return this.store.displayed.position;
  }

  private select(itemId: string | undefined, reveal: boolean): void {
    if (itemId === undefined) delete this.store.view.selected;
    else this.store.view.selected = itemId;
    this.timeline.select(itemId, reveal);
    this.renderer.drawDetail();
    this.urlSync.schedule();
  }

  /** Shows every event: the items' own dates, or, read by window, the whole valid-time range. */
  private fit(): void {
    const range = this.windowing?.fullRange;
    if (range) this.timeline.setWindow(range);
    else this.timeline.fit();
  }

  private windowingFor(
    first: Extract<Awaited<ReturnType<typeof firstRead>>, { kind: 'windowed' }>,
  ): Windowing {
    const windowing = new Windowing(
      {
        shell: this.shell,
        live: this.live,
        timeline: this.timeline,
        view: () => this.store.view,
        onChange: () => this.store.refresh(),
        onError: (error) => this.errors.show(error, 'The timeline window could not be loaded'),
        onScrub: (position) => this.errors.guard(this.replay.goToPosition(position)),
      },
      first,
    );
    return windowing;
  }

  private toggleStats(): void {
    const { view } = this.store;
    if (view.stats) delete view.stats;
    else view.stats = 'all';
    this.store.render({ facetsNow: true });
  }

  private wireHeader(): void {
    const { shell, store } = this;
    shell.groupBy.value = store.view.groupBy;
    shell.groupBy.addEventListener('change', () => {
      store.view.groupBy = shell.groupBy.value === 'actor' ? 'actor' : 'pillar';
      store.render();
    });
    shell.zoomIn.addEventListener('click', () => this.timeline.zoom('in'));
    shell.zoomOut.addEventListener('click', () => this.timeline.zoom('out'));
    shell.fit.addEventListener('click', () => this.fit());
    shell.statsToggle.addEventListener('click', () => this.toggleStats());
    shell.liveBadge.addEventListener('click', () => this.replay.goLive());
    shell.goLive.addEventListener('click', () => this.replay.goLive());
  }
}
