import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { EventEnvelope } from '@timeline/shared-types';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../src/event-store/event-store.port.js';
import type { LiveFeed } from '../src/streaming/live-feed.js';
import { SseAdmission } from '../src/streaming/sse-admission.js';
import { encodeEventFrame, sharedEventFrame } from '../src/streaming/sse-frame.js';
import { SseSession } from '../src/streaming/sse-session.js';
import { aMeeting } from './support/events.js';
import { openTestStorage } from './support/stores.js';

/**
 * SSE sessions read their catch-up from a real store (PostgreSQL). The response stands for a socket
 * whose peer stops reading: a loopback socket only refuses writes after megabytes of kernel buffers,
 * so the test plays that socket (`taking`); the same limits run end to end in `bench:abuse` (50
 * clients that never read). The live feed is driven by the test here; its own behaviour runs on a real
 * topic in live-feed.int.spec.ts.
 */

/** A response whose socket takes writes only while `taking` is true, and never drains by itself. */
class FakeResponse extends EventEmitter {
  chunks: string[] = [];
  writableEnded = false;
  destroyed = false;
  taking = true;
  writeHead() {
    return this;
  }
  write(chunk: string | Buffer): boolean {
    this.chunks.push(String(chunk));
    return this.taking;
  }
  cork() {}
  uncork() {}
  end() {
    this.writableEnded = true;
  }
  destroy() {
    this.destroyed = true;
    this.writableEnded = true;
  }
  get text() {
    return this.chunks.join('');
  }
}

/** Stores, each a fresh database, holding `count` events at positions 1..count (appended by the test). */
const stores: Awaited<ReturnType<typeof openTestStorage>>[] = [];
async function storeWith(count: number): Promise<{ store: EventStore; events: EventEnvelope[] }> {
  const storage = await openTestStorage('postgres', 'sse');
  stores.push(storage);
  if (count > 0)
    await storage.store.append(
      'sse-session',
      'no_stream',
      Array.from({ length: count }, (_, i) => aMeeting({ title: `event ${i + 1}` })),
    );
  return { store: storage.store, events: await storage.store.readLogPage({ after: 0, limit: count || 1 }) };
}

afterAll(async () => {
  for (const storage of stores.splice(0)) await storage.dispose();
});

const idleFeed = { position: 0, subscribe: () => () => undefined } as unknown as LiveFeed;

async function session(res: FakeResponse, count: number, options: Record<string, number>) {
  const { store } = await storeWith(count);
  const closed: string[] = [];
  const s = new SseSession(res as unknown as ServerResponse, store, idleFeed, {
    after: 0,
    filter: {},
    heartbeatMs: 20,
    ...options,
    onClose: (reason) => closed.push(reason),
  });
  return { run: s.run(), closed };
}

describe('SseSession limits', () => {
  it('tells a client further behind than the catch-up limit to reset, and reads nothing for it', async () => {
    const res = new FakeResponse();
    const { run, closed } = await session(res, 50, { maxCatchUp: 10 });
    await run;
    expect(res.text).toContain('event: reset');
    expect(res.text).not.toContain('id: 1\n');
    expect(JSON.parse(/event: reset\ndata: (.*)\n/.exec(res.text)![1]!)).toMatchObject({
      after: 0,
      head: 50,
    });
    expect(closed).toEqual(['too far behind: told to reset']);
    expect(res.writableEnded).toBe(true);
  });

  it('disconnects a client that stops reading during catch-up once the drain timeout passes', async () => {
    const res = new FakeResponse();
    res.taking = false;
    const started = Date.now();
    // Heartbeats far apart: under load a 20 ms heartbeat could find the stuck socket first and close it
    // for the other reason; this case is about the catch-up's own drain wait.
    const { run, closed } = await session(res, 5, { drainTimeoutMs: 100, heartbeatMs: 60_000 });
    await run;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(closed[0]).toMatch(/^slow client: did not read for 100 ms/);
    expect(res.destroyed).toBe(true);
  });

  it('disconnects a quiet stream whose heartbeats stop draining (a half-dead socket)', async () => {
    const res = new FakeResponse();
    const { run, closed } = await session(res, 0, { drainTimeoutMs: 100 });
    await new Promise((r) => setTimeout(r, 50));
    res.taking = false; // the peer vanished: the next heartbeat fills the buffer and it never drains
    await run;
    expect(closed[0]).toMatch(/^slow client: the connection did not take data/);
  });
});

