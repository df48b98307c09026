import { describe, expect, it } from 'vitest';
import { Throttle, type ThrottleClock } from './throttle.ts';

/** A throttle of 250 ms on a clock the test moves; `request` asks for a draw that records `label`. */
function harness() {
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
  const throttle = new Throttle(250, clock);
  const drawn: string[] = [];
  return {
    throttle,
    drawn,
    request: (label: string, immediately = false) => throttle.run(() => drawn.push(label), immediately),
    pending: () => timers.size,
    advance: (ms: number) => {
      now += ms;
      for (const [id, timer] of [...timers]) {
        if (timer.at > now) continue;
        timers.delete(id);
        timer.fn();
      }
    },
  };
}

describe('Throttle', () => {
  it('draws at once when the last draw is old enough, and defers one that comes too soon', () => {
    const { drawn, request, advance, pending } = harness();
    request('first');
    expect(drawn).toEqual(['first']);
    advance(100);
    request('second');
    expect(drawn).toEqual(['first']);
    expect(pending()).toBe(1);
    advance(250);
    expect(drawn).toEqual(['first', 'second']);
  });

  it('keeps only the last of the requests that come too soon', () => {
    const { drawn, request, advance } = harness();
    request('0');
    for (let i = 1; i <= 5; i++) {
      advance(10);
      request(String(i));
    }
    advance(1000);
    expect(drawn).toEqual(['0', '5']);
  });

  it('draws at once when told to, dropping a waiting draw', () => {
    const { drawn, request, advance } = harness();
    request('a');
    advance(10);
    request('waiting');
    request('now', true);
    advance(1000);
    expect(drawn).toEqual(['a', 'now']);
  });

  it('cancel drops a waiting draw', () => {
    const { throttle, drawn, request, advance } = harness();
    request('a');
    request('b');
    throttle.cancel();
    advance(1000);
    expect(drawn).toEqual(['a']);
  });
});
