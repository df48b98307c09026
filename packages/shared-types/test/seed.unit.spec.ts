import { describe, expect, it } from 'vitest';
import {
  currentSchemaVersion,
  type EventType,
  NewEventSchema,
  PILLARS,
  StreamIdSchema,
  validateEventData,
  validTimeBounds,
} from '../src/index.js';
import {
  SEED_ACTORS,
  SEED_EVENTS,
  SEED_SOURCE,
  SEED_STREAMS,
  type SeedEvent,
  type SeedEventOf,
  seedEventsByStream,
} from '../src/seed/index.js';

function ofType<T extends SeedEvent['type']>(type: T): SeedEventOf<T>[] {
  return SEED_EVENTS.filter((e): e is SeedEventOf<T> & SeedEvent => e.type === type) as SeedEventOf<T>[];
}

const label = (e: SeedEvent) => `${e.type} ${e.eventId} (${e.data.title})`;

describe('seed dataset: every event is valid', () => {
  it('has 25 or more events', () => {
    expect(SEED_EVENTS.length).toBeGreaterThanOrEqual(25);
  });

  it.each(SEED_EVENTS.map((e) => [label(e), e] as const))(
    '%s validates against its type and version',
    (_, event) => {
      expect(event.schemaVersion).toBe(currentSchemaVersion(event.type as EventType));
      const data = validateEventData(event.type, event.schemaVersion, event.data);
      expect(data.ok ? [] : data.issues).toEqual([]);
      const envelope = NewEventSchema.safeParse({
        eventId: event.eventId,
        type: event.type,
        schemaVersion: event.schemaVersion,
        occurredAt: event.occurredAt,
        data: event.data,
        metadata: event.metadata,
      });
      expect(envelope.success ? [] : envelope.error.issues).toEqual([]);
      expect(StreamIdSchema.safeParse(event.streamId).success).toBe(true);
    },
  );

  it('has no duplicate eventIds', () => {
    const ids = SEED_EVENTS.map((e) => e.eventId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps each stream in chronological order of valid time', () => {
    for (const [streamId, events] of seedEventsByStream()) {
      const starts = events.map((e) => validTimeBounds(e.occurredAt).startMs);
      expect(starts, streamId).toEqual([...starts].sort((a, b) => a - b));
    }
  });

  it('keeps the whole seed in chronological order of valid time', () => {
    const starts = SEED_EVENTS.map((e) => validTimeBounds(e.occurredAt).startMs);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('spells every actor one way (a SEED_ACTORS display name)', () => {
    const known = new Set<string>(Object.values(SEED_ACTORS));
    for (const event of SEED_EVENTS) {
      for (const actor of event.data.actors ?? [])
        expect(known.has(actor), `${label(event)}: ${actor}`).toBe(true);
    }
  });

  it('covers every pillar with a PillarScopeDefined, a PillarIdentified or an InitiativeLaunched', () => {
    const covered = new Set<string>();
    for (const e of ofType('PillarScopeDefined')) covered.add(e.data.pillar);
    for (const e of ofType('PillarIdentified')) covered.add(e.data.pillar);
    for (const e of ofType('InitiativeLaunched')) for (const p of e.data.pillars ?? []) covered.add(p);
    expect([...covered].sort()).toEqual([...PILLARS].sort());
  });

  it('groups by stream in append order without losing or reordering events', () => {
    const byStream = seedEventsByStream();
    expect([...byStream.keys()].sort()).toEqual(Object.values(SEED_STREAMS).sort());
    expect([...byStream.values()].flat()).toHaveLength(SEED_EVENTS.length);
    for (const [streamId, events] of byStream) {
      expect(events).toEqual(SEED_EVENTS.filter((e) => e.streamId === streamId));
    }
  });
});

describe('seed dataset: nothing is invented', () => {
  const sources = SEED_EVENTS.flatMap((event) => event.metadata.sources.map((source) => ({ event, source })));

  it('gives every event at least one source', () => {
    for (const event of SEED_EVENTS) expect(event.metadata.sources.length, label(event)).toBeGreaterThan(0);
  });

  it('names the one source, the report, on every quote', () => {
    for (const { event, source } of sources) {
      expect(source.publisher, label(event)).toBe(SEED_SOURCE.publisher);
      expect(source.title, label(event)).toBe(SEED_SOURCE.title);
    }
  });

  it('says how every date the article does not state was derived', () => {
    for (const event of SEED_EVENTS) {
      const { occurredAt } = event;
      if (occurredAt.derivation !== undefined) continue;
      // Without a derivation the date must be printed in the event's own quotes ("In 2021").
      const stated = event.metadata.sources.some((s) => s.quote.includes(occurredAt.start));
      expect(stated, `${label(event)} has ${occurredAt.start} without a derivation`).toBe(true);
    }
  });

  it('never states a day the article does not give: the article prints no day at all', () => {
    for (const event of SEED_EVENTS) {
      if (event.occurredAt.precision === 'day' || event.occurredAt.precision === 'minute') {
        expect(event.occurredAt.derivation, label(event)).toMatch(/24 July 2024/);
      }
    }
  });

  it('dates the Labour government only to the month, with a derivation', () => {
    const [government] = ofType('GovernmentTookOffice');
    expect(government?.occurredAt).toMatchObject({ start: '2024-07', precision: 'month' });
    expect(government?.occurredAt.derivation).toMatch(/three weeks/);
  });

  it('derives the days from the report’s publication date, not from a design document', () => {
    for (const { occurredAt } of SEED_EVENTS) {
      expect(occurredAt.derivation ?? '').not.toMatch(/design/i);
      if (occurredAt.precision === 'day')
        expect(occurredAt.derivation).toMatch(/published on Wednesday 24 July 2024/);
    }
  });

  it('gives the NSAs’ undated agreement of the TSI the widest honest period, and says so', () => {
    const [nsas, ...others] = ofType('AgreementReached').filter((e) => e.streamId === SEED_STREAMS.tsi);
    expect(others).toEqual([]);
    expect(nsas?.data.parties.join()).toMatch(/NSAs/);
    expect(nsas?.occurredAt).toMatchObject({ start: '2021', end: '2024', precision: 'year' });
    expect(nsas?.occurredAt.derivation).toMatch(/does not date.*widest honest period/);
    expect(nsas?.metadata.sources.map((s) => s.quote).join('\n')).toMatch(/spearheaded and agreed/);
  });

  it('marks the values the article implies but does not state as inferred, saying how', () => {
    const inferred = (e: SeedEvent) => Object.keys(e.data.inferred ?? {});
    expect(inferred(ofType('FundingCallAnnounced')[0]!)).toEqual(['amount.currency']);
    expect(inferred(ofType('VisitStarted')[0]!)).toEqual(['hostCountry']);
    for (const concern of ofType('ConcernRaised')) expect(inferred(concern)).toEqual(['addressedTo']);
    const remarks = ofType('StatementIssued').filter(
      (s) => s.data.channel === 'remarks' && s.data.speaker !== SEED_ACTORS.jaishankar,
    );
    expect(remarks.map((s) => s.data.speaker).sort()).toEqual([
      SEED_ACTORS.lammy,
      SEED_ACTORS.lammy,
      SEED_ACTORS.modi,
    ]);
    for (const statement of remarks) expect(inferred(statement)).toEqual(['channel']);
    // "DST" is not in the article: only the stream id (an identifier, kept stable) abbreviates it.
    for (const event of SEED_EVENTS) expect(JSON.stringify(event.data)).not.toMatch(/\bDST\b/);
  });

  it('assesses a negotiation’s progress only where the article speaks of progress', () => {
    for (const note of ofType('NegotiationProgressNoted'))
      expect(
        note.metadata.sources.some((s) => /progress/.test(s.quote)),
        label(note),
      ).toBe(true);
  });

  it('dates the roadmap as the article does: "In 2021", year precision', () => {
    const [roadmap] = ofType('RoadmapAdopted');
    expect(roadmap?.occurredAt).toEqual({ start: '2021', precision: 'year' });
  });

  it('keeps "It is learnt" on the concerns, which the report sources to no one', () => {
    for (const concern of ofType('ConcernRaised')) {
      expect(concern.data.summary).toMatch(/It is learnt/);
      expect(concern.metadata.sources.every((s) => s.quote.startsWith('It is learnt'))).toBe(true);
    }
  });
});

describe('seed dataset: covers the article', () => {
  const types = new Set(SEED_EVENTS.map((e) => e.type));
  const text = (e: SeedEvent) => JSON.stringify(e.data);

  it('uses every fact type of the catalog', () => {
    expect([...types].sort()).toEqual(
      [
        'AgreementReached',
        'ConcernRaised',
        'CooperationDiscussed',
        'FundingCallAnnounced',
        'GovernmentTookOffice',
        'InitiativeLaunched',
        'IssuesDiscussed',
        'MeetingHeld',
        'NegotiationProgressNoted',
        'PillarIdentified',
        'PillarScopeDefined',
        'RoadmapAdopted',
        'StatementIssued',
        'VisitStarted',
      ].sort(),
    );
  });

  it('has the 2021 roadmap with its 10-year horizon and areas', () => {
    const [roadmap] = ofType('RoadmapAdopted');
    expect(roadmap?.data).toMatchObject({ horizonYears: 10, parties: [SEED_ACTORS.india, SEED_ACTORS.uk] });
    expect(roadmap?.data.areas).toEqual(
      expect.arrayContaining([
        'trade and economy',
        'defence and security',
        'climate change',
        'people-to-people connections',
      ]),
    );
  });

  it('has the Labour government of Keir Starmer taking office', () => {
    expect(ofType('GovernmentTookOffice')[0]?.data).toMatchObject({
      headOfGovernment: SEED_ACTORS.starmer,
      party: 'Labour',
      country: SEED_ACTORS.uk,
    });
  });

  it('has Lammy arriving in Delhi "this morning"', () => {
    const [visit] = ofType('VisitStarted');
    expect(visit?.data).toMatchObject({
      visitor: SEED_ACTORS.lammy,
      city: 'Delhi',
      hostCountry: SEED_ACTORS.india,
    });
    expect(visit?.occurredAt.derivation).toMatch(/this morning/);
  });

  it('has the meetings with Modi (and what he said), Doval and Jaishankar', () => {
    const meetings = ofType('MeetingHeld');
    const withWhom = (name: string) => meetings.find((m) => m.data.participants.includes(name));
    expect(withWhom(SEED_ACTORS.modi)?.data.format).toBe('call-on');
    expect(withWhom(SEED_ACTORS.modi)?.data.summary).toMatch(/remains committed to elevating its ties/);
    expect(withWhom(SEED_ACTORS.doval)).toBeDefined();
    expect(withWhom(SEED_ACTORS.jaishankar)?.data.title).toMatch(/wide-ranging talks/);
  });

  it('has the TSI launch: aim, NSAs, sectors, the Roadmap 2030, all seven pillars', () => {
    const [tsi, ...others] = ofType('InitiativeLaunched');
    expect(others).toEqual([]);
    expect(tsi?.streamId).toBe(SEED_STREAMS.tsi);
    expect(tsi?.data.acronym).toBe('TSI');
    expect(tsi?.data.aim).toMatch(/strategic partnership/);
    expect(tsi?.data.spearheadedBy?.join()).toMatch(/NSAs/);
    expect(tsi?.data.participantSectors).toEqual([
      'government',
      'private sector',
      'academia',
      'research and development institutions',
    ]);
    expect(tsi?.data.summary).toMatch(/Roadmap 2030/);
    expect([...(tsi?.data.pillars ?? [])].sort()).toEqual([...PILLARS].sort());
  });

  it('defines the scope of the pillars the article describes, and only names the others', () => {
    const scopes = new Map(ofType('PillarScopeDefined').map((e) => [e.data.pillar, e.data.scope]));
    expect([...scopes.keys()].sort()).toEqual(['critical-minerals', 'semiconductors', 'telecom']);
    expect(scopes.get('telecom')).toMatch(/Open RAN systems, telecom security and spectrum innovation/);
    expect(scopes.get('critical-minerals')).toMatch(
      /supply chain resilience.*exploration, processing and manufacturing/,
    );
    expect(scopes.get('semiconductors')).toMatch(/semiconductor partnership/);
    const named = ofType('PillarIdentified').map((e) => e.data.pillar);
    expect(named.sort()).toEqual(['advanced-materials', 'ai', 'biotech-health', 'quantum']);
    for (const e of ofType('PillarIdentified')) expect(e.data.title).toMatch(/no scope given/);
  });

  it('has the £7m UKRI–DST funding call', () => {
    const [call] = ofType('FundingCallAnnounced');
    expect(call?.data.amount).toEqual({ value: 7_000_000, currency: 'GBP' });
    expect(call?.data.title).toMatch(/7-million-pound/);
    expect(call?.data.funders).toEqual([SEED_ACTORS.ukri, SEED_ACTORS.dst]);
    expect(call?.data.topic).toMatch(/telecoms research/i);
  });

  it('has the FTA progress: "substantial", "early conclusion"', () => {
    const notes = ofType('NegotiationProgressNoted');
    expect(notes.every((n) => n.streamId === SEED_STREAMS.fta)).toBe(true);
    expect(
      notes.some(
        (n) => /substantial/i.test(n.data.assessment) && /early conclusion/i.test(n.data.goal ?? ''),
      ),
    ).toBe(true);
  });

  it('has a concern raised by each side', () => {
    const concerns = ofType('ConcernRaised');
    expect(concerns.find((c) => c.data.raisedBy === SEED_ACTORS.india)?.data.concern).toMatch(
      /pro-Khalistan/,
    );
    expect(concerns.find((c) => c.data.raisedBy === SEED_ACTORS.uk)?.data.concern).toMatch(
      /Christian Michel/,
    );
  });

  it('has the cooperation discussed: mobility, climate, the roadmap review', () => {
    const discussed = ofType('CooperationDiscussed').map(text).join('\n');
    for (const expected of [
      /migration and mobility/i,
      /people-to-people/,
      /climate and green economy/i,
      /implementation of the India-UK roadmap/i,
    ]) {
      expect(discussed).toMatch(expected);
    }
  });

  it('has the defence and security cooperation as agreed, not discussed', () => {
    const agreed = ofType('AgreementReached').filter((e) => e.streamId === SEED_STREAMS.relationship);
    expect(agreed).toHaveLength(1);
    expect(agreed[0]?.data.parties).toEqual([SEED_ACTORS.india, SEED_ACTORS.uk]);
    expect(agreed[0]?.data.agreement).toMatch(
      /deepen defence and security cooperation.*Indo-Pacific.*non-state actors/,
    );
    expect(ofType('CooperationDiscussed').map(text).join('\n')).not.toMatch(/defence/i);
  });

  it('has the regional and global issues as deliberated on, not as cooperation', () => {
    const [issues, ...others] = ofType('IssuesDiscussed');
    expect(others).toEqual([]);
    expect(issues?.data.issues.join('\n')).toMatch(/Russia-Ukraine[\s\S]*West Asia and the Red Sea/);
    expect(ofType('CooperationDiscussed').map(text).join('\n')).not.toMatch(/Russia-Ukraine|Red Sea/);
  });

  it('has the statements: fact sheet, readout, Lammy, the post on X, the opening remarks', () => {
    const statements = ofType('StatementIssued');
    const by = (speaker: string, channel: string) =>
      statements.filter((s) => s.data.speaker === speaker && s.data.channel === channel);
    expect(by(SEED_ACTORS.mea, 'fact-sheet')).toHaveLength(1);
    expect(statements.filter((s) => s.data.channel === 'readout').length).toBeGreaterThanOrEqual(5);
    expect(by(SEED_ACTORS.lammy, 'remarks')).toHaveLength(2);
    expect(by(SEED_ACTORS.jaishankar, 'social-post')).toHaveLength(1);
    expect(by(SEED_ACTORS.jaishankar, 'social-post')[0]?.data.summary).toMatch(/productive and engaging/);
    expect(by(SEED_ACTORS.jaishankar, 'remarks')).toHaveLength(2);
    expect(by(SEED_ACTORS.modi, 'remarks')).toHaveLength(1);
  });
});
