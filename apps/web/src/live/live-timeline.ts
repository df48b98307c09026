import {
  applyToTimeline,
  type EventEnvelope,
  type TimelineItem,
  type TimelineResponse,
  upcastEnvelope,
} from '@timeline/shared-types';
import { fetchLogPage } from '../api/api.ts';
import { type LiveStatus, LiveStream, type LiveStreamOptions } from './live-stream.ts';
import { Sequencer } from './sequencer.ts';

export interface LiveTimelineEvents {
  /** After each event has been folded in, exactly once and in position order. */
  onEvent(envelope: EventEnvelope): void;
  onStatus(status: LiveStatus): void;
}

export interface LiveTimelineDeps {
  fetchRange(after: number, limit: number): Promise<EventEnvelope[]>;
  /** Stream options for tests (an EventSource stand-in, timers); the app uses the browser's. */
  stream?: Partial<LiveStreamOptions>;
}

const RECENT_KEPT = 500;

const BROWSER: LiveTimelineDeps = {
  fetchRange: async (after, limit) => (await fetchLogPage(after, limit)).events,
};

/**
 * The live read model in the browser: the first read of `GET /api/timeline`, then every event of the
 * SSE stream folded in with the shared `applyToTimeline`, through the Sequencer (so exactly once, in
 * order, with gaps read from the log).
 */
export class LiveTimeline {
  readonly items = new Map<string, TimelineItem>();
  private last = 0;
  /** The last events folded in, so a window read at an older position can be brought up to date. */
  private readonly recent: EventEnvelope[] = [];
  private status: LiveStatus = { state: 'connecting', after: 0 };
  private stream: LiveStream | undefined;

  constructor(
    private readonly events: LiveTimelineEvents,
    private readonly deps: LiveTimelineDeps = BROWSER,
  ) {}

  /** The last position folded in. */
  get position(): number {
    return this.last;
  }

  get connection(): LiveStatus {
    return this.status;
  }

  /** Starts from the read model as the API answered it. */
  load(response: TimelineResponse): void {
    for (const item of response.items) this.items.set(item.id, item);
    this.last = response.position;
  }

  /**
   * Replaces the items with a window the API answered at `position` (the timeline by window), then
   * folds in again the events this page has already followed past that position, so the window does
   * not lose what the stream brought while it was being read.
   */
  replaceItems(items: readonly TimelineItem[], position: number): void {
    this.items.clear();
    for (const item of items) this.items.set(item.id, item);
    for (const envelope of this.recent) if (envelope.position > position) this.fold(envelope);
  }

  /** Follows the stream from the loaded position on. */
  follow(): void {
    const sequencer = new Sequencer(this.last, {
      fetchRange: (after, limit) => this.deps.fetchRange(after, limit),
      apply: (envelope) => this.apply(envelope),
      onGap: (after, missing) =>
        console.info(`timeline: reading ${missing} missing event(s) after position ${after}`),
      onError: (error) => console.warn('timeline: filling a gap failed', error),
    });
    this.stream = new LiveStream({
      ...this.deps.stream,
      after: () => sequencer.position,
      onEvent: (envelope) => sequencer.push(envelope),
      onHeartbeat: (head) => sequencer.noteHead(head),
      onStatus: (status) => {
        this.status = status;
        this.events.onStatus(status);
      },
    });
    this.stream.start();
  }

  private apply(envelope: EventEnvelope): void {
    this.fold(envelope);
    this.recent.push(envelope);
    if (this.recent.length > RECENT_KEPT) this.recent.splice(0, this.recent.length - RECENT_KEPT);
    this.last = envelope.position;
    this.events.onEvent(envelope);
  }

  private fold(envelope: EventEnvelope): void {
    try {
      applyToTimeline(this.items, upcastEnvelope(envelope));
    } catch (error) {
      console.warn(`timeline: event at position ${envelope.position} cannot be read and is skipped`, error);
    }
  }
}
