import type { ServerResponse } from 'node:http';
import { type EventEnvelope, readOwnStoredEnvelope } from '@timeline/shared-types';
import type { EventStore } from '../event-store/event-store.port.js';
import { drained } from '../http/streaming-response/drained.js';
import type { LiveFeed } from './live-feed.js';
import { encodeEventFrame, sharedBatchFrames, sharedEventFrame } from './sse-frame.js';

/**
 * Frames due to a client are gathered into one write up to this many characters: one socket write per
 * batch of events instead of one per event (with 1,000 clients the writes, not the events, cost).
 */
const COALESCE_SIZE = 32 * 1024;

export interface SseFilter {
  types?: readonly string[];
  streams?: readonly string[];
  pillars?: readonly string[];
}

export interface SseSessionOptions {
  after: number;
  filter: SseFilter;
  heartbeatMs?: number;
  /** Live events allowed to wait for a slow client before it is closed (it can resume). */
  maxQueued?: number;
  /** A client whose socket does not take more within this long is closed (default 30 s). */
  drainTimeoutMs?: number;
  /** A client further behind the head than this is sent `event: reset` and closed (default 100,000). */
  maxCatchUp?: number;
  onClose?: (reason: string) => void;
}

/** The reason a session closes for a client that stopped reading (the controller counts these). */
export const SLOW_CLIENT = 'slow client';

function hasFilter(filter: SseFilter): boolean {
  return Boolean(filter.types?.length || filter.streams?.length || filter.pillars?.length);
}

export function matchesSseFilter(event: EventEnvelope, filter: SseFilter): boolean {
  if (filter.types?.length && !filter.types.includes(event.type)) return false;
  if (filter.streams?.length && !filter.streams.includes(event.streamId)) return false;
  if (filter.pillars?.length) {
    const pillars = Array.isArray(event.data.pillars) ? (event.data.pillars as string[]) : [];
    if (!pillars.some((p) => filter.pillars!.includes(p))) return false;
  }
  return true;
}

/**
 * One Server-Sent Events client: catch-up from the store after `after`, then live from the feed, with
 * no gap or duplicate at the hand-over. `id:` is the position; a resumed client sends it back as
 * Last-Event-ID. Heartbeats carry the cursor as their id, so a filtered client resumes past events it
 * did not want.
 */
