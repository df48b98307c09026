import {
  applyToTimeline,
  compareItems,
  type EventEnvelope,
  matchesTimelineFilter,
  type TimelineItem,
  type TimelineResponse,
  upcastEnvelope,
  validTimeBounds,
} from '@timeline/shared-types';
import { ApiError, fetchLogPage, fetchTimeline } from '../api/api.ts';
import { diffTimelines, type TimelineDiff } from '../model/diff.ts';
import { computeFacets, type FilterState, toTimelineFilter } from '../model/filters.ts';
import { formatCount, formatInstant, formatMarker, plural } from '../base/format.ts';
import { backoffDelay, type LiveStatus, LiveStream } from '../live/live-stream.ts';
import { navActionFor, stepSelection } from '../model/nav.ts';
import { ReplayLog } from '../replay/replay-log.ts';
import { Sequencer } from '../live/sequencer.ts';
import { statsFor } from '../model/stats.ts';
import { DIFF_CLASS } from '../base/styling.ts';
import { DetailPanel } from '../ui/detail-panel.ts';
import { FiltersPanel } from '../ui/filters-panel.ts';
import { ReplayBar, SPEEDS } from '../ui/replay-bar.ts';
import type { Shell } from '../ui/shell.ts';
import { askForReadToken } from '../ui/sign-in.ts';
import { type StatsPanelState, StatsPanel } from '../ui/stats-panel.ts';
import { TimelineView } from '../timeline/timeline-view.ts';
import { parseViewState, serializeViewState, type ViewState } from '../model/url-state.ts';
import type { GroupBy } from '../timeline/vis-mapping.ts';

const LOG_PAGE = 1000;
const URL_DEBOUNCE_MS = 300;
const FACETS_EVERY_MS = 250;
const DAY_MS = 86_400_000;

/** What is on screen: a state of the timeline and where in the log it comes from. */
interface Displayed {
  items: ReadonlyMap<string, TimelineItem>;
  position: number;
  diff?: TimelineDiff;
  /** Sweep: sorted distinct start times of the state's items, and how many the marker has passed. */
  sweep?: { stops: number[]; passed: number; marker: number };
}

/** A read-only view of the app for tests and debugging (`window.__timeline.state()`). */
export interface AppSnapshot {
  mode: ViewState['mode'];
  groupBy: GroupBy;
  filter: FilterState;
  window?: { start: string; end: string };
  position: number;
  head: number;
  livePosition: number;
  asOf?: string;
  sweep?: string;
  diff?: { a: number; b: number; added: string[]; changed: string[]; retracted: string[] };
  selected?: string;
  /** The stats panel's scope while it is open. */
  stats?: 'all' | 'shown';
  newEvents: number;
  playing: boolean;
  speed: number;
  items: number;
  visible: number;
  visibleIds: string[];
  connection: LiveStatus['state'];
  logLoaded: boolean;
}

/**
 * The controller. It owns the live read model (GET /api/timeline, then the SSE stream folded with
 * the shared `applyToTimeline`), the replay log (GET /api/events, folded the same way), and the view
 * state that the URL mirrors; the components only draw what it hands them and report input.
 */
export class App {
  view: ViewState;
  private readonly live = { items: new Map<string, TimelineItem>(), position: 0 };
  private log: ReplayLog | null = null;
  private logLoading: Promise<ReplayLog> | null = null;
  private logProgress: { loaded: number; total: number } | undefined;
  private leftLiveAt: number | undefined;
  private displayed: Displayed = { items: new Map(), position: 0 };
  private visibleOrder: string[] = [];
  private playing = false;
  private speed: number = SPEEDS[0];
  private playFrame: number | undefined;
  private connection: LiveStatus = { state: 'connecting', after: 0 };
  private sequencer: Sequencer | undefined;
  private stream: LiveStream | undefined;
  private renderQueued = false;
  private urlTimer: ReturnType<typeof setTimeout> | undefined;
  private facetsAt = 0;
  private facetsTimer: ReturnType<typeof setTimeout> | undefined;
  private statsAt = 0;
  private statsTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly statsPanel: StatsPanel;
  private readonly timelineView: TimelineView;
  private readonly detail: DetailPanel;
  private readonly filters: FiltersPanel;
  private readonly replayBar: ReplayBar;
  private readyResolve!: () => void;
  private readyReject!: (error: unknown) => void;
  readonly ready: Promise<void>;

