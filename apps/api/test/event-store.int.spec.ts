import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventStore } from '../src/event-store/create-event-store.js';
import {
  EventIdConflictError,
  type EventStore,
  WrongExpectedVersionError,
} from '../src/event-store/event-store.port.js';
import { aMeeting, meetings } from './support/events.js';
import { openTestStore, STORE_KINDS } from './support/stores.js';

/** One contract, run against the real PostgreSQL and against embedded PGlite. */
describe.each(STORE_KINDS)('event store contract on %s', (kind) => {
  let store: EventStore;
  let dispose: () => Promise<void>;
  let databaseUrl: string | undefined;
  let clock = Date.parse('2024-08-01T00:00:00Z');

  beforeAll(async () => {
    ({ store, dispose, databaseUrl } = await openTestStore(kind, { now: () => new Date(clock) }));
  });
  afterAll(async () => {
    await dispose?.();
  });

  it('appends to a new stream and reads it back with versions, positions and recordedAt', async () => {
    const events = meetings(3);
    const result = await store.append('contract-basic', 'no_stream', events);
    expect(result.duplicate).toBe(false);
    expect(result.streamVersion).toBe(3);
    expect(result.events.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
    const head = await store.head();
    expect(result.events.map((e) => e.position)).toEqual([head - 2, head - 1, head]);

    const slice = await store.readStream('contract-basic');
    expect(slice.version).toBe(3);
    expect(slice.events.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
    expect(slice.events[0]).toEqual({
      eventId: events[0]!.eventId,
      streamId: 'contract-basic',
      streamVersion: 1,
      position: result.events[0]!.position,
      type: 'MeetingHeld',
      schemaVersion: 1,
      occurredAt: events[0]!.occurredAt,
      recordedAt: new Date(clock).toISOString(),
      data: events[0]!.data,
      metadata: events[0]!.metadata,
    });
  });

  it('enforces expectedVersion: a number, no_stream and any', async () => {
    await store.append('contract-versions', 'no_stream', [aMeeting()]);
    await expect(store.append('contract-versions', 'no_stream', [aMeeting()])).rejects.toMatchObject({
      name: 'WrongExpectedVersionError',
      expected: 'no_stream',
      actual: 1,
    });
    await expect(store.append('contract-versions', 5, [aMeeting()])).rejects.toBeInstanceOf(
      WrongExpectedVersionError,
    );
    await expect(store.append('contract-versions', 1, [aMeeting()])).resolves.toMatchObject({
      streamVersion: 2,
    });
    await expect(store.append('contract-versions', 'any', [aMeeting()])).resolves.toMatchObject({
      streamVersion: 3,
    });
    await expect(store.append('contract-empty', 0, [aMeeting()])).resolves.toMatchObject({
      streamVersion: 1,
    });
    expect((await store.readStream('contract-never')).version).toBe(0);
  });

  it('is idempotent by eventId: a retry after a lost response stores nothing twice', async () => {
    const events = meetings(2, 'Retry');
    // The first attempt commits but its response is "lost": the client never looks at it.
    const first = await store.append('contract-retry', 'no_stream', events);
    const headAfterFirst = await store.head();
    const retry = await store.append('contract-retry', 'no_stream', events);
    expect(retry).toEqual({ ...first, duplicate: true });
    expect(await store.head()).toBe(headAfterFirst);
    expect((await store.readStream('contract-retry')).events).toHaveLength(2);
  });

  it('refuses an eventId reused with other content, in another stream, or in a different batch', async () => {
    const event = aMeeting({ title: 'Original' });
    await store.append('contract-conflict', 'any', [event]);
    const changed = { ...event, data: { ...event.data, title: 'Changed' } };
    await expect(store.append('contract-conflict', 'any', [changed])).rejects.toBeInstanceOf(
      EventIdConflictError,
    );
    await expect(store.append('contract-conflict-other', 'any', [event])).rejects.toBeInstanceOf(
      EventIdConflictError,
    );
    await expect(store.append('contract-conflict', 'any', [event, aMeeting()])).rejects.toBeInstanceOf(
      EventIdConflictError,
    );
    await expect(
      store.append('contract-conflict', 'any', [aMeeting({ eventId: event.eventId }), aMeeting()]),
    ).rejects.toThrow();
    const dupInBatch = aMeeting();
    await expect(store.append('contract-conflict', 'any', [dupInBatch, dupInBatch])).rejects.toBeInstanceOf(
      EventIdConflictError,
    );
    expect((await store.readStream('contract-conflict')).events).toHaveLength(1);
  });

  it('64 concurrent appends with the same expectedVersion: exactly one wins, the rest conflict', async () => {
    await store.append('contract-race', 'no_stream', [aMeeting()]);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 64 }, (_, i) =>
        store.append('contract-race', 1, [aMeeting({ title: `racer ${i}` })]),
      ),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(63);
    for (const o of lost) expect(o.reason).toBeInstanceOf(WrongExpectedVersionError);
    expect((await store.readStream('contract-race')).version).toBe(2);
  });

  it('64 concurrent appends to different streams: positions 1..N without a gap, never seen out of order', async () => {
    const start = await store.head();
    const seen = new Set<number>();
    let maxSeen = start;
    const violations: string[] = [];
    let running = true;
    let polls = 0;
    const poll = async () => {
      polls += 1;
      for await (const event of store.readLog({ after: start })) {
        if (seen.has(event.position)) continue;
        if (event.position < maxSeen) violations.push(`saw ${event.position} after ${maxSeen}`);
        seen.add(event.position);
        maxSeen = Math.max(maxSeen, event.position);
      }
    };
    const reader = (async () => {
      while (running) {
        await poll();
        await new Promise((r) => setTimeout(r, 1));
      }
      await poll();
    })();
    const results = await Promise.all(
      Array.from({ length: 64 }, (_, i) =>
        store.append(`contract-parallel-${i}`, 'no_stream', meetings(3, `p${i}`)),
      ),
    );
    running = false;
    await reader;

    const positions = results.flatMap((r) => r.events.map((e) => e.position)).sort((a, b) => a - b);
    expect(positions).toEqual(Array.from({ length: 192 }, (_, i) => start + i + 1));
    const log = [];
    for await (const e of store.readLog({ after: start })) log.push(e.position);
    expect(log).toEqual(positions);
    expect(violations).toEqual([]);
    expect(polls).toBeGreaterThan(1);
    expect(seen.size).toBe(192);
  });

  it('concurrent appends share a commit, yet each gets its own outcome', async () => {
    // Started together, these land in one or a few group commits; each must behave as if alone.
    const stored = aMeeting({ title: 'Stored before' });
    const first = await store.append('contract-group-a', 'no_stream', [stored]);
    const head = await store.head();
    const other = aMeeting();
    const outcomes = await Promise.allSettled([
      store.append('contract-group-a', 1, [aMeeting()]), // wins: the stream is at 1
      store.append('contract-group-a', 1, [aMeeting()]), // loses to the one before it
      store.append('contract-group-a', 'no_stream', [stored]), // a retry: the first result back
      store.append('contract-group-b', 'any', [{ ...stored, data: { title: 'Changed' } }]), // id conflict
      store.append('contract-group-b', 'no_stream', [other, aMeeting()]), // wins: a new stream
      store.append('contract-group-c', 'any', [other]), // id conflict with the batch before it
      store.append('contract-group-a', 'any', [aMeeting(), aMeeting()]), // wins after the first
    ]);
    const [win, lose, retry, changed, fresh, reused, any] = outcomes;
    expect(win).toMatchObject({ status: 'fulfilled', value: { streamVersion: 2, duplicate: false } });
    expect(lose).toMatchObject({
      status: 'rejected',
      reason: { name: 'WrongExpectedVersionError', actual: 2 },
    });
    expect(retry).toEqual({ status: 'fulfilled', value: { ...first, duplicate: true } });
    expect(changed).toMatchObject({ status: 'rejected', reason: { name: 'EventIdConflictError' } });
    expect(fresh).toMatchObject({ status: 'fulfilled', value: { streamVersion: 2 } });
    expect(reused).toMatchObject({ status: 'rejected', reason: { name: 'EventIdConflictError' } });
    expect(any).toMatchObject({ status: 'fulfilled', value: { streamVersion: 4 } });

    const positions = [win, fresh, any]
      .flatMap((o) => (o.status === 'fulfilled' ? o.value.events.map((e) => e.position) : []))
      .sort((a, b) => a - b);
    expect(positions).toEqual([head + 1, head + 2, head + 3, head + 4, head + 5]);
    expect(await store.head()).toBe(head + 5);
    expect((await store.readStream('contract-group-a')).version).toBe(4);
    expect((await store.readStream('contract-group-c')).version).toBe(0);
  });

  it('appends that share a stream or an event id apply in arrival order, even with two calls in flight', async () => {
    // A large first append travels and parses slowly; the small ones behind it would reach the lock
    // first if they went out beside it (PostgreSQL allows two calls in flight when enough events wait).
    // Connections open and idle, so the second call starts at once instead of waiting for a new one.
    await Promise.all(Array.from({ length: 4 }, () => store.head()));
    const head = await store.head();
    const big = meetings(1500, 'big');
    const outcomes = await Promise.allSettled([
      store.append('contract-order-a', 'no_stream', big),
      store.append('contract-order-a', 1500, [aMeeting()]), // needs the big one first
      store.append('contract-order-b', 'any', [big[0]!]), // its id belongs to the big one: a conflict
      store.append('contract-order-c', 'no_stream', meetings(40, 'filler')), // free to go beside it
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(EventIdConflictError);
    expect((await store.readStream('contract-order-a')).version).toBe(1501);
    const log = [];
    for await (const e of store.readLog({ after: head })) log.push(e.position);
    expect(log).toEqual(Array.from({ length: 1541 }, (_, i) => head + i + 1));
  });

  it.runIf(kind === 'postgres')(
    'two instances appending the same event at once: one writes it, the other gets the replay',
    async () => {
      // Each instance looks the ids up before it waits for the lock: the second finds nothing, then
      // meets the first one's row in the unique constraint, and must answer as if it had looked later.
      const other = await createEventStore({
        databaseUrl: databaseUrl!,
        dataDir: '/nonexistent',
        poolSize: 4,
        now: () => new Date(clock),
      });
      try {
        for (let round = 0; round < 12; round++) {
          const event = aMeeting({ title: `raced ${round}` });
          const results = await Promise.all([
            store.append(`contract-instances-${round}`, 'any', [event]),
            other.append(`contract-instances-${round}`, 'any', [event]),
          ]);
          expect(results.map((r) => r.duplicate).sort()).toEqual([false, true]);
          expect(results[0]!.events).toEqual(results[1]!.events);
        }
      } finally {
        await other.close();
      }
    },
  );

  it('a command the database refuses fails alone, not the appends committed with it', async () => {
    const head = await store.head();
    const outcomes = await Promise.allSettled([
      store.append('contract-refused-a', 'any', [aMeeting()]),
      // Not a uuid: PostgreSQL rejects the cast, which would roll back a whole group commit.
      store.append('contract-refused-b', 'any', [aMeeting({ eventId: 'not-a-uuid' })]),
      store.append('contract-refused-c', 'any', [aMeeting()]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ code: '22P02' });
    expect(await store.head()).toBe(head + 2);
    expect((await store.readStream('contract-refused-b')).version).toBe(0);
  });

  it('reads the log by page with type, stream and knowledge-time filters', async () => {
    const before = await store.head();
    clock = Date.parse('2024-09-01T00:00:00Z');
    await store.append('contract-log-a', 'any', meetings(2, 'a'));
    clock = Date.parse('2024-09-02T00:00:00Z');
    await store.append('contract-log-b', 'any', [
      aMeeting({
        type: 'CooperationDiscussed',
        data: { title: 'Climate', area: 'climate', actors: [], pillars: [], participants: [] },
      }),
    ]);

    const all = await store.readLogPage({ after: before, limit: 10 });
    expect(all.map((e) => e.position)).toEqual([before + 1, before + 2, before + 3]);
    expect((await store.readLogPage({ after: before, limit: 2 })).map((e) => e.position)).toEqual([
      before + 1,
      before + 2,
    ]);
    expect(
      (await store.readLogPage({ after: before, types: ['CooperationDiscussed'] })).map((e) => e.streamId),
    ).toEqual(['contract-log-b']);
    expect((await store.readLogPage({ after: before, streams: ['contract-log-a'] })).length).toBe(2);
    expect((await store.readLogPage({ after: before, asOf: '2024-09-01T12:00:00Z' })).length).toBe(2);
    expect((await store.readLogPage({ after: before, until: before + 1 })).length).toBe(1);

    const streamed = [];
    for await (const e of store.readLog({ after: before }, 1)) streamed.push(e.position);
    expect(streamed).toEqual([before + 1, before + 2, before + 3]);
    expect(await store.getEvent(all[2]!.eventId)).toEqual(all[2]);
    expect(await store.getEvent('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });

  it('reads an event followed by the corrections and retraction naming it, in position order', async () => {
    const [fact, other] = [aMeeting(), aMeeting()];
    await store.append('contract-lineage', 'no_stream', [fact, other]);
    const lineage = (type: string, data: Record<string, unknown>) =>
      aMeeting({ type, data: { ...data, reason: 'the source says so' } });
    const fix = lineage('EventCorrected', { correctedEventId: fact.eventId, patch: { title: 'Fixed' } });
    const unrelated = lineage('EventCorrected', {
      correctedEventId: other.eventId,
      patch: { title: 'Other' },
    });
    const retraction = lineage('EventRetracted', { retractedEventId: fact.eventId });
    await store.append('contract-lineage', 'any', [fix, unrelated, retraction]);

    const read = await store.readEventWithLineage(fact.eventId);
    expect(read.map((e) => e.eventId)).toEqual([fact.eventId, fix.eventId, retraction.eventId]);
    expect(read.map((e) => e.streamVersion)).toEqual([1, 3, 5]);
    expect((await store.readEventWithLineage(fix.eventId)).map((e) => e.eventId)).toEqual([fix.eventId]);
    expect(await store.readEventWithLineage('00000000-0000-4000-8000-000000000000')).toEqual([]);
  });

  it('lists streams by keyset in stream id order, with their version and last recording', async () => {
    clock = Date.parse('2024-11-01T00:00:00Z');
    await store.append('contract-list-b', 'no_stream', meetings(3));
    clock = Date.parse('2024-11-02T00:00:00Z');
    await store.append('contract-list-a', 'no_stream', [aMeeting()]);
    await store.append('contract-list-c', 'no_stream', [aMeeting()]);

    const first = await store.listStreams({ after: 'contract-list', limit: 2 });
    expect(first).toEqual([
      { streamId: 'contract-list-a', version: 1, eventCount: 1, lastRecordedAt: '2024-11-02T00:00:00.000Z' },
      { streamId: 'contract-list-b', version: 3, eventCount: 3, lastRecordedAt: '2024-11-01T00:00:00.000Z' },
    ]);
    const rest = await store.listStreams({ after: 'contract-list-b', limit: 2 });
    expect(rest.map((s) => s.streamId)).toEqual(['contract-list-c', 'contract-log-a']);
    // Keyset pages of 7 walk exactly the order of one big page, whatever the database's collation.
    const everything = (await store.listStreams({ limit: 1000 })).map((s) => s.streamId);
    const paged: string[] = [];
    for (let page = await store.listStreams({ limit: 7 }); page.length > 0; ) {
      paged.push(...page.map((s) => s.streamId));
      page = await store.listStreams({ after: paged.at(-1), limit: 7 });
    }
    expect(paged).toEqual(everything);
    expect(everything).toContain('contract-basic');
  });

  it('keeps knowledge time monotonic along the log even when the clock goes back', async () => {
    clock = Date.parse('2024-10-01T00:00:00Z');
    const a = await store.append('contract-clock', 'any', [aMeeting()]);
    clock = Date.parse('2024-01-01T00:00:00Z');
    const b = await store.append('contract-clock', 'any', [aMeeting()]);
    const [ea, eb] = (await store.readStream('contract-clock')).events;
    expect(eb!.position).toBeGreaterThan(ea!.position);
    expect(Date.parse(eb!.recordedAt)).toBeGreaterThanOrEqual(Date.parse(ea!.recordedAt));
    expect(a.events[0]!.position).toBeLessThan(b.events[0]!.position);
  });

  it('hands over the events it appended exactly as the log holds them, and only those', async () => {
    const before = await store.head();
    expect(await store.recentlyAppended(before, 10)).toEqual([]); // from now on it keeps them
    const first = meetings(2).map((e) => ({ ...e, eventId: e.eventId.toUpperCase() }));
    await store.append('contract-recent', 'any', first);
    // The clock goes back: the store keeps the head's recorded_at, and so must what it hands over.
    clock -= 3_600_000;
    await Promise.all([
      store.append('contract-recent', 'any', meetings(3, 'Late')),
      store.append('contract-recent-2', 'any', [aMeeting()]),
    ]);
    clock += 3_600_000;
    const stored = await store.readLogPage({ after: before, limit: 10 });
    expect(stored).toHaveLength(6);
    expect(await store.recentlyAppended(before, 10)).toEqual(stored);
    expect(await store.recentlyAppended(before + 1, 2)).toEqual(stored.slice(1, 3));
    // A run is never continued past a position it does not hold.
    expect(await store.recentlyAppended(before + 6, 10)).toEqual([]);
    // Positions up to `after` are forgotten: the store is read instead.
    expect(await store.recentlyAppended(before, 10)).toEqual([]);
  });

  it.runIf(kind === 'postgres')(
    'hands over nothing another instance appended: the run stops at its first position',
    async () => {
      const other = await createEventStore({
        databaseUrl: databaseUrl!,
        dataDir: '/nonexistent',
        poolSize: 2,
      });
      try {
        const before = await store.head();
        await store.recentlyAppended(before, 1);
        await store.append('contract-recent-a', 'any', [aMeeting()]);
        await other.append('contract-recent-b', 'any', [aMeeting()]);
        await store.append('contract-recent-a', 'any', [aMeeting()]);
        const stored = await store.readLogPage({ after: before, limit: 10 });
        expect(stored.map((e) => e.streamId)).toEqual([
          'contract-recent-a',
          'contract-recent-b',
          'contract-recent-a',
        ]);
        expect(await store.recentlyAppended(before, 10)).toEqual(stored.slice(0, 1));
        expect(await store.recentlyAppended(before + 1, 10)).toEqual([]);
        expect(await store.recentlyAppended(before + 2, 10)).toEqual(stored.slice(2));
      } finally {
        await other.close();
      }
    },
  );

  it('notifies listeners of the new head after a commit', async () => {
    const heads: number[] = [];
    const stop = await store.onAppended((h) => heads.push(h));
    const result = await store.append('contract-notify', 'any', [aMeeting()]);
    const deadline = Date.now() + 5000;
    while (!heads.includes(result.events[0]!.position) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    await stop();
    expect(heads).toContain(result.events[0]!.position);
  });
});
