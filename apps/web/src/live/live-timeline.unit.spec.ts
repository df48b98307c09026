import { type EventEnvelope, foldTimeline, upcastEnvelope } from '@timeline/shared-types';
import { describe, expect, it, vi } from 'vitest';
import { LogBuilder } from '../testing/events.ts';
import { FakeEventSource } from '../testing/fake-event-source.ts';
import type { LiveStatus } from './live-stream.ts';
import { LiveTimeline } from './live-timeline.ts';

function harness(log: EventEnvelope[]) {
  const sources: FakeEventSource[] = [];
  const applied: number[] = [];
  const statuses: LiveStatus['state'][] = [];
  const fetched: number[] = [];
  const live = new LiveTimeline(
    { onEvent: (e) => applied.push(e.position), onStatus: (s) => statuses.push(s.state) },
    {
      fetchRange: async (after, limit) => {
        fetched.push(after);
        return log.filter((e) => e.position > after).slice(0, limit);
      },
      stream: {
        createEventSource: (url) => {
          const source = new FakeEventSource(url);
          sources.push(source);
          return source;
        },
        setTimer: () => undefined,
        clearTimer: () => undefined,
      },
    },
  );
  const send = (e: EventEnvelope) => sources.at(-1)!.emit('message', JSON.stringify(e));
  return { live, sources, applied, statuses, fetched, send };
}

describe('LiveTimeline', () => {
  it('follows the stream from the loaded position, folding each event in', () => {
    const given = new LogBuilder();
    const first = given.fact('First');
    const second = given.fact('Second');
    const { live, sources, applied, statuses, send } = harness(given.events);
    live.load({ items: [], position: 1 });
    live.follow();
    expect(sources[0]!.url).toBe('/api/stream?after=1');
    sources[0]!.open();
    expect(statuses).toEqual(['connecting', 'open']);
    expect(live.connection.state).toBe('open');
    send(first);
    send(second);
    expect(applied).toEqual([2]);
    expect(live.position).toBe(2);
    expect(live.items.get(second.eventId)?.title).toBe('Second');
    expect(live.items.has(first.eventId)).toBe(false);
  });

  it('applies a correction to an item it loaded', () => {
    const given = new LogBuilder();
    const fact = given.fact('Typo');
    const loaded = [...foldTimeline([upcastEnvelope(fact)]).values()];
    const correction = given.correct(fact, { title: 'Fixed' }, 'typo');
    const { live, send } = harness(given.events);
    live.load({ items: loaded, position: 1 });
    expect(live.items.get(fact.eventId)?.title).toBe('Typo');
    live.follow();
    send(correction);
    expect(live.items.get(fact.eventId)?.title).toBe('Fixed');
    expect(live.position).toBe(2);
  });

  it('reads a gap from the log before applying what came after it', async () => {
    const given = new LogBuilder();
    for (let i = 0; i < 4; i++) given.fact(`fact ${i}`);
    const { live, applied, fetched, send } = harness(given.events);
    live.load({ items: [], position: 0 });
    live.follow();
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    send(given.events[3]!);
    await vi.waitFor(() => expect(applied).toEqual([1, 2, 3, 4]));
    info.mockRestore();
    expect(fetched[0]).toBe(0);
    expect(live.items.size).toBe(4);
  });

  it('skips an event it cannot read but moves past its position', () => {
    const given = new LogBuilder();
    const { live, applied, send } = harness([]);
    live.load({ items: [], position: 0 });
    live.follow();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    send({ ...given.fact('Broken'), type: 'NoSuchEvent' });
    warn.mockRestore();
    expect(applied).toEqual([1]);
    expect(live.position).toBe(1);
    expect(live.items.size).toBe(0);
  });
});