describe('SseAdmission', () => {
  it('caps streams per address and in all, and gives places back once', () => {
    const admission = new SseAdmission({ perAddress: 2, total: 3 });
    const a1 = admission.enter('a');
    const a2 = admission.enter('a');
    expect(admission.enter('a')).toBeUndefined();
    const b1 = admission.enter('b');
    expect(admission.enter('c')).toBeUndefined(); // the global cap
    a1!();
    a1!(); // twice counts once
    expect(admission.open).toBe(2);
    expect(admission.enter('c')).toBeDefined();
    expect(a2 && b1).toBeDefined();
  });
});

/** A feed the test drives: `emit` hands a batch to every session, as the live feed does once per loop turn. */
function drivenFeed() {
  const listeners = new Set<(events: readonly EventEnvelope[]) => void>();
  let position = 0;
  const feed = {
    get position() {
      return position;
    },
    subscribe(listener: (events: readonly EventEnvelope[]) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as LiveFeed;
  const emit = (events: EventEnvelope[]) => {
    position = events.at(-1)!.position;
    for (const listener of listeners) listener(events);
  };
  return { feed, emit };
}

const ids = (chunk: string) => [...chunk.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));

describe('SseSession live delivery', () => {
  it('encodes an event once and shares the frame: the same text as a catch-up frame', async () => {
    const [event] = (await storeWith(1)).events;
    const frame = sharedEventFrame(event!);
    expect(frame).toBe(`id: 1\ndata: ${JSON.stringify(event)}\n\n`);
    expect(sharedEventFrame(event!)).toBe(frame);
    expect(encodeEventFrame(event!)).toBe(frame);
  });

  it('writes each batch in one write, in order, filling a hole from the store, with no duplicate', async () => {
    // The store holds 6 events; the test appends the others as it goes, then hands them to the feed.
    const { store } = await storeWith(6);
    const all: EventEnvelope[] = [];
    const appendOne = async () => {
      await store.append('sse-session', 'any', [aMeeting({ title: `event ${all.length + 1}` })]);
      all.splice(0, all.length, ...(await store.readLogPage({ after: 0, limit: 100 })));
    };
    all.push(...(await store.readLogPage({ after: 0, limit: 100 })));
    const { feed, emit } = drivenFeed();
    const res = new FakeResponse();
    const s = new SseSession(res as unknown as ServerResponse, store, feed, {
      after: 0,
      filter: {},
      heartbeatMs: 60_000,
    });
    const run = s.run();
    const until = async (what: () => boolean) => {
      for (let i = 0; i < 200 && !what(); i++) await new Promise((r) => setTimeout(r, 5));
      expect(what()).toBe(true);
    };
    await until(() => ids(res.text).length === 6);
    const catchUp = res.chunks.filter((c) => ids(c).length > 0);
    expect(catchUp.map(ids)).toEqual([[1, 2, 3, 4, 5, 6]]); // the catch-up: one write too

    for (let i = 0; i < 3; i++) await appendOne();
    emit(all.slice(6, 9));
    await until(() => ids(res.text).length === 9);
    expect(ids(res.chunks.at(-1)!)).toEqual([7, 8, 9]);

    await appendOne();
    await appendOne(); // 10 never comes live: the session reads it from the store
    emit([all[10]!]);
    await until(() => ids(res.text).length === 11);
    await appendOne();
    emit([all[10]!, all[11]!]); // 11 again: skipped
    await until(() => ids(res.text).length === 12);
    expect(ids(res.text)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));

    s.close('done', true);
    await run;
    expect(res.text).toMatch(/event: close\ndata: \{"reason":"done","resumeAfter":12\}/);
  });
});
