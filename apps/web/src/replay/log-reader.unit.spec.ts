import type { EventEnvelope, LogPage } from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { LogBuilder } from '../testing/events.ts';
import { fakeLogApi } from '../testing/log-api.ts';
import { LogReader } from './log-reader.ts';

function logOf(count: number): EventEnvelope[] {
  const given = new LogBuilder();
  for (let i = 0; i < count; i++) given.fact(`fact ${i}`);
  return given.events;
}

function harness(events: EventEnvelope[], livePosition = events.length) {
  const api = fakeLogApi(events);
  const changes: boolean[] = [];
  let live = livePosition;
  const reader = new LogReader({
    fetchPage: api.fetchPage,
    livePosition: () => live,
    onChange: (settled) => changes.push(settled),
  });
  return { reader, api, changes, setLive: (p: number) => (live = p) };
}

describe('LogReader', () => {
  it('reads the log page by page until it has caught up, and says when it is done', async () => {
    const events = logOf(2500);
    const { reader, api, changes } = harness(events);
    expect(reader.complete).toBeNull();
    expect(reader.head()).toBe(2500);
    const log = await reader.ensure();
    expect(log.head).toBe(2500);
    expect(api.calls).toEqual([0, 1000, 2000]);
    expect(reader.complete).toBe(log);
    expect(reader.progress).toBeUndefined();
    expect(changes.at(-1)).toBe(true);
    expect(changes.filter((settled) => !settled)).toHaveLength(3);
  });

  it('shares one read among concurrent callers, and reads only once', async () => {
    const { reader, api } = harness(logOf(3));
    const [first, second] = await Promise.all([reader.ensure(), reader.ensure()]);
    expect(first).toBe(second);
    await reader.ensure();
    expect(api.calls).toEqual([0]);
  });

  it('reports progress while reading, and no complete log until the read ends', async () => {
    const events = logOf(1500);
    const pages: Array<() => void> = [];
    const reader = new LogReader({
      fetchPage: (after, limit) =>
        new Promise<LogPage>((resolve) =>
          pages.push(() => {
            const page = events.filter((e) => e.position > after).slice(0, limit);
            resolve({ events: page, nextAfter: page.at(-1)?.position ?? after, head: 1500 });
          }),
        ),
      livePosition: () => 1500,
      onChange: () => undefined,
    });
    const reading = reader.ensure();
    pages.shift()!();
    await new Promise((r) => setTimeout(r, 0));
    expect(reader.progress).toEqual({ loaded: 1000, total: 1500 });
    expect(reader.complete).toBeNull();
    expect(reader.partial?.head).toBe(1000);
    pages.shift()!();
    await reading;
    expect(reader.complete?.head).toBe(1500);
  });

  it('forgets a half-read log when reading fails, so the next attempt starts again', async () => {
    const events = logOf(5);
    let fail = true;
    const api = fakeLogApi(events);
    const reader = new LogReader({
      fetchPage: async (after, limit) => {
        if (fail) throw new Error('offline');
        return api.fetchPage(after, limit);
      },
      livePosition: () => 5,
      onChange: () => undefined,
    });
    await expect(reader.ensure()).rejects.toThrow('offline');
    expect(reader.partial).toBeNull();
    fail = false;
    expect((await reader.ensure()).head).toBe(5);
  });

  it('appends the next live event, ignores old ones, and tops up from the API when it fell behind', async () => {
    const given = new LogBuilder();
    for (let i = 0; i < 3; i++) given.fact(`fact ${i}`);
    const { reader, api, setLive, changes } = harness(given.events);
    const log = await reader.ensure();
    const fourth = given.fact('fourth');
    setLive(4);
    reader.follow(fourth);
    expect(log.head).toBe(4);
    reader.follow(fourth);
    expect(log.head).toBe(4);

    given.fact('fifth');
    const sixth = given.fact('sixth');
    setLive(6);
    const before = changes.length;
    reader.follow(sixth);
    await new Promise((r) => setTimeout(r, 0));
    expect(api.calls.at(-1)).toBe(4);
    expect(log.head).toBe(6);
    expect(changes.length).toBeGreaterThan(before);
  });

  it('ignores live events before the log has been read', () => {
    const given = new LogBuilder();
    const first = given.fact('first');
    const { reader, api } = harness([]);
    reader.follow(first);
    expect(reader.partial).toBeNull();
    expect(api.calls).toEqual([]);
  });
});
