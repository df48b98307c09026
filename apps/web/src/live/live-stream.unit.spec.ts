import { describe, expect, it } from 'vitest';
import { backoffDelay, LiveStream, type LiveStatus, parseEnvelope } from './live-stream.ts';
import { LogBuilder } from '../testing/events.ts';
import { FakeEventSource as FakeSource } from '../testing/fake-event-source.ts';

function harness() {
  const sources: FakeSource[] = [];
  const timers: Array<() => void> = [];
  const statuses: LiveStatus[] = [];
  const received: number[] = [];
  const heads: number[] = [];
  let last = 5;
  const stream = new LiveStream({
    after: () => last,
    onEvent: (e) => {
      received.push(e.position);
      last = e.position;
    },
    onHeartbeat: (h) => heads.push(h),
    onStatus: (s) => statuses.push(s),
    createEventSource: (url) => {
      const s = new FakeSource(url);
      sources.push(s);
      return s;
    },
    backoff: (attempt) => 100 * 2 ** attempt,
    setTimer: (fn) => timers.push(fn),
    clearTimer: () => undefined,
  });
  return { stream, sources, timers, statuses, received, heads };
}

describe('LiveStream', () => {
  const given = new LogBuilder();
  const six = given.fact('a');

  it('resumes after the last applied position, reconnecting with growing backoff', () => {
    const { stream, sources, timers, statuses, received } = harness();
    stream.start();
    expect(sources[0]!.url).toBe('/api/stream?after=5');
    sources[0]!.open();
    sources[0]!.emit('message', JSON.stringify({ ...six, position: 6 }));
    expect(received).toEqual([6]);

    sources[0]!.fail();
    expect(sources[0]!.closed).toBe(true);
    expect(statuses.at(-1)).toMatchObject({ state: 'reconnecting', inMs: 100, attempt: 1 });
    timers.shift()!();
    expect(sources[1]!.url).toBe('/api/stream?after=6');
    sources[1]!.fail();
    expect(statuses.at(-1)).toMatchObject({ state: 'reconnecting', inMs: 200, attempt: 2 });
    timers.shift()!();
    sources[2]!.open();
    sources[2]!.fail();
    expect(statuses.at(-1)).toMatchObject({ state: 'reconnecting', inMs: 100 });
  });

  it('treats the server’s close event as a reason to reconnect, and passes heartbeats on', () => {
    const { stream, sources, timers, statuses, heads } = harness();
    stream.start();
    sources[0]!.emit('heartbeat', '{"head":42}');
    expect(heads).toEqual([42]);
    sources[0]!.emit('close', '{"reason":"slow consumer"}');
    expect(statuses.at(-1)).toMatchObject({ state: 'reconnecting', reason: 'server closed: slow consumer' });
    expect(timers.length).toBe(1);
  });

  it('ignores malformed messages and anything from a source it has left', () => {
    const { stream, sources, timers, received } = harness();
    stream.start();
    sources[0]!.emit('message', 'not json');
    sources[0]!.emit('message', '{"position":"7"}');
    sources[0]!.fail();
    timers.shift()!();
    sources[0]!.emit('message', JSON.stringify({ ...six, position: 6 }));
    expect(received).toEqual([]);
  });

  it('stops for good', () => {
    const { stream, sources, statuses } = harness();
    stream.start();
    stream.stop();
    expect(sources[0]!.closed).toBe(true);
    expect(statuses.at(-1)).toEqual({ state: 'stopped' });
  });
});

describe('backoffDelay', () => {
  it('doubles from half a second up to the cap, with jitter between 50 and 100 %', () => {
    expect(backoffDelay(0, { random: () => 1 })).toBe(500);
    expect(backoffDelay(3, { random: () => 1 })).toBe(4000);
    expect(backoffDelay(3, { random: () => 0 })).toBe(2000);
    expect(backoffDelay(30, { random: () => 1 })).toBe(30_000);
  });
});

describe('parseEnvelope', () => {
  it('accepts an envelope and rejects anything without a whole positive position', () => {
    expect(
      parseEnvelope(JSON.stringify({ position: 3, eventId: 'x', type: 'T', recordedAt: 'r' }))?.position,
    ).toBe(3);
    expect(
      parseEnvelope(JSON.stringify({ position: 0, eventId: 'x', type: 'T', recordedAt: 'r' })),
    ).toBeUndefined();
    expect(parseEnvelope('[1]')).toBeUndefined();
  });
});
