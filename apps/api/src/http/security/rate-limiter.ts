import type { Clock } from '../../shared/clock.js';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/**
 * A token bucket per client: `perMinute` requests in a burst, refilled evenly over a minute.
 * Buckets that have refilled completely carry no information and are dropped when the map grows,
 * so a flood of distinct clients cannot grow memory without bound.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly refillPerMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly clock: Clock,
    private readonly maxClients = 10_000,
  ) {
    this.refillPerMs = perMinute / 60_000;
  }

  get enabled(): boolean {
    return this.perMinute > 0;
  }

  take(client: string): RateDecision {
    if (!this.enabled) return { allowed: true };
    const nowMs = this.clock.now().getTime();
    const bucket = this.refill(this.buckets.get(client), nowMs);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.remember(client, bucket, nowMs);
      return { allowed: true };
    }
    this.remember(client, bucket, nowMs);
    return { allowed: false, retryAfterSeconds: this.retryAfter(bucket) };
  }

  /** Whether `take` would allow the client now, without using anything up. */
  peek(client: string): RateDecision {
    if (!this.enabled) return { allowed: true };
    const bucket = this.refill(this.buckets.get(client), this.clock.now().getTime());
    return bucket.tokens >= 1
      ? { allowed: true }
      : { allowed: false, retryAfterSeconds: this.retryAfter(bucket) };
  }

  private retryAfter(bucket: Bucket): number {
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.refillPerMs / 1000));
  }

  private refill(bucket: Bucket | undefined, nowMs: number): Bucket {
    if (!bucket) return { tokens: this.perMinute, updatedMs: nowMs };
    const elapsed = Math.max(0, nowMs - bucket.updatedMs);
    return { tokens: Math.min(this.perMinute, bucket.tokens + elapsed * this.refillPerMs), updatedMs: nowMs };
  }

  private remember(client: string, bucket: Bucket, nowMs: number): void {
    this.buckets.delete(client);
    this.buckets.set(client, bucket);
    if (this.buckets.size <= this.maxClients) return;
    for (const [key, value] of this.buckets) {
      if (this.refill(value, nowMs).tokens >= this.perMinute) this.buckets.delete(key);
    }
    // Still too many active clients: forget the least recently seen (Map keeps insertion order).
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= this.maxClients) break;
      this.buckets.delete(key);
    }
  }
}
