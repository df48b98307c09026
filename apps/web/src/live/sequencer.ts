import { type EventEnvelope, PositionOrder } from '@timeline/shared-types';

export interface SequencerDeps {
  /** Reads the log: up to `limit` events after `after`, in position order (`GET /api/events`). */
  fetchRange(after: number, limit: number): Promise<EventEnvelope[]>;
  /** Receives every event exactly once, in position order, with no position skipped. */
  apply(envelope: EventEnvelope): void;
  /** Told when a hole is being filled from the log, for the status line. */
  onGap?(after: number, missing: number): void;
  onError?(error: unknown): void;
  /** Waits between failed fills, and before trusting a heartbeat head the stream has not caught up with. */
  sleep?(ms: number): Promise<void>;
  retryMs?: number;
  heartbeatGraceMs?: number;
}

const MAX_FILL = 1000;
const MAX_FRUITLESS_FILLS = 30;

/**
 * Restores the log's order on the browser side, over the shared position order. Its gap policy: an
 * event whose position is not last + 1 means something was lost in between, so it is held back, the
 * missing range is read from the log, and only then are the events applied. Duplicates
 * (position ≤ last) are dropped.
 */
export class Sequencer {
  private readonly order: PositionOrder<EventEnvelope>;
  private filling: Promise<void> | null = null;
  private knownHead = 0;
  private headCheck: Promise<void> | null = null;
  private stopped = false;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    last: number,
    private readonly deps: SequencerDeps,
  ) {
    this.order = new PositionOrder((envelope) => this.deps.apply(envelope), {
      after: last,
      onHole: (hole) => {
        if (!this.filling) this.startFill(hole.to);
      },
    });
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** The last position applied. */
  get position(): number {
    return this.order.position;
  }

  push(envelope: EventEnvelope): void {
    if (!this.stopped) this.order.push(envelope);
  }

  /**
   * A heartbeat says the log has reached `head`. If the stream has not delivered up to it after a grace
   * period (an event may be in flight), the missing events are read from the log.
   */
  noteHead(head: number): void {
    this.knownHead = Math.max(this.knownHead, head);
    if (this.stopped || head <= this.position || this.headCheck) return;
    this.headCheck = this.sleep(this.deps.heartbeatGraceMs ?? 2000).then(() => {
      this.headCheck = null;
      if (!this.stopped && this.knownHead > this.position && !this.filling) this.startFill(this.knownHead);
    });
  }

  /** Resolves once nothing is pending or being fetched (for tests and orderly shutdown). */
  async idle(): Promise<void> {
    while (this.filling || this.headCheck) await (this.filling ?? this.headCheck);
  }

  stop(): void {
    this.stopped = true;
    this.order.clear();
  }

  /** Reads (last, upTo] from the log into the order, then starts on the next hole if one is left. */
  private startFill(upTo: number): void {
    this.filling = this.fill(upTo).finally(() => {
      this.filling = null;
      const hole = this.stopped ? undefined : this.order.hole;
      if (hole) this.startFill(hole.to);
    });
  }

  private async fill(upTo: number): Promise<void> {
    let fruitless = 0;
    while (!this.stopped && this.position < upTo) {
      const last = this.position;
      const missing = Math.min(upTo - last, MAX_FILL);
      this.deps.onGap?.(last, missing);
      let events: EventEnvelope[];
      try {
        events = await this.deps.fetchRange(last, missing);
      } catch (error) {
        this.deps.onError?.(error);
        await this.sleep(this.deps.retryMs ?? 1000);
        continue;
      }
      for (const event of events) {
        if (this.stopped) return;
        this.order.push(event);
      }
      if (this.position > last) {
        fruitless = 0;
        continue;
      }
      // The log cannot lack what the stream already showed; if it seems to, a replica is lagging: try
      // again, and after long enough leave it to the next event or heartbeat to start a new fill.
      if (++fruitless >= MAX_FRUITLESS_FILLS) {
        this.deps.onError?.(new Error(`the log has no events after position ${this.position} yet`));
        return;
      }
      await this.sleep(this.deps.retryMs ?? 1000);
    }
  }
}
