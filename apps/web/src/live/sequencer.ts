import type { EventEnvelope } from '@timeline/shared-types';

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
 * Restores the log's order on the browser side. Positions are gapless, so an event whose position is
 * not last + 1 means something was lost in between: it is held back, the missing range is read from
 * the log, and only then are the events applied. Duplicates (position ≤ last) are dropped.
 */
export class Sequencer {
  private last: number;
  private readonly pending = new Map<number, EventEnvelope>();
  private filling: Promise<void> | null = null;
  private knownHead = 0;
  private headCheck: Promise<void> | null = null;
  private stopped = false;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    last: number,
    private readonly deps: SequencerDeps,
  ) {
    this.last = last;
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** The last position applied. */
  get position(): number {
    return this.last;
  }

  push(envelope: EventEnvelope): void {
    if (this.stopped || envelope.position <= this.last) return;
    this.pending.set(envelope.position, envelope);
    this.drain();
  }

  /**
   * A heartbeat says the log has reached `head`. If the stream has not delivered up to it after a grace
   * period (an event may be in flight), the missing events are read from the log.
   */
  noteHead(head: number): void {
    this.knownHead = Math.max(this.knownHead, head);
    if (this.stopped || head <= this.last || this.headCheck) return;
    this.headCheck = this.sleep(this.deps.heartbeatGraceMs ?? 2000).then(() => {
      this.headCheck = null;
      if (!this.stopped && this.knownHead > this.last && !this.filling) this.startFill(this.knownHead);
    });
  }

  /** Resolves once nothing is pending or being fetched (for tests and orderly shutdown). */
  async idle(): Promise<void> {
    while (this.filling || this.headCheck) await (this.filling ?? this.headCheck);
  }

  stop(): void {
    this.stopped = true;
    this.pending.clear();
  }

  private drain(): void {
    for (let next = this.pending.get(this.last + 1); next; next = this.pending.get(this.last + 1)) {
      this.pending.delete(next.position);
      this.last = next.position;
      this.deps.apply(next);
    }
    if (this.pending.size > 0 && !this.filling) this.startFill(Math.min(...this.pending.keys()) - 1);
  }

  /** Reads (last, upTo] from the log, then lets buffered events through. */
  private startFill(upTo: number): void {
    this.filling = this.fill(upTo).finally(() => {
      this.filling = null;
      if (!this.stopped) this.drain();
    });
  }

  private async fill(upTo: number): Promise<void> {
    let fruitless = 0;
    while (!this.stopped && this.last < upTo) {
      const missing = Math.min(upTo - this.last, MAX_FILL);
      this.deps.onGap?.(this.last, missing);
      let events: EventEnvelope[];
      try {
        events = await this.deps.fetchRange(this.last, missing);
      } catch (error) {
        this.deps.onError?.(error);
        await this.sleep(this.deps.retryMs ?? 1000);
        continue;
      }
      let progressed = false;
      for (const event of events) {
        if (this.stopped) return;
        if (event.position !== this.last + 1) continue;
        this.pending.delete(event.position);
        this.last = event.position;
        this.deps.apply(event);
        progressed = true;
      }
      if (progressed) {
        fruitless = 0;
        continue;
      }
      // The log cannot lack what the stream already showed; if it seems to, a replica is lagging: try
      // again, and after long enough leave it to the next event or heartbeat to start a new fill.
      if (++fruitless >= MAX_FRUITLESS_FILLS) {
        this.deps.onError?.(new Error(`the log has no events after position ${this.last} yet`));
        return;
      }
      await this.sleep(this.deps.retryMs ?? 1000);
    }
  }
}
