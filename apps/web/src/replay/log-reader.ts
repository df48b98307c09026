import type { EventEnvelope, LogPage } from '@timeline/shared-types';
import { fetchLogPage } from '../api/api.ts';
import { ReplayLog } from './replay-log.ts';

const LOG_PAGE = 1000;

export interface LogReaderDeps {
  /** GET /api/events unless a test says otherwise. */
  fetchPage?(after: number, limit: number): Promise<LogPage>;
  /** How far the live stream has got: the log is read until it has caught up with it. */
  livePosition(): number;
  /** Something about the log changed (a page arrived, reading ended): draw again. */
  onChange(settled: boolean): void;
}

/**
 * Reads the whole log into a `ReplayLog` on first use (pages of GET /api/events) and keeps it in step
 * with the live stream afterwards, so replay, sweep and diff can fold it to any position.
 */
export class LogReader {
  private current: ReplayLog | null = null;
  private loading: Promise<ReplayLog> | null = null;
  private toppingUp: Promise<void> | null = null;
  private loaded: { loaded: number; total: number } | undefined;

  constructor(private readonly deps: LogReaderDeps) {}

  /** The log once it has been read whole; null before, and while it is being read. */
  get complete(): ReplayLog | null {
    return this.loading ? null : this.current;
  }

  /** The log, whole or still being read. */
  get partial(): ReplayLog | null {
    return this.current;
  }

  /** While the log is being read: how far it has got. */
  get progress(): { loaded: number; total: number } | undefined {
    return this.loaded;
  }

  /** The last position replay can reach: the log's head once read, else the live position. */
  head(): number {
    const log = this.complete;
    return log ? Math.max(log.head, 0) : this.deps.livePosition();
  }

  /** The whole log, reading it first if that has not been done (concurrent callers share one read). */
  ensure(): Promise<ReplayLog> {
    if (this.current && !this.loading) return Promise.resolve(this.current);
    if (this.loading) return this.loading;
    const log = new ReplayLog();
    this.current = log;
    this.loading = this.read(log)
      .catch((error: unknown) => {
        // A half-read log must not pass for the whole one: the next attempt starts again.
        this.current = null;
        throw error;
      })
      .finally(() => {
        this.loading = null;
        this.loaded = undefined;
        this.deps.onChange(true);
      });
    return this.loading;
  }

  /** A live event: appended to a complete log, which is topped up from the API if it fell behind. */
  follow(envelope: EventEnvelope): void {
    const log = this.complete;
    if (!log || envelope.position <= log.head) return;
    if (envelope.position === log.head + 1) {
      log.append(envelope);
      return;
    }
    // The log fell behind the stream (it was read while the stream ran ahead): top it up.
    void this.topUp();
  }

  /** Pages through GET /api/events until the log has caught up with the stream. */
  private async read(log: ReplayLog): Promise<ReplayLog> {
    for (;;) {
      const page = await this.fetchPage(log.head);
      for (const envelope of page.events) log.append(envelope);
      this.loaded = { loaded: log.head, total: Math.max(page.head, this.deps.livePosition()) };
      this.deps.onChange(false);
      if (page.events.length === 0 || (log.head >= page.head && log.head >= this.deps.livePosition()))
        return log;
    }
  }

  private topUp(): Promise<void> {
    if (this.toppingUp) return this.toppingUp;
    const log = this.current;
    if (!log) return Promise.resolve();
    this.toppingUp = (async () => {
      while (log.head < this.deps.livePosition()) {
        const page = await this.fetchPage(log.head);
        if (!page.events.length) break;
        for (const envelope of page.events) log.append(envelope);
      }
    })()
      .catch((error: unknown) => console.warn('timeline: topping up the log failed', error))
      .finally(() => {
        this.toppingUp = null;
        this.deps.onChange(false);
      });
    return this.toppingUp;
  }

  private fetchPage(after: number): Promise<LogPage> {
    return (this.deps.fetchPage ?? fetchLogPage)(after, LOG_PAGE);
  }
}
