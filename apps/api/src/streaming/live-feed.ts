import { randomUUID } from 'node:crypto';
import { decodeKafkaMessage, type EventEnvelope } from '@timeline/shared-types';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import type { EventStore } from '../event-store/event-store.port.js';
import { headerPosition } from './kafka-headers.js';
import { resilientConsumer } from './kafka.js';
import type { Logger } from './logger.js';
import { ReorderBuffer } from './reorder-buffer.js';

export interface LiveFeedOptions {
  topic: string;
  /** How long a hole in the sequence may wait for Kafka before it is read from the store. */
  gapTimeoutMs?: number;
  /** The position Kafka has been given up to (the relay checkpoint); used to fill holes Kafka will never deliver. */
  publishedHead: () => Promise<number>;
  /** Out-of-order events held at most; past it the consumer pauses until the store filled the hole (default 10,000). */
  maxPending?: number;
  /** Events per store read when filling a hole (default 1,000). */
  gapFillPage?: number;
  /**
   * Hand-overs to the listeners are at least this far apart (default 0: once per turn of the event loop).
   * Under a steady flow each SSE client then gets one write per interval instead of one per event; the
   * first event after a quiet spell goes out at once.
   */
  handOverMs?: number;
  /**
   * The interval applies from this many listeners on (default 64): batching saves a write per session
   * per event, which only outweighs the wait when there are many sessions; a few get each loop turn's
   * events at once.
   */
  handOverFrom?: number;
}

/** Receives events in order, a batch at a time (what became ready together); must not modify the array. */
type Listener = (events: readonly EventEnvelope[]) => void;

/**
 * A position taken from a message's headers, its event not decoded: what the feed keeps while no
 * session listens. A session that subscribes later reads everything up to the head from the store
 * first, so it never needs an event the feed saw before it came.
 */
interface Unread {
  position: number;
  unread: true;
}
type Entry = EventEnvelope | Unread;

/**
 * The committed log in total order, live from Kafka. Partitions interleave freely, so a reorder
 * buffer keyed on the gapless position puts events back in order; a position that does not arrive in
 * time is read from the store, never skipped.
 */
export class LiveFeed {
  private consumer: Consumer | undefined;
  private buffer: ReorderBuffer<Entry> | undefined;
  private readonly listeners = new Set<Listener>();
  /** Events ready in order but not yet handed to the listeners (they go out together, once per loop turn). */
  private ready: EventEnvelope[] = [];
  private flushScheduled = false;
  private flushedAt = 0;
  private gapTimer: NodeJS.Timeout | undefined;
  private gapSince: number | undefined;
  private filling = false;
  /** The consumer is paused because the reorder buffer is full. */
  private paused = false;
  private readonly groupId = `timeline-gateway-${randomUUID()}`;

  constructor(
    private readonly kafka: Kafka,
    private readonly store: EventStore,
    private readonly options: LiveFeedOptions,
    private readonly log: Logger,
    private readonly onFatal: (error: Error) => void = () => undefined,
  ) {}

  /** The last position emitted in order (everything up to it has been delivered to listeners). */
  get position(): number {
    const first = this.ready[0];
    return first ? first.position - 1 : (this.buffer?.next ?? 1) - 1;
  }

  /** The last position put in order (ahead of `position` by what waits for the next hand-over to listeners). */
  private get ordered(): number {
    return (this.buffer?.next ?? 1) - 1;
  }

