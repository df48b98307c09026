import { HttpStatus } from '@nestjs/common';
import { RetryLaterException } from '../http/errors/http-errors.js';

/** How long a fold may wait for a free slot before the client is told to come back. */
const MAX_WAIT_MS = 5_000;

export class FoldsBusyException extends RetryLaterException {
  constructor(max: number) {
    super(
      `the server is folding ${max} timelines as of other moments already (TIMELINE_MAX_CONCURRENT_FOLDS); retry shortly`,
      1,
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  }
}

/**
 * Bounds the folds of the store running at once: each reads the whole log up to its horizon, so a
 * handful of anonymous `asOf` or `GET /api/replay?mode=timeline` requests could otherwise keep the
 * store and the event loop busy for everyone. One per process (InfrastructureModule's FOLD_GATE), shared
 * by every route that folds. A few wait their turn (up to `maxQueued`, each at most `maxWaitMs`); the rest get a 503
 * with Retry-After at once.
 */
export class FoldGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly maxConcurrent: number,
    private readonly maxQueued = maxConcurrent * 4,
    private readonly maxWaitMs = MAX_WAIT_MS,
  ) {}

  async run<T>(fold: () => Promise<T>): Promise<T> {
    await this.enter();
    try {
      return await fold();
    } finally {
      this.leave();
    }
  }

  private enter(): Promise<void> {
    if (this.running < this.maxConcurrent) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.maxQueued)
      return Promise.reject(new FoldsBusyException(this.maxConcurrent));
    return new Promise((resolve, reject) => {
      const admit = () => {
        clearTimeout(timer);
        this.running++;
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(admit), 1);
        reject(new FoldsBusyException(this.maxConcurrent));
      }, this.maxWaitMs);
      this.waiting.push(admit);
    });
  }

  private leave(): void {
    this.running--;
    this.waiting.shift()?.();
  }
}
