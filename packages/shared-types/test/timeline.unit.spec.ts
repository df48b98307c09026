import { describe, expect, it } from 'vitest';
import {
  applyToTimeline,
  compareItems,
  foldTimeline,
  matchesTimelineFilter,
  type TimelineItem,
} from '../src/index.js';
import { SEED_ACTORS, SEED_EVENTS, SEED_STREAMS } from '../src/seed/index.js';
import { lineageEvent, read } from './support/events.js';

const log = read(SEED_EVENTS);
const tsiLaunch = log.find((e) => e.type === 'InitiativeLaunched')!;
const last = log.length;

describe('the timeline fold', () => {
  it('given the seed, then every fact is one item carrying its title, sources and lineage', () => {
    const items = foldTimeline(log);
    expect(items.size).toBe(SEED_EVENTS.length);
    const item = items.get(tsiLaunch.eventId)!;
    expect(item.title).toBe(tsiLaunch.data.title);
    expect(item.sources).toEqual(tsiLaunch.metadata.sources);
    expect(item.pillars).toHaveLength(7);
    expect(item.lineage).toEqual([
      {
        kind: 'recorded',
        eventId: tsiLaunch.eventId,
        position: tsiLaunch.position,
        recordedAt: tsiLaunch.recordedAt,
      },
    ]);
  });

  it('add → correct (patch the title) → retract, recording the lineage', () => {
    const items = new Map<string, TimelineItem>();
    expect(applyToTimeline(items, tsiLaunch).kind).toBe('added');

    const correction = lineageEvent(
      'EventCorrected',
      { correctedEventId: tsiLaunch.eventId, patch: { title: 'TSI launched' }, reason: 'shorter title' },
      last + 1,
    );
    const corrected = applyToTimeline(items, correction);
    expect(corrected.kind).toBe('changed');
    const item = items.get(tsiLaunch.eventId)!;
    expect(item.title).toBe('TSI launched');
    expect(item.data.initiative).toBe(tsiLaunch.data.initiative);
    expect(item.lastPosition).toBe(last + 1);
    expect(item.lineage.map((l) => l.kind)).toEqual(['recorded', 'corrected']);
    expect(item.lineage[1]).toMatchObject({
      eventId: correction.eventId,
      reason: 'shorter title',
      patch: { title: 'TSI launched' },
    });

    const retraction = lineageEvent(
      'EventRetracted',
      { retractedEventId: tsiLaunch.eventId, reason: 'test' },
      last + 2,
    );
    expect(applyToTimeline(items, retraction).kind).toBe('retracted');
    const retracted = items.get(tsiLaunch.eventId)!;
    expect(retracted.retracted).toBe(true);
    expect(retracted.title).toBe('TSI launched');
    expect(retracted.lineage.map((l) => l.kind)).toEqual(['recorded', 'corrected', 'retracted']);
    expect(matchesTimelineFilter(retracted, {})).toBe(false);
    expect(matchesTimelineFilter(retracted, { includeRetracted: true })).toBe(true);
  });

  it('corrects the valid time when the correction carries one', () => {
    const items = foldTimeline([tsiLaunch]);
    const occurredAt = { start: '2024-07', precision: 'month' as const, derivation: 'test' };
    applyToTimeline(
      items,
      lineageEvent(
        'EventCorrected',
        { correctedEventId: tsiLaunch.eventId, occurredAt, reason: 'less precise' },
        last + 1,
      ),
    );
    expect(items.get(tsiLaunch.eventId)?.occurredAt).toEqual(occurredAt);
  });

  it('ignores corrections of retracted and of unknown events', () => {
    const items = foldTimeline([tsiLaunch]);
    const unknown = '11111111-1111-4111-8111-111111111111';
    expect(
      applyToTimeline(
        items,
        lineageEvent('EventCorrected', { correctedEventId: unknown, patch: { title: 'x' }, reason: 'r' }, 90),
      ).kind,
    ).toBe('ignored');
    expect(
      applyToTimeline(items, lineageEvent('EventRetracted', { retractedEventId: unknown, reason: 'r' }, 91))
        .kind,
    ).toBe('ignored');
    applyToTimeline(
      items,
      lineageEvent('EventRetracted', { retractedEventId: tsiLaunch.eventId, reason: 'r' }, 92),
    );
    const before = items.get(tsiLaunch.eventId);
    const late = lineageEvent(
      'EventCorrected',
      { correctedEventId: tsiLaunch.eventId, patch: { title: 'x' }, reason: 'r' },
      93,
    );
    expect(applyToTimeline(items, late).kind).toBe('ignored');
    expect(
      applyToTimeline(
        items,
        lineageEvent('EventRetracted', { retractedEventId: tsiLaunch.eventId, reason: 'again' }, 94),
      ).kind,
    ).toBe('ignored');
    expect(items.get(tsiLaunch.eventId)).toBe(before);
  });

  it('ignores a correction that would make the item invalid', () => {
    const items = foldTimeline([tsiLaunch]);
    const removeTitle = lineageEvent(
      'EventCorrected',
      { correctedEventId: tsiLaunch.eventId, patch: { title: null }, reason: 'r' },
      90,
    );
    expect(applyToTimeline(items, removeTitle).kind).toBe('ignored');
    expect(items.get(tsiLaunch.eventId)?.title).toBe(tsiLaunch.data.title);
  });

  it('ignores a duplicate delivery of a fact and of a correction', () => {
    const items = foldTimeline(log);
    const before = items.get(tsiLaunch.eventId);
    expect(applyToTimeline(items, tsiLaunch)).toEqual({
      kind: 'ignored',
      reason: expect.stringMatching(/duplicate/),
    });
    expect(items.get(tsiLaunch.eventId)).toBe(before);

    const correction = lineageEvent(
      'EventCorrected',
      { correctedEventId: tsiLaunch.eventId, patch: { title: 'T' }, reason: 'r' },
      last + 1,
    );
    expect(applyToTimeline(items, correction).kind).toBe('changed');
    expect(applyToTimeline(items, correction).kind).toBe('ignored');
    expect(items.get(tsiLaunch.eventId)?.lineage).toHaveLength(2);
  });

  it('replays as of a position or a knowledge time', () => {
    const correction = lineageEvent(
      'EventCorrected',
      { correctedEventId: tsiLaunch.eventId, patch: { title: 'Later' }, reason: 'r' },
      last + 1,
      { recordedAt: '2024-09-01T00:00:00.000Z' },
    );
    const full = [...log, correction];
    expect(foldTimeline(full).get(tsiLaunch.eventId)?.title).toBe('Later');
    expect(foldTimeline(full, { asOf: '2024-08-15T00:00:00Z' }).get(tsiLaunch.eventId)?.title).toBe(
      tsiLaunch.data.title,
    );
    expect(foldTimeline(full, { untilPosition: 3 }).size).toBe(3);
  });

  it('orders items by valid time, then position', () => {
    const sorted = [...foldTimeline(log).values()].sort(compareItems);
    expect(sorted[0]?.type).toBe('RoadmapAdopted');
    // The NSAs' undated agreement of the TSI: the period 2021-2024, recorded after the roadmap.
    expect(sorted[1]?.type).toBe('AgreementReached');
    expect(sorted[2]?.type).toBe('GovernmentTookOffice');
    expect(sorted.map((i) => i.position)).toEqual([...sorted.map((i) => i.position)].sort((a, b) => a - b));
  });
});