  async start(): Promise<void> {
    // On a restart the buffer stays: the sequence continues where it was and late holes come from the store.
    if (!this.buffer) this.buffer = new ReorderBuffer((await this.store.head()) + 1);
    this.consumer = resilientConsumer(this.kafka, { groupId: this.groupId }, (error) => this.onFatal(error));
    await this.consumer.connect();
    // Starts at the end of the topic: everything before `head` is served from the store.
    await this.consumer.subscribe({ topic: this.options.topic, fromBeginning: false });
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        // Nobody to deliver to: keep the order and the holes by position, and skip decoding the event.
        const unread = this.listeners.size === 0 ? headerPosition(message) : undefined;
        if (unread !== undefined) {
          this.accept([{ position: unread, unread: true }]);
          return;
        }
        let event: EventEnvelope;
        try {
          event = decodeKafkaMessage({
            key: message.key,
            value: message.value,
            headers: message.headers ?? {},
          });
        } catch {
          return; // the projector sends it to the dead-letter topic; the feed has nothing to deliver
        }
        this.accept([event]);
      },
    });
    this.gapTimer = setInterval(
      () => void this.fillGaps(),
      Math.max(50, (this.options.gapTimeoutMs ?? 500) / 2),
    );
  }

  async stop(): Promise<void> {
    clearInterval(this.gapTimer);
    this.gapTimer = undefined;
    await this.consumer?.disconnect().catch(() => undefined);
    const admin: Admin = this.kafka.admin();
    await admin
      .connect()
      .then(() => admin.deleteGroups([this.groupId]))
      .catch(() => undefined)
      .finally(() => admin.disconnect().catch(() => undefined));
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private accept(events: readonly Entry[]): void {
    const buffer = this.buffer!;
    for (const event of events) {
      for (const ready of buffer.push(event)) this.emit(ready);
    }
    if (buffer.missing) this.gapSince ??= Date.now();
    else this.gapSince = undefined;
    // Memory stays bounded: stop taking from Kafka until the store has filled the hole (fillGaps resumes).
    const maxPending = this.options.maxPending ?? 10_000;
    if (!this.paused && buffer.size > maxPending) {
      this.paused = true;
      this.consumer?.pause([{ topic: this.options.topic }]);
      this.log.warn({
        msg: 'live feed: reorder buffer full; consuming paused',
        pending: buffer.size,
        next: buffer.next,
      });
    } else if (this.paused && buffer.size <= maxPending / 2) {
      this.paused = false;
      this.consumer?.resume([{ topic: this.options.topic }]);
      this.log.log({ msg: 'live feed: consuming resumed', pending: buffer.size });
    }
  }

  /**
   * Events that became ready while Kafka hands over one fetch (its messages are taken one after the
   * other without a turn of the event loop in between), or within `handOverMs` of the last hand-over,
   * reach the listeners as one batch: each SSE session then writes them to its socket at once.
   */
  private emit(entry: Entry): void {
    if ('unread' in entry) return;
    this.ready.push(entry);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const interval =
      this.listeners.size >= (this.options.handOverFrom ?? 64) ? (this.options.handOverMs ?? 0) : 0;
    const wait = this.flushedAt + interval - performance.now();
    if (wait > 0) setTimeout(() => this.flush(), wait);
    else setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    this.flushedAt = performance.now();
    const events = this.ready;
    if (events.length === 0) return;
    this.ready = [];
    for (const listener of this.listeners) listener(events);
  }

  /** Reads from the store the positions Kafka has not delivered in time. */
  private async fillGaps(): Promise<void> {
    if (this.filling || !this.buffer) return;
    this.filling = true;
    try {
      const missing = this.buffer.missing;
      const timeout = this.options.gapTimeoutMs ?? 500;
      let to: number | undefined;
      const waited = this.gapSince !== undefined && Date.now() - this.gapSince >= timeout;
      if (missing && (waited || this.paused)) {
        to = missing.to;
      } else if (!missing) {
        // Nothing waiting, but the relay may have published events this consumer joined too late to see.
        const published = await this.options.publishedHead();
        if (published > this.ordered) {
          this.gapSince ??= Date.now();
          if (Date.now() - this.gapSince >= timeout) to = published;
        } else {
          this.gapSince = undefined;
        }
      }
      if (to === undefined) return;
      // Page by page, so a large hole never sits in memory at once; each page is released in order.
      const page = this.options.gapFillPage ?? 1_000;
      const from = this.ordered;
      while (this.ordered < to && this.gapTimer) {
        const after = this.ordered;
        const events = await this.store.readLogPage({ after, until: to, limit: Math.min(page, to - after) });
        if (events.length === 0) break;
        this.accept(events);
      }
      if (this.ordered > from)
        this.log.warn({ msg: 'live feed: filled a gap from the store', from: from + 1, to: this.ordered });
      // Kafka may have opened another hole while the store was read (an event past `to`): its wait starts
      // now. Forgetting it would leave it unfilled until Kafka delivers something else, maybe never.
      this.gapSince = this.buffer.missing ? Date.now() : undefined;
    } catch (error) {
      this.log.warn({ msg: 'live feed: gap fill failed; will retry', error: String(error) });
    } finally {
      this.filling = false;
    }
  }
}
