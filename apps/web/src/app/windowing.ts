import type { TimelineOverviewResponse, TimelineResponse } from '@timeline/shared-types';
import { fetchLogHistogram, fetchOverview, fetchWindow } from '../api/window-api.ts';
import type { LiveTimeline } from '../live/live-timeline.ts';
import type { ViewState } from '../model/url-state.ts';
import type { TimelineView } from '../timeline/timeline-view.ts';
import { LogHistogram } from '../ui/log-histogram.ts';
import { OverviewStrip } from '../ui/overview-strip.ts';
import type { Shell } from '../ui/shell.ts';
import { EMPTY_FILTER } from '../model/filters.ts';
import {
  fetchSpanFor,
  type Span,
  WHOLE_BUDGET,
  type WindowQuery,
  windowSearch,
} from '../window/window-key.ts';
import type { LoadedWindow } from '../window/window-loader.ts';
import { WindowedSource } from '../window/windowed-source.ts';

/** How often, at most, live events refresh the overview and the log histogram. */
const REFRESH_EVERY_MS = 1000;
const HISTOGRAM_BUCKETS = 120;

/**
 * What the first read found: a timeline small enough to hold whole (the page then works as it always
 * has: client-side filters, the replay log folded in the browser), or one to read by window.
 */
export type FirstRead =
  | { kind: 'whole'; response: TimelineResponse }
  | { kind: 'windowed'; overview: TimelineOverviewResponse; first: LoadedWindow };

/**
 * The first read: the overview, then the whole valid-time range with the whole budget. Within budget
 * the answer is the whole timeline; over it, the page reads by window from then on. An API without the
 * overview (404) is read whole.
 */
export async function firstRead(fetchWhole: () => Promise<TimelineResponse>): Promise<FirstRead> {
  let overview: TimelineOverviewResponse;
  try {
    overview = await fetchOverview();
  } catch (error) {
    if ((error as { status?: number }).status === 404) return { kind: 'whole', response: await fetchWhole() };
    throw error;
  }
  if (!overview.range) return { kind: 'whole', response: await fetchWhole() };
  const range = { start: Date.parse(overview.range.from), end: Date.parse(overview.range.to) };
  const span = fetchSpanFor(range);
  const query: WindowQuery = { groupBy: 'pillar', filter: EMPTY_FILTER };
  const response = await fetchWindow(windowSearch(span, query, WHOLE_BUDGET));
  if (response.mode === 'items') return { kind: 'whole', response };
  return { kind: 'windowed', overview, first: { key: '', span, query, response } };
}

export interface WindowingDeps {
  shell: Shell;
  live: LiveTimeline;
  timeline: TimelineView;
  view(): ViewState;
  onChange(): void;
  onError(error: unknown): void;
  onScrub(position: number): void;
}

/**
 * The page's side of the timeline by window: the windowed source of the state on screen, the
 * overview strip under the timeline and the log histogram under the replay scrubber, refreshed as
 * live events arrive.
 */
export class Windowing {
  readonly source: WindowedSource;
  private readonly overview: OverviewStrip;
  private readonly histogram: LogHistogram;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly deps: WindowingDeps,
    first: Extract<FirstRead, { kind: 'windowed' }>,
  ) {
    this.source = new WindowedSource({
      live: deps.live,
      visible: () => deps.timeline.getWindow(),
      onChange: deps.onChange,
      onError: deps.onError,
    });
    this.source.seed(first.first);
    deps.timeline.setClustering(false);
    this.overview = new OverviewStrip({ onBrush: (span) => deps.timeline.setWindow(span) });
    deps.shell.timelineCanvas.after(this.overview.element);
    this.overview.update(first.overview);
    this.histogram = new LogHistogram((position) => deps.onScrub(position));
    const scrubberRow = deps.shell.replay
      .querySelector('[data-testid="replay-scrubber"]')
      ?.closest('.bar-row');
    if (scrubberRow) scrubberRow.after(this.histogram.element);
    else deps.shell.replay.append(this.histogram.element);
    void this.refreshHistogram();
  }

  /** The whole range, for "Fit". */
  get fullRange(): Span | undefined {
    return this.overview.span;
  }

  /** The timeline's window moved (by the user, a bucket click or the brush). */
  rangeChanged(window: Span): void {
    this.overview.setVisible(window);
    this.source.load(this.deps.view());
  }

  /** The view may have changed (filters, mode, position): ask for what it needs. */
  viewChanged(view: ViewState, position: number): void {
    this.source.load(view);
    this.histogram.showPosition(position);
  }

  /** A live event arrived: the window's cache is stale, the overview and histogram move. */
  liveEvent(): void {
    this.source.liveEvent();
    if (this.refreshTimer !== undefined) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      fetchOverview()
        .then((overview) => this.overview.update(overview))
        .catch((error: unknown) => console.warn('timeline: the overview could not be refreshed', error));
      void this.refreshHistogram();
    }, REFRESH_EVERY_MS);
  }

  private async refreshHistogram(): Promise<void> {
    try {
      this.histogram.update(await fetchLogHistogram(HISTOGRAM_BUCKETS));
    } catch (error) {
      console.warn('timeline: the log histogram could not be read', error);
    }
  }
}
