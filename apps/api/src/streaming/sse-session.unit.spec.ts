import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { EventEnvelope } from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { talksInDelhi } from '../../test/support/given-events.js';
import type { EventStore } from '../event-store/event-store.port.js';
import type { LiveFeed } from './live-feed.js';
import { SseAdmission } from './sse-admission.js';
import { encodeEventFrame, sharedEventFrame } from './sse-frame.js';
import { SseSession } from './sse-session.js';

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

const log = (head: number): EventEnvelope[] =>
  Array.from({ length: head }, (_, i) =>
    talksInDelhi({ position: i + 1, streamVersion: i + 1, eventId: crypto.randomUUID() }),
  );

function storeOf(events: EventEnvelope[]): EventStore {
  return {
    head: async () => events.length,
    async *readLog(selection: { after: number }) {
      for (const e of events) if (e.position > selection.after) yield e;
    },
  } as unknown as EventStore;
}

const idleFeed = { position: 0, subscribe: () => () => undefined } as unknown as LiveFeed;

function session(res: FakeResponse, events: EventEnvelope[], options: Record<string, number>) {
  const closed: string[] = [];
  const s = new SseSession(res as unknown as ServerResponse, storeOf(events), idleFeed, {
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
    const { run, closed } = session(res, log(50), { maxCatchUp: 10 });
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
    const { run, closed } = session(res, log(5), { drainTimeoutMs: 100, heartbeatMs: 60_000 });
    await run;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(closed[0]).toMatch(/^slow client: did not read for 100 ms/);
    expect(res.destroyed).toBe(true);
  });

  it('disconnects a quiet stream whose heartbeats stop draining (a half-dead socket)', async () => {
    const res = new FakeResponse();
    const { run, closed } = session(res, [], { drainTimeoutMs: 100 });
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

/** A store holding `stored` (the test adds to it), reading `after`..`until` as the real one does. */
function growingStore(stored: EventEnvelope[]): EventStore {
  return {
    head: async () => stored.length,
    async *readLog(selection: { after: number; until?: number }) {
      for (const e of stored)
        if (e.position > selection.after && e.position <= (selection.until ?? Number.POSITIVE_INFINITY))
          yield e;
    },
  } as unknown as EventStore;
}

const ids = (chunk: string) => [...chunk.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));

describe('SseSession live delivery', () => {
  it('encodes an event once and shares the frame: the same text as a catch-up frame', () => {
    const [event] = log(1);
    const frame = sharedEventFrame(event!);
    expect(frame).toBe(`id: 1\ndata: ${JSON.stringify(event)}\n\n`);
    expect(sharedEventFrame(event!)).toBe(frame);
    expect(encodeEventFrame(event!)).toBe(frame);
  });

  it('writes each batch in one write, in order, filling a hole from the store, with no duplicate', async () => {
    const all = log(12);
    const stored = all.slice(0, 6);
    const { feed, emit } = drivenFeed();
    const res = new FakeResponse();
    const s = new SseSession(res as unknown as ServerResponse, growingStore(stored), feed, {
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

    stored.push(...all.slice(6, 9));
    emit(all.slice(6, 9));
    await until(() => ids(res.text).length === 9);
    expect(ids(res.chunks.at(-1)!)).toEqual([7, 8, 9]);

    stored.push(all[9]!, all[10]!); // 10 never comes live: the session reads it from the store
    emit([all[10]!]);
    await until(() => ids(res.text).length === 11);
    emit([all[10]!, all[11]!]); // 11 again: skipped
    await until(() => ids(res.text).length === 12);
    expect(ids(res.text)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));

    s.close('done', true);
    await run;
    expect(res.text).toMatch(/event: close\ndata: \{"reason":"done","resumeAfter":12\}/);
  });
});
