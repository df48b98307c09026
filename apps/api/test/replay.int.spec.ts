import { canonicalJson, normalizeReplaySelection, type TimelineItem } from '@timeline/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplayService } from '../src/replay/replay.service.js';
import {
  aFact,
  collect,
  correction,
  parseLines,
  retraction,
  sha256,
  manualClock,
} from './support/replay-fixtures.js';
import { openTestStorage, STORE_KINDS } from './support/stores.js';

type SelectionInput = Omit<Parameters<typeof normalizeReplaySelection>[0], 'mode'>;

describe.each(STORE_KINDS)('bitemporal replay on %s', (kind) => {
  const clock = manualClock('2024-07-24T10:00:00.000Z');
  let storage: Awaited<ReturnType<typeof openTestStorage>>;
  let replay: ReplayService;
  const fact = aFact('Talks in Delhi', { pillars: ['telecom'], actors: ['David Lammy'] });
  const fix = correction(fact, {
    patch: { title: 'Talks in New Delhi', pillars: ['telecom', 'ai'] },
    reason: 'the report says New Delhi',
  });
  const withdraw = retraction(fact);
  const roadmap = aFact('Roadmap 2030 adopted', {
    occurredAt: { start: '2021', precision: 'year' },
    actors: ['India'],
  });
  const other = aFact('Later meeting', {
    occurredAt: { start: '2024-09-02', precision: 'day' },
    actors: ['S Jaishankar'],
  });

  const timeline = async (selection: SelectionInput) =>
    parseLines<TimelineItem>(
      await collect((await replay.open(normalizeReplaySelection({ mode: 'timeline', ...selection }))).lines),
    );
  const events = async (selection: SelectionInput) =>
    parseLines<{ eventId: string; type: string; position: number }>(
      await collect((await replay.open(normalizeReplaySelection({ mode: 'events', ...selection }))).lines),
    );

  beforeAll(async () => {
    storage = await openTestStorage(kind, 'replay', clock.now);
    replay = new ReplayService(storage.store, 2);
    clock.set('2024-07-24T10:00:00.000Z');
    await storage.store.append('visit', 'no_stream', [fact]);
    clock.set('2024-07-25T10:00:00.000Z');
    await storage.store.append('roadmap', 'no_stream', [roadmap]);
    clock.set('2024-07-26T10:00:00.000Z');
    await storage.store.append('visit', 1, [fix]);
    clock.set('2024-07-27T10:00:00.000Z');
    await storage.store.append('later', 'no_stream', [other]);
    clock.set('2024-07-28T10:00:00.000Z');
    await storage.store.append('visit', 2, [withdraw]);
  });

  afterAll(async () => {
    await storage?.dispose();
  });

  it('as of a moment between a fact and its correction returns the uncorrected fact; after it, the corrected one', async () => {
    const before = await timeline({ asOf: '2024-07-25T12:00:00Z', streams: ['visit'] });
    expect(before.map((i) => i.title)).toEqual(['Talks in Delhi']);
    expect(before[0]!.lineage.map((l) => l.kind)).toEqual(['recorded']);

    const after = await timeline({ asOf: '2024-07-26T12:00:00Z', streams: ['visit'] });
    expect(after.map((i) => i.title)).toEqual(['Talks in New Delhi']);
    expect(after[0]!.lineage.map((l) => l.kind)).toEqual(['recorded', 'corrected']);

    // The same cut by position gives the same answer as by knowledge time.
    expect(await timeline({ until: 3, streams: ['visit'] })).toEqual(after);
    // Events mode: only what had been recorded by then.
    expect((await events({ asOf: '2024-07-25T12:00:00Z' })).map((e) => e.type)).toEqual([
      'MeetingHeld',
      'MeetingHeld',
    ]);
  });

  it('a retraction hides the item only from the moment it was recorded', async () => {
    expect((await timeline({ asOf: '2024-07-27T12:00:00Z' })).map((i) => i.title)).toEqual([
      'Roadmap 2030 adopted',
      'Talks in New Delhi',
      'Later meeting',
    ]);
    expect((await timeline({ asOf: '2024-07-28T12:00:00Z' })).map((i) => i.title)).toEqual([
      'Roadmap 2030 adopted',
      'Later meeting',
    ]);
    expect((await timeline({})).map((i) => i.title)).toEqual(['Roadmap 2030 adopted', 'Later meeting']);
  });

  it('a valid-time window honours year precision: an event dated 2021 overlaps any window touching 2021', async () => {
    const june2021 = { from: '2021-06-01', to: '2021-06-30' };
    expect((await timeline(june2021)).map((i) => i.title)).toEqual(['Roadmap 2030 adopted']);
    expect((await events(june2021)).map((e) => e.eventId)).toEqual([roadmap.eventId]);
    expect(await events({ from: '2022', to: '2023-12-31' })).toEqual([]);
    expect(await events({ to: '2020-12-31T23:59:59Z' })).toEqual([]);
    expect((await events({ from: '2021-12-31T23:59:00Z', to: '2024-07-24' })).map((e) => e.eventId)).toEqual([
      fact.eventId,
      roadmap.eventId,
      fix.eventId,
      withdraw.eventId,
    ]);
  });

  it('events mode with a pillar or actor filter brings the corrections and retractions of the matching facts', async () => {
    expect((await events({ pillars: ['telecom'] })).map((e) => e.eventId)).toEqual([
      fact.eventId,
      fix.eventId,
      withdraw.eventId,
    ]);
    expect((await events({ actors: ['S Jaishankar'] })).map((e) => e.eventId)).toEqual([other.eventId]);
    // Past `after`, a correction still finds its fact (looked up in the store) to judge the filter.
    expect((await events({ pillars: ['telecom'], after: 2 })).map((e) => e.eventId)).toEqual([
      fix.eventId,
      withdraw.eventId,
    ]);
    expect((await events({ types: ['EventRetracted'] })).map((e) => e.eventId)).toEqual([withdraw.eventId]);
    // Timeline mode filters the corrected item: the correction added the AI pillar.
    expect((await timeline({ pillars: ['ai'], asOf: '2024-07-27T00:00:00Z' })).map((i) => i.id)).toEqual([
      fact.eventId,
    ]);
  });

  it('two identical replays are byte-identical', async () => {
    for (const mode of ['events', 'timeline'] as const) {
      const selection = normalizeReplaySelection({ mode, until: 4 });
      const first = await collect((await replay.open(selection)).lines);
      const second = await collect((await replay.open(selection)).lines);
      expect(first.length).toBeGreaterThan(0);
      expect(sha256(second)).toBe(sha256(first));
      for (const line of first.split('\n').filter(Boolean))
        expect(canonicalJson(JSON.parse(line))).toBe(line);
    }
  });
});