export class SseSession {
  private cursor: number;
  /** Live batches waiting for this session, as the feed handed them (shared by every session). */
  private queue: Array<readonly EventEnvelope[]> = [];
  /** Events in `queue`. */
  private queued = 0;
  /** Frames sent in order but not yet written: any write (heartbeat, close) writes them first. */
  private out: Array<string | Buffer> = [];
  private outSize = 0;
  private wake: (() => void) | undefined;
  private closed = false;
  private closeReason = 'client disconnected';
  private catchingUp = false;
  private dropped = false;
  /** Since when a write has been waiting for the socket to drain (undefined: it is not). */
  private stalledSince: number | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly store: EventStore,
    private readonly feed: LiveFeed,
    private readonly options: SseSessionOptions,
  ) {
    this.cursor = options.after;
  }

  async run(): Promise<void> {
    const { res } = this;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 2000\n: stream after ${this.cursor}\n\n`);
    res.on('close', () => this.close('client disconnected'));
    res.on('drain', () => {
      this.stalledSince = undefined;
    });
    if (await this.tooFarBehind()) return this.finish();
    const unsubscribe = this.feed.subscribe((events) => {
      this.queue.push(events);
      this.queued += events.length;
      if (this.queued > (this.options.maxQueued ?? 5_000)) {
        if (this.catchingUp) {
          // Reading the store anyway: forget the live backlog and read it from the store afterwards.
          this.queue = [];
          this.queued = 0;
          this.dropped = true;
        } else {
          this.close(`${SLOW_CLIENT}: too many events waiting; reconnect with Last-Event-ID to resume`, true);
        }
      }
      this.wake?.();
    });
    const heartbeat = setInterval(() => {
      if (this.closed) return;
      // A half-dead socket (the peer gone without a FIN) takes writes until its buffer fills, then never drains.
      if (this.stalledSince !== undefined && Date.now() - this.stalledSince >= this.drainTimeoutMs) {
        this.close(`${SLOW_CLIENT}: the connection did not take data for ${this.drainTimeoutMs} ms`);
        return;
      }
      this.write(`event: heartbeat\nid: ${this.cursor}\ndata: {"head":${this.cursor}}\n\n`);
      // The feed moved on without telling this session (it joined while the feed was starting): read the store.
      if (this.queued === 0 && !this.catchingUp && this.feed.position > this.cursor) {
        this.dropped = true;
        this.wake?.();
      }
    }, this.options.heartbeatMs ?? 15_000);
    try {
      await this.catchUp(Number.POSITIVE_INFINITY);
      while (!this.closed) {
        if (this.dropped) {
          this.dropped = false;
          await this.catchUp(this.feed.position);
        }
        if (this.queued === 0) {
          await new Promise<void>((resolve) => {
            this.wake = resolve;
          });
          continue;
        }
        const batches = this.queue;
        this.queue = [];
        this.queued = 0;
        for (const batch of batches) await this.sendLive(batch);
        await this.flush();
      }
    } finally {
      clearInterval(heartbeat);
      unsubscribe();
      this.finish();
    }
  }

  private get drainTimeoutMs(): number {
    return this.options.drainTimeoutMs ?? 30_000;
  }

  private finish(): void {
    this.queue = [];
    this.queued = 0;
    this.options.onClose?.(this.closeReason);
    if (!this.res.writableEnded) this.res.end();
  }

  /**
   * Catch-up is read in pages with backpressure, so memory is bounded either way; but a client this far
   * behind would keep a store reader busy for long: the bulk reads (/api/events, /api/replay) are for that.
   */
  private async tooFarBehind(): Promise<boolean> {
    const limit = this.options.maxCatchUp ?? 100_000;
    const head = await this.store.head();
    if (head - this.cursor <= limit) return false;
    const reset = {
      reason: `more than ${limit} events behind the head (${head}): read them from /api/events?after=${this.cursor} or /api/replay, then resume with Last-Event-ID`,
      after: this.cursor,
      head,
      maxCatchUp: limit,
    };
    this.write(`event: reset\ndata: ${JSON.stringify(reset)}\n\n`);
    this.closed = true;
    this.closeReason = 'too far behind: told to reset';
    return true;
  }
  private async catchUp(until: number): Promise<void> {
    const selection =
      until === Number.POSITIVE_INFINITY ? { after: this.cursor } : { after: this.cursor, until };
    this.catchingUp = true;
    try {
      for await (const event of this.store.readLog(selection, 500)) {
        if (this.closed) return;
        const upcast = asOnTheTopic(event);
        await this.send(upcast, () => encodeEventFrame(upcast));
      }
      await this.flush();
    } finally {
      this.catchingUp = false;
    }
  }

  /**
   * One batch of live events in order, gathered for the next write. A client that wants every event
   * and is exactly where the batch starts gets the batch's frames as the feed encoded them once for
   * all sessions (no copy, no encoding per client); any other goes event by event.
   */
  private async sendLive(batch: readonly EventEnvelope[]): Promise<void> {
    const first = batch[0];
    const last = batch[batch.length - 1];
    if (!first || !last) return;
    if (
      first.position === this.cursor + 1 &&
      last.position - first.position + 1 === batch.length &&
      !hasFilter(this.options.filter)
    ) {
      this.cursor = last.position;
      return this.gather(sharedBatchFrames(batch));
    }
    for (const event of batch) {
      if (this.closed) return;
      if (event.position <= this.cursor) continue;
      // A hole between the cursor and the live feed (the hand-over, or an event the client missed): the store has it.
      if (event.position > this.cursor + 1) {
        await this.flush();
        await this.catchUp(event.position - 1);
        if (this.closed) return;
      }
      if (event.position === this.cursor + 1) await this.send(event, () => sharedEventFrame(event));
    }
  }

  /** Moves the cursor past `event` and gathers its frame if the client wants it; writes once enough is gathered. */
  private async send(event: EventEnvelope, frame: () => string): Promise<void> {
    this.cursor = event.position;
    if (!matchesSseFilter(event, this.options.filter)) return;
    await this.gather(frame());
  }

  /** Adds frames to the next write (strings joined, shared buffers kept as they are); writes once enough waits. */
  private async gather(frames: string | Buffer): Promise<void> {
    const last = this.out.length - 1;
    if (typeof frames === 'string' && typeof this.out[last] === 'string') this.out[last] += frames;
    else this.out.push(frames);
    this.outSize += frames.length;
    if (this.outSize >= COALESCE_SIZE) await this.flush();
  }

  /** Writes the gathered frames; waits (at most the drain timeout) when the socket is full. */
  private async flush(): Promise<void> {
    if (this.out.length === 0) return;
    const ok = this.write();
    if (!ok && !this.closed) await this.drainedInTime();
  }

  /** Waits for the socket to take more, at most the drain timeout; a client that does not read is closed. */
  private async drainedInTime(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      drained(this.res).then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), this.drainTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      this.close(
        `${SLOW_CLIENT}: did not read for ${this.drainTimeoutMs} ms; reconnect with Last-Event-ID to resume`,
      );
      // Its buffered output is dropped with the socket: nothing of it stays in memory.
      this.res.destroy();
    }
  }

  /**
   * Writes the gathered frames, then `chunk`, in one system call: nothing (a heartbeat's cursor, say)
   * overtakes a frame.
   */
  private write(chunk?: string): boolean {
    if (this.closed || this.res.writableEnded) return true;
    const out = this.out;
    if (chunk !== undefined) out.push(chunk);
    this.out = [];
    this.outSize = 0;
    let taken = true;
    if (out.length === 1) taken = this.res.write(out[0]!);
    else if (out.length > 1) {
      this.res.cork();
      for (const part of out) taken = this.res.write(part);
      this.res.uncork();
    }
    if (!taken) this.stalledSince ??= Date.now();
    return taken;
  }

  close(reason: string, tellClient = false, retryMs?: number): void {
    if (this.closed) return;
    if (tellClient) {
      const retry = retryMs === undefined ? '' : `retry: ${retryMs}\n`;
      this.write(`${retry}event: close\ndata: ${JSON.stringify({ reason, resumeAfter: this.cursor })}\n\n`);
    }
    this.closed = true;
    this.closeReason = reason;
    this.wake?.();
    if (!this.res.writableEnded) this.res.end();
  }
}

/**
 * A stored event as the live feed delivers it from Kafka (envelope checked, upcast to the current
 * schema version), so a client sees the same shape whether it catches up or follows live. One the
 * shared reader refuses goes out as stored: the stream must not stop at it (the projector's DLQ is
 * where it is reported).
 */
function asOnTheTopic(event: EventEnvelope): EventEnvelope {
  try {
    return readOwnStoredEnvelope(event);
  } catch {
    return event;
  }
}
