import { describe, expect, it } from 'vitest';
import { Throttle, type ThrottleClock } from './throttle.ts';

function fakeClock() {
  let now = 10_000;
  const timers = new Map<number, { fn: () => void; at: number }>();
  let next = 1;
  const clock: ThrottleClock = {
    now: () => now,
    setTimer: (fn, ms) => {
      timers.set(next, { fn, at: now + ms });
      return next++;
    },
    clearTimer: (handle) => timers.delete(handle as number),
  };
  const advance = (ms: number) => {
    now += ms;
    for (const [id, timer] of [...timers]) {
      if (timer.at > now) continue;
      timers.delete(id);
      timer.fn();
    }
  };
  return { clock, advance, pending: () => timers.size };
}

describe('Throttle', () => {
  it('draws at once when the last draw is old enough, and defers one that comes too soon', () => {
    const { clock, advance, pending } = fakeClock();
    const throttle = new Throttle(250, clock);
    const drawn: string[] = [];
    throttle.run(() => drawn.push('first'));
    expect(drawn).toEqual(['first']);
    advance(100);
    throttle.run(() => drawn.push('second'));
    expect(drawn).toEqual(['first']);
    expect(pending()).toBe(1);
    advance(250);
    expect(drawn).toEqual(['first', 'second']);
  });

  it('keeps only the last of the requests that come too soon', () => {
    const { clock, advance } = fakeClock();
    const throttle = new Throttle(250, clock);
    const drawn: number[] = [];
    throttle.run(() => drawn.push(0));
    for (let i = 1; i <= 5; i++) {
      advance(10);
      throttle.run(() => drawn.push(i));
    }
    advance(1000);
    expect(drawn).toEqual([0, 5]);
  });

  it('draws at once when told to, dropping a waiting draw', () => {
    const { clock, advance } = fakeClock();
    const throttle = new Throttle(250, clock);
    const drawn: string[] = [];
    throttle.run(() => drawn.push('a'));
    advance(10);
    throttle.run(() => drawn.push('waiting'));
    throttle.run(() => drawn.push('now'), true);
    advance(1000);
    expect(drawn).toEqual(['a', 'now']);
  });

  it('cancel drops a waiting draw', () => {
    const { clock, advance } = fakeClock();
    const throttle = new Throttle(250, clock);
    const drawn: string[] = [];
    throttle.run(() => drawn.push('a'));
    throttle.run(() => drawn.push('b'));
    throttle.cancel();
    advance(1000);
    expect(drawn).toEqual(['a']);
  });
});
