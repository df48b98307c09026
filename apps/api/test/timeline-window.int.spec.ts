import {
  applyToTimeline,
  compareItems,
  type DomainEventEnvelope,
  foldTimeline,
  matchesTimelineFilter,
  readStoredEnvelope,
  type TimelineFilter,
  type TimelineItem,
  ValidationError,
  validTimeBounds,
  windowEndMs,
  windowStartMs,
} from '@timeline/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventToAppend } from '../src/event-store/event-store.port.js';
import { TimelineDiff } from '../src/read-model/timeline-diff.js';
import { LIVE_READ_MODEL_TABLES, TimelineReadModel } from '../src/read-model/timeline-read-model.js';
import { ReadModelRebuild } from '../src/replay/read-model-rebuild.js';
import {
  facetsOf,
  type WindowRequest,
  TimelineWindowReads,
} from '../src/read-model/timeline-window-reads.js';
import { aFact, correction, retraction } from './support/replay-fixtures.js';
import { openTestStorage, STORE_KINDS } from './support/stores.js';

const PILLAR_CYCLE = ['ai', 'telecom', 'quantum'];
type Fact = EventToAppend;
const day = (d: number) => `2021-06-${String(d).padStart(2, '0')}`;

/**
 * A small log with every precision, a period, corrections (one moves a fact to another year), and
 * retractions; projected in batches of 5 so a batch often holds a fact and its correction.
 */
function fixture() {
  const named = {
    year: aFact('Year 2021', { occurredAt: { start: '2021', precision: 'year' }, pillars: ['ai'] }),
    month: aFact('June 2021', {
      occurredAt: { start: '2021-06', precision: 'month' },
      pillars: ['telecom', 'ai'],
    }),
    day: aFact('A day in June', { occurredAt: { start: day(15), precision: 'day' }, pillars: [] }),
    minute: aFact('A minute', {
      occurredAt: { start: '2021-06-15T10:30Z', precision: 'minute' },
      pillars: ['quantum'],
    }),
    period: aFact('Winter talks', {
      occurredAt: { start: '2020-11', end: '2021-02', precision: 'month' },
      pillars: ['ai'],
    }),
    july: aFact('July', { occurredAt: { start: '2021-07-01', precision: 'day' }, pillars: ['ai'] }),
  };
  const bulk = Array.from({ length: 30 }, (_, i) =>
    aFact(`Bulk ${i} searchable${i % 4 === 0 ? ' needle' : ''}`, {
      occurredAt: { start: day(i + 1), precision: 'day' },
      pillars: i % 5 === 4 ? [] : [PILLAR_CYCLE[i % 3]!],
      actors: [`Actor ${i % 4}`],
    }),
  );
  const early = Array.from({ length: 8 }, (_, i) =>
    aFact(`Early ${i}`, { occurredAt: { start: `${2010 + i}`, precision: 'year' }, pillars: ['telecom'] }),
  );
  const facts: Fact[] = [...Object.values(named), ...bulk.slice(0, 15), ...early];
  const later: [Fact, Fact][] = [
    [named.month, correction(named.month, { patch: { title: 'June 2021 (corrected)' }, reason: 'title' })],
    [
      named.day,
      correction(named.day, { occurredAt: { start: '2022-03-03', precision: 'day' }, reason: 'moved' }),
    ],
    [named.july, retraction(named.july)],
    ...bulk.slice(15).map((f) => [f, f] as [Fact, Fact]),
    [bulk[3]!, correction(bulk[3]!, { patch: { title: 'Bulk 3 once' }, reason: 'a' })],
    [bulk[3]!, correction(bulk[3]!, { patch: { title: 'Bulk 3 twice' }, reason: 'b' })],
    [bulk[5]!, retraction(bulk[5]!)],
    [named.minute, correction(named.minute, { patch: { title: 'A minute (fixed)' }, reason: 'c' })],
  ];
  return { named, facts, later };
}

const streamOf = (fact: Fact) => `window-${fact.eventId}`;