describe('matchesTimelineFilter', () => {
  const items = [...foldTimeline(log).values()];
  const roadmap = items.find((i) => i.type === 'RoadmapAdopted')!;
  const government = items.find((i) => i.type === 'GovernmentTookOffice')!;
  /** Undated in the article: the widest honest period, 2021-2024 at year precision. */
  const nsasAgreement = items.find((i) => i.type === 'AgreementReached' && i.streamId === SEED_STREAMS.tsi)!;
  const titles = (filter: Parameters<typeof matchesTimelineFilter>[1]) =>
    items.filter((i) => matchesTimelineFilter(i, filter)).map((i) => i.title);

  it('lets a year-precision event overlap any window touching that year', () => {
    expect(matchesTimelineFilter(roadmap, { from: '2021-06-01', to: '2021-06-30' })).toBe(true);
    expect(matchesTimelineFilter(roadmap, { from: '2021-12-31' })).toBe(true);
    expect(matchesTimelineFilter(roadmap, { to: '2021-01-01' })).toBe(true);
    expect(matchesTimelineFilter(roadmap, { from: '2022-01-01' })).toBe(false);
    expect(matchesTimelineFilter(roadmap, { to: '2020-12-31' })).toBe(false);
  });

  it('lets a month-precision event overlap a window on one day of that month', () => {
    expect(matchesTimelineFilter(government, { from: '2024-07-05', to: '2024-07-05' })).toBe(true);
    expect(matchesTimelineFilter(government, { from: '2024-08-01' })).toBe(false);
  });

  it('reads `to` as the end of the named day, month or year', () => {
    // Everything but the 2021 roadmap: the month-precision government and the NSAs' 2021-2024
    // period cover 24 July too.
    expect(titles({ from: '2024-07-24', to: '2024-07-24' })).toHaveLength(items.length - 1);
    expect(titles({ from: '2024-07-25', to: '2024-07-31' })).toEqual([nsasAgreement.title, government.title]);
    expect(titles({ from: '2024-07', to: '2024-07' })).toHaveLength(items.length - 1);
    expect(titles({ to: '2023' })).toEqual([roadmap.title, nsasAgreement.title]);
  });

  it('filters by pillar', () => {
    const quantum = items.filter((i) => matchesTimelineFilter(i, { pillars: ['quantum'] }));
    expect(quantum.map((i) => i.type).sort()).toEqual([
      'InitiativeLaunched',
      'PillarIdentified',
      'StatementIssued',
    ]);
    expect(titles({ pillars: ['telecom'] })).toContain(
      '7-million-pound funding call for future telecoms research by UKRI and India’s Department of Science and Technology',
    );
  });

  it('filters by actor', () => {
    expect(titles({ actors: [SEED_ACTORS.doval] })).toEqual([
      'Lammy holds separate talks with National Security Advisor Ajit Doval',
    ]);
    expect(titles({ actors: [SEED_ACTORS.starmer] }).length).toBeGreaterThan(0);
  });

  it('searches title, actors and quotes, ignoring case', () => {
    expect(titles({ q: 'DOVAL' })).toEqual([
      'Lammy holds separate talks with National Security Advisor Ajit Doval',
    ]);
    // "AgustaWestland" is in the quote that both concerns share, and in no title.
    expect(titles({ q: 'agustawestland' })).toEqual([
      'India flags concerns over activities of pro-Khalistan elements in the UK',
      'The UK raises the issue of Christian Michel',
    ]);
    expect(titles({ q: 'no such words anywhere' })).toEqual([]);
  });

  it('filters by type and stream, and combines filters', () => {
    expect(titles({ types: ['FundingCallAnnounced'] })).toHaveLength(1);
    expect(titles({ streams: [SEED_STREAMS.fta] })).toHaveLength(2);
    expect(
      titles({ streams: [SEED_STREAMS.tsi], pillars: ['semiconductors'], types: ['PillarScopeDefined'] }),
    ).toHaveLength(1);
  });
});
