import { describe, expect, it } from 'vitest';
import type { Clock } from '../../shared/clock.js';
import { RateLimiter } from './rate-limiter.js';

function manualClock(start = 0): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => new Date(now),
    advance: (ms) => {
      now += ms;
    },
  };
}

describe('RateLimiter', () => {
  it('allows a burst of perMinute writes, then says when to retry', () => {
    const clock = manualClock();
    const limiter = new RateLimiter(3, clock);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual(
      Array(3).fill({ allowed: true }),
    );
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 20 });
  });

  it('refills evenly over a minute', () => {
    const clock = manualClock();
    const limiter = new RateLimiter(3, clock);
    for (let i = 0; i < 3; i++) limiter.take('a');
    clock.advance(20_000);
    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('keeps clients apart', () => {
    const limiter = new RateLimiter(1, manualClock());
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('b').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('peeks without using anything up', () => {
    const limiter = new RateLimiter(1, manualClock());
    expect(limiter.peek('a')).toEqual({ allowed: true });
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.peek('a')).toEqual({ allowed: false, retryAfterSeconds: 60 });
  });

  it('is off at 0', () => {
    const limiter = new RateLimiter(0, manualClock());
    for (let i = 0; i < 1000; i++) expect(limiter.take('a').allowed).toBe(true);
  });

  it('bounds the number of clients it remembers', () => {
    const clock = manualClock();
    const limiter = new RateLimiter(1, clock, 10);
    for (let i = 0; i < 100; i++) limiter.take(`client-${i}`);
    expect((limiter as unknown as { buckets: Map<string, unknown> }).buckets.size).toBeLessThanOrEqual(10);
  });
});