function expectedWindow(log: DomainEventEnvelope[], until: number, filter: TimelineFilter): TimelineItem[] {
  const folded = foldTimeline(log, { untilPosition: until });
  return [...folded.values()].filter((item) => matchesTimelineFilter(item, filter)).sort(compareItems);
}

const request = (filter: TimelineFilter, more: Partial<WindowRequest> = {}): WindowRequest => {
  const { from, to, ...rest } = filter;
  return {
    budget: 5000,
    groupBy: 'pillar',
    filter: rest,
    ...(from === undefined ? {} : { fromMs: windowStartMs(from) }),
    ...(to === undefined ? {} : { toMs: windowEndMs(to) + 1 }),
    ...more,
  };
};

describe.each(STORE_KINDS)('the timeline by window on %s', (kind) => {
  let storage: Awaited<ReturnType<typeof openTestStorage>>;
  let reads: TimelineWindowReads;
  let diffs: TimelineDiff;
  let log: DomainEventEnvelope[];
  let named: ReturnType<typeof fixture>['named'];

  beforeAll(async () => {
    storage = await openTestStorage(kind, 'window');
    const built = fixture();
    named = built.named;
    for (const fact of built.facts) await storage.store.append(streamOf(fact), 'any', [fact]);
    for (const [target, event] of built.later) await storage.store.append(streamOf(target), 'any', [event]);
    log = [];
    for await (const e of storage.store.readLog({}, 1000)) log.push(readStoredEnvelope(e));
    const model = new TimelineReadModel(storage.sql);
    for (let i = 0; i < log.length; i += 5) await model.apply(log.slice(i, i + 5));
    reads = new TimelineWindowReads(storage.sql);
    diffs = new TimelineDiff(storage.sql, reads);
  }, 240_000);

  afterAll(async () => {
    await storage?.dispose();
  });

  it('answers the items of a window by their whole period: a year-dated fact overlaps any day of its year', async () => {
    const state = await reads.state();
    expect(state).toEqual({ position: log.length, historyFrom: 0 });
    for (const filter of [
      { from: day(10), to: day(20) },
      { from: '2021-01-15', to: '2021-01-20' },
      { from: '2021-06-15T10:00:00Z', to: '2021-06-15T10:30:00Z' },
      { from: '2022', to: '2022' },
    ]) {
      const answer = await reads.window(request(filter), state);
      expect(answer.mode).toBe('items');
      expect(answer.position).toBe(log.length);
      const expected = expectedWindow(log, log.length, filter);
      expect(answer.items.map((i) => i.id)).toEqual(expected.map((i) => i.id));
      expect(answer.items).toEqual(expected);
      expect(answer.facets).toEqual(facetsOf(expected));
    }
    const june = await reads.window(request({ from: day(10), to: day(20) }), state);
    const ids = june.items.map((i) => i.id);
    expect(ids).toEqual(
      expect.arrayContaining([named.year.eventId, named.month.eventId, named.minute.eventId]),
    );
    // Moved to 2022 by a correction; ended in February; retracted.
    expect(ids).not.toContain(named.day.eventId);
    expect(ids).not.toContain(named.period.eventId);
    const winter = await reads.window(request({ from: '2021-01-15', to: '2021-01-20' }), state);
    expect(winter.items.map((i) => i.id).sort()).toEqual([named.year.eventId, named.period.eventId].sort());
  });

  it('runs the filters and the search on the server, retractions only when asked', async () => {
    const state = await reads.state();
    for (const filter of [
      { pillars: ['ai'] },
      { actors: ['Actor 1', 'Actor 2'], from: day(1), to: day(30) },
      { q: 'NEEDLE' },
      { types: ['MeetingHeld'], streams: [streamOf(named.period)] },
      { includeRetracted: true, from: '2021-07', to: '2021-07' },
    ] satisfies TimelineFilter[]) {
      const answer = await reads.window(request(filter), state);
      expect(answer.items).toEqual(expectedWindow(log, log.length, filter));
    }
    const july = await reads.window(request({ from: '2021-07', to: '2021-07' }), state);
    expect(july.items.map((i) => i.id)).not.toContain(named.july.eventId);
  });

  it('over budget answers buckets of a calendar unit fitting the window, items alone, facets of the whole selection', async () => {
    const state = await reads.state();
    for (const groupBy of ['pillar', 'actor'] as const) {
      const filter = { from: day(1), to: day(30) };
      const answer = await reads.window(request(filter, { budget: 5, groupBy }), state);
      const expected = expectedWindow(log, log.length, filter);
      expect(answer.mode).toBe('buckets');
      expect(answer.buckets?.unit).toBe('day');
      expect(answer.facets).toEqual(facetsOf(expected));
      // The oracle: each item once per group, in the day it starts (or the window's first day).
      const counts = new Map<string, TimelineItem[]>();
      const fromMs = windowStartMs(filter.from);
      for (const item of expected) {
        const startMs = Math.max(validTimeBounds(item.occurredAt).startMs, fromMs);
        const bucket = new Date(startMs - (startMs % 86_400_000)).toISOString();
        const names = groupBy === 'pillar' ? item.pillars : item.actors;
        const groups = names.length === 0 ? ['other'] : names.map((n) => `${groupBy}:${n}`);
        for (const group of groups)
          counts.set(`${bucket}|${group}`, [...(counts.get(`${bucket}|${group}`) ?? []), item]);
      }
      const rows = answer
        .buckets!.rows.filter((r) => r.count > 1)
        .map((r) => [`${r.start}|${r.group}`, r.count]);
      expect(Object.fromEntries(rows)).toEqual(
        Object.fromEntries(
          [...counts].filter(([, items]) => items.length > 1).map(([k, items]) => [k, items.length]),
        ),
      );
      // Buckets of one are their items, up to the budget; past it they stay rows of one.
      const alone = [...counts].filter(([, items]) => items.length === 1);
      const ones = answer.buckets!.rows.filter((r) => r.count === 1).map((r) => `${r.start}|${r.group}`);
      expect(answer.items.length).toBeLessThanOrEqual(5);
      const shown = new Set(answer.items.map((i) => i.id));
      expect(alone.filter(([key, [item]]) => !ones.includes(key) && !shown.has(item!.id))).toEqual([]);
      expect(ones.length + answer.items.length).toBeGreaterThanOrEqual(alone.length);
      for (const row of answer.buckets!.rows) {
        expect(Object.values(row.byType).reduce((a, b) => a + b, 0)).toBe(row.count);
        expect(Date.parse(row.end) - Date.parse(row.start)).toBe(86_400_000);
      }
    }
    const everything = await reads.window(request({}, { budget: 3 }), state);
    expect(everything.buckets?.unit).toBe('month');
    expect(everything.window.from).toBe('2010-01-01T00:00:00.000Z');
    expect(everything.facets.total).toBe(expectedWindow(log, log.length, {}).length);
  });

  it('at=P equals the shared fold of the first P events, in a window and over all of it', async () => {
    const state = await reads.state();
    const positions = [0, 1, 6, 13, 29, 30, 31, 33, 40, 45, log.length - 3, log.length];
    for (const at of positions) {
      for (const filter of [{}, { from: day(1), to: day(20) }, { from: '2022', to: '2022' }]) {
        const answer = await reads.window(request(filter, { at }), state);
        expect(answer.position).toBe(at);
        expect(answer.items, `at ${at} ${JSON.stringify(filter)}`).toEqual(expectedWindow(log, at, filter));
      }
    }
    const over = await reads.window(request({ from: day(1), to: day(30) }, { at: 30, budget: 2 }), state);
    expect(over.facets).toEqual(facetsOf(expectedWindow(log, 30, { from: day(1), to: day(30) })));
  });

  it('refuses a position beyond the read model, naming the field', async () => {
    const state = await reads.state();
    const beyond = reads.window(request({}, { at: log.length + 1 }), state);
    await expect(beyond).rejects.toBeInstanceOf(ValidationError);
    await expect(beyond).rejects.toMatchObject({ issues: [{ path: 'at' }] });
  });

  it('diffs two positions on the server as two folds differ', async () => {
    const state = await reads.state();
    for (const [from, to] of [
      [0, log.length],
      [6, 40],
      [29, 45],
      [40, log.length],
    ] as const) {
      for (const filter of [{}, { from: day(1), to: day(30) }] satisfies TimelineFilter[]) {
        const diff = await diffs.diff(
          { from, to, ...(filter.from ? { validFrom: filter.from, validTo: filter.to } : {}) },
          state,
        );
        const before = new Map(expectedWindow(log, from, filter).map((i) => [i.id, i]));
        const folded = foldTimeline(log, { untilPosition: to });
        const after = new Map(expectedWindow(log, to, filter).map((i) => [i.id, i]));
        const added = [...after.keys()].filter((id) => !before.has(id));
        const retracted = [...before.keys()].filter((id) => folded.get(id)?.retracted);
        const changed = [...before.keys()].filter(
          (id) => !folded.get(id)?.retracted && folded.get(id)!.lastPosition !== before.get(id)!.lastPosition,
        );
        const label = `${from}..${to} ${JSON.stringify(filter)}`;
        expect(diff.added.map((i) => i.id).sort(), label).toEqual(added.sort());
        expect(diff.retracted.map((c) => c.item.id).sort(), label).toEqual(retracted.sort());
        expect(diff.changed.map((c) => c.item.id).sort(), label).toEqual(changed.sort());
        for (const change of diff.changed) expect(change.before).toEqual(before.get(change.item.id));
      }
    }
    const moved = await diffs.diff({ from: 0, to: log.length, validFrom: '2022', validTo: '2022' }, state);
    expect(moved.added.map((i) => i.id)).toEqual([named.day.eventId]);
  });

  it('answers the overview: all valid time in one unit, by pillar', async () => {
    const state = await reads.state();
    const overview = await reads.overview({}, state);
    const current = expectedWindow(log, log.length, {});
    expect(overview.unit).toBe('month');
    expect(overview.range).toEqual({ from: '2010-01-01T00:00:00.000Z', to: '2022-03-04T00:00:00.000Z' });
    expect(overview.rows.reduce((sum, r) => sum + r.count, 0)).toBe(current.length);
    const ai = current.filter((i) => i.pillars.includes('ai')).length;
    expect(overview.rows.reduce((sum, r) => sum + (r.byPillar.ai ?? 0), 0)).toBe(ai);
    const june = overview.rows.find((r) => r.start === '2021-06-01T00:00:00.000Z');
    expect(june?.end).toBe('2021-07-01T00:00:00.000Z');
    const filtered = await reads.overview({ pillars: ['quantum'] }, state);
    expect(filtered.rows.reduce((sum, r) => sum + r.count, 0)).toBe(
      current.filter((i) => i.pillars.includes('quantum')).length,
    );
  });

  /** The month counts the projector kept, against a count of the items table made now. */
  async function expectCountsMatchItems(): Promise<void> {
    const month = `date_trunc('month', valid_from AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;
    const kept = await storage.sql.query<{ k: string; n: number }>(
      `SELECT month::text || ' ' || type || ' ' || pillars::text AS k, n FROM timeline_month_counts WHERE n <> 0 ORDER BY 1`,
    );
    const counted = await storage.sql.query<{ k: string; n: number }>(
      `SELECT (${month})::text || ' ' || type || ' ' || pillars::text AS k, count(*)::int8 AS n
       FROM timeline_items WHERE NOT retracted GROUP BY 1 ORDER BY 1`,
    );
    expect(kept.rows.map((r) => [r.k, Number(r.n)])).toEqual(counted.rows.map((r) => [r.k, Number(r.n)]));
    const keptActors = await storage.sql.query<{ k: string; n: number }>(
      `SELECT month::text || ' ' || actor || ' ' || type || ' ' || pillars::text AS k, n
       FROM timeline_month_actor_counts WHERE n <> 0 ORDER BY 1`,
    );
    const countedActors = await storage.sql.query<{ k: string; n: number }>(
      `SELECT (${month})::text || ' ' || a || ' ' || type || ' ' || pillars::text AS k, count(*)::int8 AS n
       FROM timeline_items CROSS JOIN LATERAL unnest(actors) a WHERE NOT retracted GROUP BY 1 ORDER BY 1`,
    );
    expect(keptActors.rows.map((r) => [r.k, Number(r.n)])).toEqual(
      countedActors.rows.map((r) => [r.k, Number(r.n)]),
    );
    expect(kept.rows.length).toBeGreaterThan(5);
  }

  it('keeps counts per month through corrections that move facts and retractions', async () => {
    await expectCountsMatchItems();
    // The fact moved to 2022 by a correction counts in March 2022, not in June 2021.
    const { rows } = await storage.sql.query<{ n: number }>(
      `SELECT coalesce(sum(n), 0)::int8 AS n FROM timeline_month_counts WHERE month = '2022-03-01T00:00:00Z'`,
    );
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it('answers zoomed-out windows and the overview from the month counts exactly as a scan of the items', async () => {
    const state = await reads.state();
    const scan = new TimelineWindowReads(storage.sql, LIVE_READ_MODEL_TABLES, false);
    const cases: [TimelineFilter, string][] = [
      [{}, 'month'],
      [{ from: '2012-03-15', to: '2021-06-20' }, 'month'],
      [{ from: '2010', to: '2021' }, 'month'],
      [{ from: '2011-07-04T12:00:00Z', to: '2022-01-10' }, 'month'],
      [{ pillars: ['ai'] }, 'month'],
      [
        { types: ['MeetingHeld'], pillars: ['telecom', 'quantum'], from: '2012-03-15', to: '2021-06-20' },
        'month',
      ],
    ];
    for (const [filter, unit] of cases) {
      for (const budget of [2, 4]) {
        const counted = await reads.window(request(filter, { budget }), state);
        const scanned = await scan.window(request(filter, { budget }), state);
        const label = `${JSON.stringify(filter)} budget ${budget}`;
        expect(counted.mode, label).toBe('buckets');
        expect(counted.buckets?.unit, label).toBe(unit);
        expect(counted, label).toEqual(scanned);
      }
    }
    for (const filter of [{}, { pillars: ['quantum'] }, { types: ['MeetingHeld'] }]) {
      expect(await reads.overview(filter, state)).toEqual(await scan.overview(filter, state));
    }
  });

  it('a rebuild writes the version rows again and swaps them in with the items', async () => {
    const { done } = await new ReadModelRebuild(storage.store, storage.sql).start();
    expect(await done).toMatchObject({ state: 'swapped' });
    const state = await reads.state();
    expect(state).toEqual({ position: log.length, historyFrom: 0 });
    const { rows } = await storage.sql.query<{ n: number }>(
      'SELECT count(*)::int8 AS n FROM timeline_item_versions',
    );
    // One version per change the fold makes (an ignored event, such as a correction of a retracted fact, makes none).
    const folded = new Map<string, TimelineItem>();
    const changes = log.filter((e) => applyToTimeline(folded, e).kind !== 'ignored').length;
    expect(Number(rows[0]!.n)).toBe(changes);
    for (const at of [13, 40, log.length]) {
      const answer = await reads.window(request({ from: day(1), to: day(30) }, { at }), state);
      expect(answer.items).toEqual(expectedWindow(log, at, { from: day(1), to: day(30) }));
    }
    // The month counts were folded again with the items and swapped in with them.
    await expectCountsMatchItems();
  });

  it('answers the log histogram: every position once, in knowledge-time buckets', async () => {
    for (const buckets of [1, 3, 100]) {
      const histogram = await storage.store.histogram(buckets);
      expect(histogram.head).toBe(log.length);
      expect(histogram.rows.length).toBeLessThanOrEqual(buckets + 1);
      expect(histogram.rows.reduce((sum, r) => sum + r.count, 0)).toBe(log.length);
      let next = 1;
      for (const row of histogram.rows) {
        expect(row.firstPosition).toBe(next);
        expect(row.count).toBe(row.lastPosition - row.firstPosition + 1);
        const first = log[row.firstPosition - 1]!;
        expect(Date.parse(first.recordedAt)).toBeGreaterThanOrEqual(Date.parse(row.start));
        expect(Date.parse(log[row.lastPosition - 1]!.recordedAt)).toBeLessThan(Date.parse(row.end));
        next = row.lastPosition + 1;
      }
    }
  });
});