  constructor(private readonly shell: Shell) {
    this.ready = new Promise((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
    this.view = parseViewState(location.search);
    this.timelineView = new TimelineView(
      shell.timelineCanvas,
      {
        onSelect: (itemId) => this.select(itemId, false),
        onWindowChange: (window) => {
          this.view.window = window;
          this.scheduleUrl();
        },
        onSweepDrag: (ms) => this.setSweepMarker(ms),
      },
      (itemId) => this.displayed.items.get(itemId),
    );
    this.detail = new DetailPanel(shell.detail);
    this.filters = new FiltersPanel(shell.filters, this.view.filter, (filter) => {
      this.view.filter = filter;
      this.render({ facetsNow: true });
    });
    this.statsPanel = new StatsPanel(shell.stats, (scope) => {
      this.view.stats = scope;
      this.render({ facetsNow: true });
    });
    this.replayBar = new ReplayBar(shell.replay, {
      onMode: (mode) => this.guard(this.setMode(mode)),
      onPlayToggle: () => this.guard(this.togglePlay()),
      onStep: (direction) => this.guard(this.step(direction)),
      onSpeed: (speed) => {
        this.speed = speed;
        this.render();
      },
      onScrub: (position) => this.guard(this.goToPosition(position)),
      onSweepScrub: (index) => this.setSweepPassed(index),
      onAsOf: (iso) => this.guard(this.setAsOf(iso)),
      onDiff: (a, b) => this.guard(this.runDiff(a, b)),
      onDiffClear: () => this.guard(this.setMode('replay')),
    });
    this.wireHeader();
    this.wireKeyboard();
  }

  get timeline(): TimelineView {
    return this.timelineView;
  }

  async start(): Promise<void> {
    try {
      const response = await this.loadTimeline();
      for (const item of response.items) this.live.items.set(item.id, item);
      this.live.position = response.position;
      this.startStream();
      if (this.view.mode !== 'live') {
        this.leftLiveAt = this.live.position;
        await this.ensureLog();
      }
      this.recompute();
      this.render({ facetsNow: true });
      if (this.view.window) this.timelineView.setWindow(this.view.window);
      else this.timelineView.fit();
      if (this.view.selected) this.timelineView.select(this.view.selected, false);
      this.readyResolve();
    } catch (error) {
      this.shell.error.dataset.fatal = 'true';
      this.showError(error);
      this.shell.status.textContent = 'Not loaded';
      this.readyReject(error);
    }
  }

  /**
   * The first read of the read model. While the API is starting (unreachable, or answering 5xx) it is
   * retried with backoff and the page says so; a 4xx is final.
   */
  private async loadTimeline(): Promise<TimelineResponse> {
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await fetchTimeline();
        this.clearError();
        return response;
      } catch (error) {
        // Reads are closed (TIMELINE_READ_TOKENS) and this browser has no session yet: ask, then retry.
        if (error instanceof ApiError && error.status === 401) {
          this.shell.status.textContent = 'Read token needed';
          await askForReadToken(this.shell.error);
          attempt = -1;
          continue;
        }
        if (error instanceof ApiError && error.status !== undefined && error.status < 500) throw error;
        const wait = backoffDelay(attempt, { maxMs: 10_000 });
        this.showError(error, `Waiting for the API (trying again in ${Math.ceil(wait / 1000)} s)`);
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  snapshot(): AppSnapshot {
    const diff = this.displayed.diff;
    const window = this.view.window;
    const snap: AppSnapshot = {
      mode: this.view.mode,
      groupBy: this.view.groupBy,
      filter: structuredClone(this.view.filter),
      position: this.displayed.position,
      head: this.head(),
      livePosition: this.live.position,
      newEvents: this.newEvents(),
      playing: this.playing,
      speed: this.speed,
      items: [...this.displayed.items.values()].filter((i) => !i.retracted).length,
      visible: this.visibleOrder.length,
      visibleIds: [...this.visibleOrder],
      connection: this.connection.state,
      logLoaded: this.log !== null,
    };
    if (window)
      snap.window = { start: new Date(window.start).toISOString(), end: new Date(window.end).toISOString() };
    if (this.view.mode === 'replay' && this.view.asOf) snap.asOf = this.view.asOf;
    if (this.displayed.sweep) snap.sweep = new Date(this.displayed.sweep.marker).toISOString();
    if (diff) {
      const ids = (kind: string) => diff.entries.filter((e) => e.kind === kind).map((e) => e.item.id);
      snap.diff = {
        a: diff.from,
        b: diff.to,
        added: ids('added'),
        changed: ids('changed'),
        retracted: ids('retracted'),
      };
    }
    if (this.view.selected) snap.selected = this.view.selected;
    if (this.view.stats) snap.stats = this.view.stats;
    return snap;
  }

  position(): number {
    return this.displayed.position;
  }

  // ---- live ---------------------------------------------------------------------------------

  private startStream(): void {
    this.sequencer = new Sequencer(this.live.position, {
      fetchRange: async (after, limit) => (await fetchLogPage(after, limit)).events,
      apply: (envelope) => this.onLiveEvent(envelope),
      onGap: (after, missing) =>
        console.info(`timeline: reading ${missing} missing event(s) after position ${after}`),
      onError: (error) => console.warn('timeline: filling a gap failed', error),
    });
    const sequencer = this.sequencer;
    this.stream = new LiveStream({
      after: () => sequencer.position,
      onEvent: (envelope) => sequencer.push(envelope),
      onHeartbeat: (head) => sequencer.noteHead(head),
      onStatus: (status) => {
        this.connection = status;
        this.renderStatus();
      },
    });
    this.stream.start();
  }

  /** Every event, exactly once and in order (the Sequencer sees to it). */
  private onLiveEvent(envelope: EventEnvelope): void {
    try {
      applyToTimeline(this.live.items, upcastEnvelope(envelope));
    } catch (error) {
      console.warn(`timeline: event at position ${envelope.position} cannot be read and is skipped`, error);
    }
    this.live.position = envelope.position;
    if (this.log && !this.logLoading) this.appendToLog(envelope);
    if (this.view.mode === 'live') this.recompute();
    this.queueRender();
  }

  private appendToLog(envelope: EventEnvelope): void {
    const log = this.log;
    if (!log) return;
    if (envelope.position <= log.head) return;
    if (envelope.position === log.head + 1) {
      log.append(envelope);
      return;
    }
    // The log fell behind the stream (it was read while the stream ran ahead): top it up.
    void this.topUpLog();
  }

  private newEvents(): number {
    return this.view.mode === 'live' || this.leftLiveAt === undefined
      ? 0
      : Math.max(0, this.live.position - this.leftLiveAt);
  }

  // ---- the log ------------------------------------------------------------------------------

  private async ensureLog(): Promise<ReplayLog> {
    if (this.log && !this.logLoading) return this.log;
    if (this.logLoading) return this.logLoading;
    const log = new ReplayLog();
    this.log = log;
    this.logLoading = this.readLog(log)
      .catch((error: unknown) => {
        // A half-read log must not pass for the whole one: the next attempt starts again.
        this.log = null;
        throw error;
      })
      .finally(() => {
        this.logLoading = null;
        this.logProgress = undefined;
        this.render();
      });
    return this.logLoading;
  }

  /** Pages through GET /api/events until the log has caught up with the stream. */
  private async readLog(log: ReplayLog): Promise<ReplayLog> {
    for (;;) {
      const page = await fetchLogPage(log.head, LOG_PAGE);
      for (const envelope of page.events) log.append(envelope);
      this.logProgress = { loaded: log.head, total: Math.max(page.head, this.live.position) };
      this.queueRender();
      if (page.events.length === 0 || (log.head >= page.head && log.head >= this.live.position)) return log;
    }
  }

  private topUpPromise: Promise<void> | null = null;
  private topUpLog(): Promise<void> {
    if (this.topUpPromise) return this.topUpPromise;
    const log = this.log;
    if (!log) return Promise.resolve();
    this.topUpPromise = (async () => {
      while (log.head < this.live.position) {
        const page = await fetchLogPage(log.head, LOG_PAGE);
        if (!page.events.length) break;
        for (const envelope of page.events) log.append(envelope);
      }
    })()
      .catch((error: unknown) => console.warn('timeline: topping up the log failed', error))
      .finally(() => {
        this.topUpPromise = null;
        this.queueRender();
      });
    return this.topUpPromise;
  }

  private head(): number {
    return this.log && !this.logLoading ? Math.max(this.log.head, 0) : this.live.position;
  }

  // ---- modes --------------------------------------------------------------------------------

  private leaveLive(): void {
    if (this.view.mode === 'live') this.leftLiveAt = this.live.position;
  }

  async setMode(mode: 'live' | 'replay' | 'sweep'): Promise<void> {
    if (mode === 'live') return this.goLive();
    this.stopPlaying();
    this.leaveLive();
    await this.ensureLog();
    // Carry on from the state on screen (live: the head; diff: B; "as of": its position).
    this.recompute();
    const position = this.displayed.position;
    if (mode === 'replay') {
      this.view = { ...this.view, mode: 'replay', position };
      delete this.view.asOf;
      delete this.view.diff;
      delete this.view.sweep;
    } else {
      this.view = { ...this.view, mode: 'sweep', position };
      delete this.view.asOf;
      delete this.view.diff;
      delete this.view.sweep;
    }
    this.recompute();
    this.render({ facetsNow: true });
  }

  goLive(): void {
    this.stopPlaying();
    this.view = { ...this.view, mode: 'live' };
    delete this.view.position;
    delete this.view.asOf;
    delete this.view.sweep;
    delete this.view.diff;
    this.leftLiveAt = undefined;
    this.recompute();
    this.render({ facetsNow: true });
  }

  async goToPosition(position: number): Promise<void> {
    this.leaveLive();
    const log = await this.ensureLog();
    const clamped = Math.max(0, Math.min(Math.round(position), log.head));
    if (this.view.mode === 'sweep') {
      this.view.position = clamped;
    } else {
      this.view = { ...this.view, mode: 'replay', position: clamped };
      delete this.view.asOf;
      delete this.view.diff;
    }
    this.recompute();
    this.render();
  }

  async setAsOf(iso: string | undefined): Promise<void> {
    this.stopPlaying();
    this.leaveLive();
    const log = await this.ensureLog();
    if (iso === undefined) {
      const position = this.view.asOf ? log.positionForAsOf(this.view.asOf) : this.displayed.position;
      this.view = { ...this.view, mode: 'replay', position };
      delete this.view.asOf;
    } else {
      this.view = { ...this.view, mode: 'replay', asOf: iso, position: log.positionForAsOf(iso) };
    }
    delete this.view.diff;
    delete this.view.sweep;
    this.recompute();
    this.render({ facetsNow: true });
  }

  async runDiff(a: number, b: number): Promise<void> {
    this.stopPlaying();
    this.leaveLive();
    const log = await this.ensureLog();
    const clamp = (p: number) => Math.max(0, Math.min(Math.round(p), log.head));
    const [from, to] = [clamp(a), clamp(b)].sort((x, y) => x - y) as [number, number];
    this.view = { ...this.view, mode: 'diff', diff: { a: from, b: to } };
    delete this.view.asOf;
    delete this.view.sweep;
    this.recompute();
    this.render({ facetsNow: true });
  }

  // ---- playing ------------------------------------------------------------------------------

  async togglePlay(): Promise<void> {
    if (this.playing) {
      this.stopPlaying();
      this.render();
      return;
    }
    if (this.view.mode === 'live' || this.view.mode === 'diff') {
      this.leaveLive();
      await this.ensureLog();
      this.view = { ...this.view, mode: 'replay', position: 0 };
      delete this.view.diff;
      delete this.view.asOf;
      this.recompute();
    } else if (this.view.mode === 'replay') {
      delete this.view.asOf;
      if (this.displayed.position >= this.head()) this.view.position = 0;
    } else if (
      this.view.mode === 'sweep' &&
      this.displayed.sweep &&
      this.displayed.sweep.passed >= this.displayed.sweep.stops.length
    ) {
      this.setSweepPassed(0);
    }
    this.playing = true;
    let last = performance.now();
    let owed = 0;
    const tick = (now: number) => {
      if (!this.playing) return;
      owed += ((now - last) / 1000) * this.speed;
      last = now;
      const steps = Math.floor(owed);
      if (steps > 0) {
        owed -= steps;
        const moved = this.advance(steps);
        if (!moved) {
          this.stopPlaying();
          this.render();
          return;
        }
      }
      this.playFrame = requestAnimationFrame(tick);
    };
    this.playFrame = requestAnimationFrame(tick);
    this.render();
  }

  private stopPlaying(): void {
    this.playing = false;
    if (this.playFrame !== undefined) cancelAnimationFrame(this.playFrame);
    this.playFrame = undefined;
  }

  /** Moves the replay (or the sweep) on by `steps`; false at the end. */
  private advance(steps: number): boolean {
    if (this.view.mode === 'sweep') {
      const sweep = this.displayed.sweep;
      if (!sweep || sweep.passed >= sweep.stops.length) return false;
      this.setSweepPassed(Math.min(sweep.passed + steps, sweep.stops.length));
      return true;
    }
    const head = this.head();
    if (this.displayed.position >= head) return false;
    this.view.position = Math.min(this.displayed.position + steps, head);
    this.recompute();
    this.render();
    return true;
  }

  async step(direction: 1 | -1): Promise<void> {
    this.stopPlaying();
    if (this.view.mode === 'sweep') {
      const sweep = this.displayed.sweep;
      if (sweep) this.setSweepPassed(Math.max(0, Math.min(sweep.passed + direction, sweep.stops.length)));
      return;
    }
    if (this.view.mode === 'diff') return;
    await this.goToPosition(this.displayed.position + direction);
  }

  // ---- sweep --------------------------------------------------------------------------------

  private setSweepPassed(passed: number): void {
    const sweep = this.displayed.sweep;
    if (this.view.mode !== 'sweep' || !sweep) return;
    const clamped = Math.max(0, Math.min(passed, sweep.stops.length));
    this.view.sweep = clamped === 0 ? (sweep.stops[0] ?? Date.now()) - DAY_MS : sweep.stops[clamped - 1];
    this.recompute();
    this.render();
  }

  private setSweepMarker(ms: number): void {
    if (this.view.mode !== 'sweep') return;
    this.view.sweep = ms;
    this.recompute();
    this.render();
  }

  // ---- selection and keyboard ---------------------------------------------------------------

  select(itemId: string | undefined, reveal: boolean): void {
    if (itemId === undefined) delete this.view.selected;
    else this.view.selected = itemId;
    this.timelineView.select(itemId, reveal);
    this.renderDetail();
    this.scheduleUrl();
  }

  private wireHeader(): void {
    const { shell } = this;
    shell.groupBy.value = this.view.groupBy;
    shell.groupBy.addEventListener('change', () => {
      this.view.groupBy = shell.groupBy.value === 'actor' ? 'actor' : 'pillar';
      this.render();
    });
    shell.zoomIn.addEventListener('click', () => this.timelineView.zoom('in'));
    shell.zoomOut.addEventListener('click', () => this.timelineView.zoom('out'));
    shell.fit.addEventListener('click', () => this.timelineView.fit());
    shell.statsToggle.addEventListener('click', () => this.toggleStats());
    shell.liveBadge.addEventListener('click', () => this.goLive());
    shell.goLive.addEventListener('click', () => this.goLive());
  }

  private wireKeyboard(): void {
    document.addEventListener('keydown', (event) => {
      const target = event.target as HTMLElement | null;
      const onTimeline =
        target === document.body || (target !== null && this.shell.timelineRegion.contains(target));
      if (!onTimeline || event.defaultPrevented) return;
      const action = navActionFor(event.key, { ctrl: event.ctrlKey, meta: event.metaKey, alt: event.altKey });
      if (!action) return;
      event.preventDefault();
      switch (action) {
        case 'next':
        case 'prev':
        case 'first':
        case 'last':
          this.select(stepSelection(this.visibleOrder, this.view.selected, action), true);
          break;
        case 'open':
          if (this.view.selected) this.detail.heading.focus();
          break;
        case 'zoom-in':
          this.timelineView.zoom('in');
          break;
        case 'zoom-out':
          this.timelineView.zoom('out');
          break;
        case 'fit':
          this.timelineView.fit();
          break;
        case 'stats':
          this.toggleStats();
          break;
        case 'clear':
          this.select(undefined, false);
          break;
      }
    });
    // Escape in the panel returns to where the user was on the timeline.
    this.shell.detail.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.shell.timelineRegion.focus();
    });
  }

  // ---- computing what is shown --------------------------------------------------------------

  /** Recomputes the state on screen from the mode; cheap for live, a fold step for replay. */
  private recompute(): void {
    const { view } = this;
    const log = this.log && !this.logLoading ? this.log : null;
    if (view.mode === 'live' || !log) {
      this.displayed = { items: this.live.items, position: this.live.position };
      return;
    }
    if (view.mode === 'diff' && view.diff) {
      const before = log.stateAt(view.diff.a);
      const after = log.stateAt(view.diff.b);
      const diff = diffTimelines(view.diff.a, before, view.diff.b, after);
      this.displayed = { items: diff.items, position: view.diff.b, diff };
      return;
    }
    const position =
      view.mode === 'replay' && view.asOf
        ? log.positionForAsOf(view.asOf)
        : Math.max(0, Math.min(view.position ?? log.head, log.head));
    const items = log.stateAt(position);
    if (view.mode !== 'sweep') {
      this.displayed = { items, position };
      return;
    }
    const filter = toTimelineFilter(view.filter);
    const stops = [
      ...new Set(
        [...items.values()]
          .filter((i) => matchesTimelineFilter(i, filter))
          .map((i) => validTimeBounds(i.occurredAt).startMs),
      ),
    ].sort((a, b) => a - b);
    const marker = view.sweep ?? (stops[0] ?? Date.now()) - DAY_MS;
    view.sweep = marker;
    const passed = stops.filter((s) => s <= marker).length;
    this.displayed = { items, position, sweep: { stops, passed, marker } };
  }

  private queueRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.render();
    });
  }

  /** Draws everything from `displayed` and `view`. */
  render(options: { facetsNow?: boolean } = {}): void {
    const { view, displayed } = this;
    const filter = toTimelineFilter(view.filter, view.mode === 'diff');
    const sweepMarker = displayed.sweep?.marker;
    const visible: TimelineItem[] = [];
    for (const item of displayed.items.values()) {
      if (!matchesTimelineFilter(item, filter)) continue;
      if (sweepMarker !== undefined && validTimeBounds(item.occurredAt).startMs > sweepMarker) continue;
      visible.push(item);
    }
    visible.sort(compareItems);
    this.visibleOrder = visible.map((i) => i.id);
    const kindOf = displayed.diff?.kindOf;
    this.timelineView.render(visible, view.groupBy, (item) => {
      const kind = kindOf?.get(item.id);
      return kind ? [DIFF_CLASS[kind]] : [];
    });
    this.timelineView.setSweepMarker(
      sweepMarker,
      sweepMarker === undefined ? '' : `Sweep: ${formatMarker(sweepMarker)}`,
    );
    this.shell.groupBy.value = view.groupBy;
    this.renderFacets(visible.length, options.facetsNow === true);
    this.renderStats(visible, options.facetsNow === true);
    this.renderDetail();
    this.renderReplayBar();
    this.renderStatus();
    this.scheduleUrl();
  }

  /** Facet counts cost a pass over every item per facet: during playback they refresh a few times a second. */
  private renderFacets(shown: number, now: boolean): void {
    const draw = () => {
      this.facetsAt = performance.now();
      const items = [...this.displayed.items.values()];
      const total = items.filter((i) => !i.retracted).length;
      this.filters.update(this.view.filter, computeFacets(items, this.view.filter), shown, total);
    };
    clearTimeout(this.facetsTimer);
    if (now || performance.now() - this.facetsAt > FACETS_EVERY_MS) draw();
    else this.facetsTimer = setTimeout(draw, FACETS_EVERY_MS);
  }

  toggleStats(): void {
    if (this.view.stats) delete this.view.stats;
    else this.view.stats = 'all';
    this.render({ facetsNow: true });
  }

  /**
   * The stats panel counts the state on screen with the API's own function: scope "all" is what
   * `GET /api/stats` answers for the same knowledge time; "shown" applies the filters (and the sweep).
   * Like the facets, it refreshes a few times a second at most during playback.
   */
  private renderStats(visible: readonly TimelineItem[], now: boolean): void {
    const scope = this.view.stats;
    this.shell.stats.hidden = scope === undefined;
    this.shell.statsToggle.setAttribute('aria-expanded', String(scope !== undefined));
    clearTimeout(this.statsTimer);
    if (scope === undefined) return;
    const draw = () => {
      this.statsAt = performance.now();
      const { view, displayed } = this;
      const items = scope === 'shown' ? visible : displayed.items.values();
      const position = formatCount(displayed.position);
      const state: StatsPanelState = {
        view: statsFor(items),
        scope,
        describes:
          view.mode === 'live'
            ? `live at position ${position}`
            : view.mode === 'replay' && view.asOf
              ? `as of ${formatInstant(view.asOf)} (position ${position})`
              : view.mode === 'diff'
                ? `at position ${position} (the diff's B side)`
                : `at position ${position}`,
      };
      // Links to the API's figures for the same state, when the API can name that state.
      if (scope === 'all' && view.mode === 'live')
        state.downloads = { json: '/api/stats', csv: '/api/stats?format=csv' };
      else if (scope === 'all' && view.mode === 'replay' && view.asOf) {
        const asOf = encodeURIComponent(view.asOf);
        state.downloads = { json: `/api/stats?asOf=${asOf}`, csv: `/api/stats?format=csv&asOf=${asOf}` };
      }
      this.statsPanel.update(state);
    };
    if (now || performance.now() - this.statsAt > FACETS_EVERY_MS) draw();
    else this.statsTimer = setTimeout(draw, FACETS_EVERY_MS);
  }

  private renderDetail(): void {
    const id = this.view.selected;
    const shown = id === undefined ? undefined : this.displayed.items.get(id);
    let missingReason: string | undefined;
    let item = shown;
    if (id !== undefined && (!shown || (shown.retracted && this.view.mode !== 'diff'))) {
      const known = this.live.items.get(id);
      if (shown?.retracted)
        missingReason = `Retracted as of position ${formatCount(this.displayed.position)}.`;
      else if (known) {
        item = known;
        missingReason = `Not yet recorded at position ${formatCount(this.displayed.position)}; shown as it stands now.`;
      } else missingReason = 'This event is not in the timeline (it may have been retracted).';
    }
    const context: Parameters<DetailPanel['show']>[1] = { onSelect: (itemId) => this.select(itemId, true) };
    if (missingReason !== undefined) context.missingReason = missingReason;
    const diff = this.displayed.diff;
    if (diff) {
      // The list agrees with the drawing: the same filter applies to both.
      const filter = toTimelineFilter(this.view.filter, true);
      context.diff = { ...diff, entries: diff.entries.filter((e) => matchesTimelineFilter(e.item, filter)) };
    }
    this.detail.show(item, context);
  }

  private renderReplayBar(): void {
    const { view, displayed } = this;
    const head = this.head();
    const state: Parameters<ReplayBar['update']>[0] = {
      mode: view.mode,
      playing: this.playing,
      speed: this.speed,
      position: displayed.position,
      head,
    };
    const recordedAt = this.log?.recordedAtOf(displayed.position);
    if (recordedAt && view.mode !== 'live') state.recordedAt = recordedAt;
    if (view.mode === 'replay' && view.asOf) state.asOf = view.asOf;
    if (this.logProgress) state.loading = this.logProgress;
    if (displayed.sweep) {
      const { stops, passed, marker } = displayed.sweep;
      state.sweep = {
        index: passed,
        count: stops.length + 1,
        label: `${formatMarker(marker)} · ${plural(passed, 'date')} of ${formatCount(stops.length)} passed`,
      };
    }
    if (view.diff) state.diff = view.diff;
    this.replayBar.update(state);
  }

  private renderStatus(): void {
    const { view, displayed, shell } = this;
    const connection = this.connection;
    const link =
      connection.state === 'open'
        ? 'connected'
        : connection.state === 'reconnecting'
          ? `reconnecting in ${Math.ceil(connection.inMs / 1000)} s (${connection.reason})`
          : connection.state === 'connecting'
            ? 'connecting…'
            : 'stopped';
    let text: string;
    switch (view.mode) {
      case 'live':
        text = `● Live · position ${formatCount(this.live.position)} · ${link}`;
        break;
      case 'replay':
        text = view.asOf
          ? `Replay as of ${formatInstant(view.asOf)} · position ${formatCount(displayed.position)} of ${formatCount(this.head())}`
          : `Replay · position ${formatCount(displayed.position)} of ${formatCount(this.head())}`;
        break;
      case 'sweep':
        text = `Sweeping dates · knowledge at position ${formatCount(displayed.position)}`;
        break;
      case 'diff':
        text = `Comparing positions ${formatCount(view.diff?.a ?? 0)} → ${formatCount(view.diff?.b ?? 0)}`;
        break;
    }
    shell.status.textContent = text;
    shell.status.dataset.mode = view.mode;
    shell.status.dataset.connection = connection.state;
    const count = this.newEvents();
    shell.liveBadge.hidden = count === 0;
    shell.liveBadge.textContent = `${plural(count, 'new event')} — back to live`;
    shell.liveBadge.dataset.count = String(count);
    shell.goLive.hidden = view.mode === 'live' || count > 0;
  }

  private scheduleUrl(): void {
    clearTimeout(this.urlTimer);
    this.urlTimer = setTimeout(() => {
      const query = serializeViewState(this.view);
      const url = `${location.pathname}${query ? `?${query}` : ''}${location.hash}`;
      if (url !== `${location.pathname}${location.search}${location.hash}`)
        history.replaceState(null, '', url);
    }, URL_DEBOUNCE_MS);
  }

  /** User actions run async (the log may need reading first); a failure is shown, not swallowed. */
  private guard(work: Promise<void>): void {
    work.then(
      () => this.clearError(),
      (error: unknown) => this.showError(error, 'The log could not be read'),
    );
  }

  private clearError(): void {
    if (this.shell.error.dataset.fatal === 'true') return;
    this.shell.error.hidden = true;
  }

  private showError(error: unknown, what = 'The timeline could not be loaded'): void {
    const message = error instanceof Error ? error.message : String(error);
    this.shell.error.hidden = false;
    this.shell.error.textContent = `${what}: ${message}.`;
  }
}
