import { type EventDataInput, type FactEventType, currentSchemaVersion } from '../catalog/registry.js';
import { PILLARS } from '../catalog/pillars.js';
import type { OccurredAt, Source } from '../envelope.js';
import type { SeedEvent, SeedEventOf } from './seed-event.js';

/**
 * The first dataset: every fact of the news report in `shared/sources/india-uk-tsi-article.txt`
 * (the India–UK Technology Security Initiative and David Lammy's visit to Delhi), one domain
 * event per fact, each carrying the sentence or clause of the report that supports it, verbatim.
 *
 * Ground rules, so the dataset can be trusted:
 * - Nothing is invented. A field holds only what the event's own quotes say; where the report only
 *   lists something (the AI, quantum, biotech and advanced-materials pillars), the event says only that
 *   (`PillarIdentified`, no scope). A value the quotes imply but do not state (the currency of
 *   "7-million pounds", the host country of a visit to Delhi) is marked in `inferred`, with how.
 * - The source file names neither its publisher nor its headline, so `SEED_SOURCE` says so instead of
 *   guessing one, and its title is a description, marked as such.
 * - The report prints no calendar date. It says "on Wednesday", "this morning" and "three weeks after
 *   Prime Minister Keir Starmer’s Labour government came to power"; it was published on Wednesday
 *   24 July 2024, the day it reports. Every date taken from that carries a `derivation`.
 *   The Labour government's taking office is only dated as the report allows: July 2024, month precision.
 *   The NSAs' negotiation and agreement of the TSI is not dated at all: it gets the widest honest
 *   period and says so. Only "In 2021" (the roadmap) is stated, so only it has no derivation.
 * - Order: the order of appending. By valid time; within 24 July, the sequence the report states
 *   (arrival "this morning", the call on Modi "ahead of" the talks, the initiative "made public
 *   following" the talks), otherwise the order of the report.
 * - Event ids are fixed, so seeding twice appends nothing new.
 */

export const SEED_SOURCE = {
  publisher: 'News report (publisher not named in the source file)',
  title:
    'India and the UK firm up the Technology Security Initiative during David Lammy’s visit to Delhi (descriptive title: the source file has no headline)',
} as const satisfies Pick<Source, 'publisher' | 'title'>;

/** Display names, spelled one way everywhere so that actor filters and groups line up. */
export const SEED_ACTORS = {
  lammy: 'David Lammy',
  jaishankar: 'S Jaishankar',
  modi: 'Narendra Modi',
  doval: 'Ajit Doval',
  starmer: 'Keir Starmer',
  mea: 'Ministry of External Affairs',
  ukri: 'UK Research and Innovation',
  dst: 'Department of Science and Technology',
  india: 'India',
  uk: 'United Kingdom',
} as const;

export const SEED_STREAMS = {
  roadmap: 'roadmap-india-uk',
  government: 'government-uk-labour-2024',
  visit: 'visit-lammy-delhi-2024',
  fta: 'negotiation-india-uk-fta',
  relationship: 'relationship-india-uk',
  tsi: 'initiative-tsi',
  fundingCall: 'funding-call-ukri-dst-future-telecoms-2024',
} as const;

const A = SEED_ACTORS;
const TSI = 'UK-India Technology Security Initiative';

/** Who the report attributes quoted words to. */
const BY = {
  mea: 'Ministry of External Affairs (MEA)',
  factSheet: 'Ministry of External Affairs (MEA) fact sheet',
  readout: 'British readout',
  lammy: 'David Lammy',
  jaishankar: 'S Jaishankar',
  jaishankarOnX: 'S Jaishankar (post on X)',
  modi: 'Narendra Modi',
} as const;

const PUBLISHED = 'the report’s publication date, Wednesday 24 July 2024';
const REPORT_DATE = `The article prints no calendar date; it was published on Wednesday 24 July 2024 and reports that day’s events (“on Wednesday”, “this morning”), which fits Lammy being “three weeks into the job”.`;

function reportDay(how: string): OccurredAt {
  return { start: '2024-07-24', precision: 'day', derivation: `${how} ${REPORT_DATE}` };
}

const ON_WEDNESDAY = reportDay(
  'The article reports the talks and the initiative as happening “on Wednesday”.',
);
const THIS_MORNING = reportDay(
  'The article says Lammy arrived in Delhi “this morning”, the day of the report.',
);
const DURING_THE_TALKS = reportDay('The article reports this as part of Wednesday’s talks.');
const AHEAD_OF_THE_TALKS = reportDay(
  'Lammy arrived “this morning” and called on Modi “ahead of his talks with Jaishankar”, so on the day of the report.',
);
const THAT_DAY = reportDay(
  'Reported among Wednesday’s engagements; the article gives it no date of its own.',
);

interface Quote {
  quote: string;
  attribution?: string;
}

const q = (quote: string, attribution?: string): Quote =>
  attribution === undefined ? { quote } : { quote, attribution };

/** Builds a seed event whose data is type-checked against the current schema of its type. */
function fact<T extends FactEventType>(
  type: T,
  event: {
    streamId: string;
    eventId: string;
    occurredAt: OccurredAt;
    data: EventDataInput<T>;
    quotes: readonly Quote[];
  },
): SeedEventOf<T> {
  return {
    streamId: event.streamId,
    eventId: event.eventId,
    type,
    schemaVersion: currentSchemaVersion(type),
    occurredAt: event.occurredAt,
    data: event.data,
    metadata: { sources: event.quotes.map((quote) => ({ ...SEED_SOURCE, ...quote })) },
  };
}

// Sentences quoted by more than one event.
const LEDE =
  'India and the UK on Wednesday firmed up a landmark technology security initiative that sets out a bold new approach for collaboration in a range of “priority” sectors including telecom, critical minerals, semiconductors and artificial intelligence, with a broader aim to elevate their strategic partnership to the next level.';
const TALKS =
  'The decision on the UK-India Technology Security Initiative was made public following wide-ranging talks between External Affairs Minister S Jaishankar and his visiting British counterpart David Lammy.';
const ARRIVAL =
  'The British foreign secretary arrived in Delhi this morning for the first high-level engagement with New Delhi three weeks after Prime Minister Keir Starmer’s Labour government came to power.';
const MODI =
  'Ahead of his talks with Jaishankar, Lammy called on Prime Minister Narendra Modi who said India remains committed to elevating its ties with the UK and welcomes the desire to conclude a mutually beneficial free trade pact.';
const FTA =
  'In the discussions, both sides appreciated the “substantial” progress made in the India-UK FTA negotiations and looked forward to its “early conclusion” to achieve a mutually beneficial deal, the Ministry of External Affairs (MEA) said.';
const CONCERNS =
  'It is learnt that the Indian side, during the talks, flagged its concerns over activities of pro-Khalistan elements in the UK while the British side raised the issue of Christian Michel, the key accused in the AgustaWestland VVIP chopper case, who is languishing in a jail in India.';
const DEFENCE =
  'In the talks, the two sides agreed to deepen defence and security cooperation, in the Indo-Pacific and beyond, and to enhance capacities to address growing threats from “non-state actors”, the MEA said in a statement.';
const MIGRATION =
  'In their talks, Jaishankar and Lammy also discussed the migration and mobility partnership between the two countries with a view to strengthen people-to-people ties.';
const CLIMATE =
  'In the talks, Jaishankar and Lammy also discussed India-UK collaboration in the field of climate and green economy.';
const REGIONAL =
  'The two sides deliberated on regional and global issues of mutual interest, including the Russia-Ukraine conflict, the situation in West Asia and the Red Sea.';
const ROADMAP_REVIEW =
  'In their talks, Jaishankar and Lammy also reviewed the implementation of the India-UK roadmap that seeks to broad-base the ties in a range of areas.';
const OTHER_AREAS =
  'Besides telecom, critical minerals, semiconductors and artificial intelligence, the other areas identified for cooperation are quantum, biotech and advanced materials.';
const DEFINING_TECHNOLOGIES =
  '“It will set out a bold new approach for how the UK and India work together on the defining technologies of this decade — telecoms, critical minerals, AI, quantum, health/bio tech, advanced materials and semiconductors,” it said.';
const IN_DELHI =
  'That’s why three weeks into the job, I am in Delhi announcing a new Technology Security Initiative to deliver on the promise of the UK-India relationship';

const SAID_CHANNEL = '“Remarks” is the nearest channel of the catalog.';
const IT_SAID = `The article only says that he said it, not where. ${SAID_CHANNEL}`;
const PUT_TO_THE_OTHER_SIDE =
  'The talks were between the two sides, so a concern flagged in them was put to the other side; the article says “flagged” / “raised”, not to whom.';
const NSAS = 'NSAs of India and the United Kingdom';

export const SEED_EVENTS: readonly SeedEvent[] = [
  // --- 2021 ---------------------------------------------------------------------------------------
  fact('RoadmapAdopted', {
    streamId: SEED_STREAMS.roadmap,
    eventId: 'a839b4ad-f8e3-4646-89a5-a476ae7dc108',
    occurredAt: { start: '2021', precision: 'year' },
    data: {
      title: 'India and the UK adopt a 10-year roadmap',
      summary:
        'In 2021 India and the UK adopted the 10-year India-UK roadmap to expand ties in the key areas of trade and economy, defence and security, climate change and people-to-people connections, among others.',
      actors: [A.india, A.uk],
      roadmap: 'India-UK roadmap',
      parties: [A.india, A.uk],
      horizonYears: 10,
      areas: ['trade and economy', 'defence and security', 'climate change', 'people-to-people connections'],
    },
    quotes: [
      q(
        'In 2021, India and the UK adopted the 10-year roadmap to expand ties in the key areas of trade and economy, defence and security, climate change and people-to-people connections among others.',
      ),
      q(ROADMAP_REVIEW),
    ],
  }),

  // --- Before 24 July 2024, undated -----------------------------------------------------------------
  fact('AgreementReached', {
    streamId: SEED_STREAMS.tsi,
    eventId: '7877a9b7-54b3-48a0-aac5-3cd6dd65333c',
    occurredAt: {
      start: '2021',
      end: '2024',
      precision: 'year',
      derivation: `The article does not date the NSAs’ negotiations and agreement, only that they came before the initiative was made public on ${PUBLISHED}. Valid time has no “undated” precision, so this is the widest honest period, not a claim that it took that long: from 2021, the year of the roadmap whose agenda the TSI “seeks to build upon” (an inference), to 2024.`,
    },
    data: {
      title: 'The NSAs of India and the UK negotiate and agree the Technology Security Initiative (undated)',
      summary:
        'The Technology Security Initiative was “spearheaded and agreed” by the NSAs of the two countries, following negotiations between both countries to expand collaboration in critical and emerging technologies across priority sectors. The article does not say when.',
      actors: [A.india, A.uk],
      parties: [NSAS],
      area: 'Critical and emerging technologies',
      agreement: `The ${TSI}, to expand collaboration in critical and emerging technologies across priority sectors`,
    },
    quotes: [
      q('The initiative was “spearheaded and agreed” by the NSAs of the two countries.', BY.mea),
      q(
        'On the TSI, a British readout said it has been spearheaded and agreed to the NSAs following negotiations between both countries to expand collaboration in critical and emerging technologies across priority sectors.',
        BY.readout,
      ),
    ],
  }),

  // --- July 2024 ----------------------------------------------------------------------------------
  fact('GovernmentTookOffice', {
    streamId: SEED_STREAMS.government,
    eventId: 'b7b997e1-1ddd-4133-8caf-702867666190',
    occurredAt: {
      start: '2024-07',
      precision: 'month',
      derivation: `The article gives no date: Lammy arrived “three weeks after Prime Minister Keir Starmer’s Labour government came to power” and speaks of being “three weeks into the job”. Three weeks before ${PUBLISHED} is early July 2024; the exact day is not in the article, hence month precision.`,
    },
    data: {
      title: 'Keir Starmer’s Labour government comes to power in the UK',
      summary:
        'Prime Minister Keir Starmer’s Labour government came to power about three weeks before Foreign Secretary David Lammy’s visit to Delhi.',
      actors: [A.starmer, A.uk],
      country: A.uk,
      headOfGovernment: A.starmer,
      party: 'Labour',
      inferred: {
        country:
          'The article names “Prime Minister Keir Starmer’s Labour government” as the government of the “British foreign secretary”; it does not name the country.',
      },
    },
    quotes: [q(ARRIVAL), q(IN_DELHI, BY.lammy)],
  }),

  // --- Wednesday 24 July 2024: the visit and the talks ---------------------------------------------
  fact('VisitStarted', {
    streamId: SEED_STREAMS.visit,
    eventId: '0aa65ff0-e73b-4606-a1bd-a88403b4c298',
    occurredAt: THIS_MORNING,
    data: {
      title: 'British Foreign Secretary David Lammy arrives in Delhi',
      summary:
        'David Lammy, the British foreign secretary, arrived in Delhi in the morning for the first high-level engagement with New Delhi since Prime Minister Keir Starmer’s Labour government came to power three weeks earlier.',
      actors: [A.lammy],
      place: 'Delhi',
      visitor: A.lammy,
      visitorRole: 'British Foreign Secretary',
      hostCountry: A.india,
      city: 'Delhi',
      purpose: 'The first high-level engagement with New Delhi since the Labour government came to power',
      inferred: {
        hostCountry:
          'The article says Lammy arrived in Delhi for “the first high-level engagement with New Delhi” and speaks of his engagements with “the Indian interlocutors”; it does not name a host country.',
      },
    },
    quotes: [q(ARRIVAL), q(TALKS)],
  }),

  fact('MeetingHeld', {
    streamId: SEED_STREAMS.visit,
    eventId: '6fd253f3-f7f1-4f9e-8f90-fc514dd288d0',
    occurredAt: AHEAD_OF_THE_TALKS,
    data: {
      title: 'Lammy calls on Prime Minister Narendra Modi',
      summary:
        'Ahead of his talks with Jaishankar, Lammy called on Prime Minister Narendra Modi, who said India remains committed to elevating its ties with the UK and welcomes the desire to conclude a mutually beneficial free trade pact.',
      actors: [A.lammy, A.modi],
      participants: [A.lammy, A.modi],
      format: 'call-on',
      topics: ['Elevating India-UK ties', 'A mutually beneficial free trade pact'],
    },
    quotes: [q(MODI, BY.modi)],
  }),

  // What Modi said, in the FTA stream because he spoke of a free trade pact; he assessed no progress.
  fact('StatementIssued', {
    streamId: SEED_STREAMS.fta,
    eventId: 'd7193b5e-63e5-44b5-9f46-638e89719e08',
    occurredAt: AHEAD_OF_THE_TALKS,
    data: {
      title: 'Modi: India welcomes the desire to conclude a mutually beneficial free trade pact',
      summary:
        'When Lammy called on him, Prime Minister Narendra Modi said India remains committed to elevating its ties with the UK and welcomes the desire to conclude a mutually beneficial free trade pact.',
      actors: [A.modi],
      speaker: A.modi,
      channel: 'remarks',
      inferred: {
        channel: `The article reports what Modi “said” when Lammy called on him, in indirect speech, without saying how it was made public. ${SAID_CHANNEL}`,
      },
    },
    quotes: [q(MODI, BY.modi)],
  }),

  fact('MeetingHeld', {
    streamId: SEED_STREAMS.visit,
    eventId: '2a271891-0ca9-4545-a202-0e6933697435',
    occurredAt: THAT_DAY,
    data: {
      title: 'Lammy holds separate talks with National Security Advisor Ajit Doval',
      summary:
        'The British foreign secretary also held separate talks with National Security Advisor Ajit Doval.',
      actors: [A.lammy, A.doval],
      participants: [A.lammy, A.doval],
      format: 'talks',
    },
    quotes: [
      q('The British foreign secretary also held separate talks with National Security Advisor Ajit Doval.'),
    ],
  }),

  fact('MeetingHeld', {
    streamId: SEED_STREAMS.visit,
    eventId: '1684497f-ea80-4a58-a4e2-175a83c1a69d',
    occurredAt: ON_WEDNESDAY,
    data: {
      title: 'Jaishankar and Lammy hold wide-ranging talks',
      summary:
        'External Affairs Minister S Jaishankar and his visiting British counterpart David Lammy held wide-ranging talks, after which the decision on the UK-India Technology Security Initiative was made public.',
      actors: [A.jaishankar, A.lammy],
      participants: [A.jaishankar, A.lammy],
      format: 'talks',
      topics: [
        'The India-UK FTA negotiations',
        'Defence and security cooperation',
        'The migration and mobility partnership',
        'Climate and green economy',
        'Regional and global issues',
        'Implementation of the India-UK roadmap',
      ],
    },
    quotes: [
      q(TALKS),
      q(FTA, BY.mea),
      q(DEFENCE, BY.mea),
      q(MIGRATION),
      q(CLIMATE),
      q(REGIONAL),
      q(ROADMAP_REVIEW),
    ],
  }),

  fact('StatementIssued', {
    streamId: SEED_STREAMS.visit,
    eventId: '9666aed2-2764-4ac1-8a23-76eac411121e',
    occurredAt: DURING_THE_TALKS,
    data: {
      title: 'Jaishankar: the India-UK relationship is “very important”, with enormous possibilities',
      summary:
        'In his opening remarks at the meeting, Jaishankar said the India-UK relationship is “very important” with enormous possibilities, and that realising them meaningfully is the task at hand.',
      actors: [A.jaishankar],
      speaker: A.jaishankar,
      channel: 'remarks',
      text: 'How do we realise our potential in a more meaningful way, is one of the tasks that I look forward to undertaking with you',
    },
    quotes: [
      q(
        'In his opening remarks at the meeting, Jaishankar said the India-UK relationship is “very important” with enormous possibilities and realising them meaningfully is the task at hand.',
        BY.jaishankar,
      ),
      q(
        '“How do we realise our potential in a more meaningful way, is one of the tasks that I look forward to undertaking with you,” he said.',
        BY.jaishankar,
      ),
    ],
  }),

  fact('StatementIssued', {
    streamId: SEED_STREAMS.visit,
    eventId: '12d5cfdb-74a9-4321-833c-0bb910678bb6',
    occurredAt: DURING_THE_TALKS,
    data: {
      title: 'Jaishankar: India and the UK should work together on global issues and in global platforms',
      summary:
        'Jaishankar said both countries have a big global presence in different ways, so it is important that they work together on global issues and in global platforms.',
      actors: [A.jaishankar],
      speaker: A.jaishankar,
      channel: 'remarks',
      inferred: {
        channel:
          'The sentence follows the report’s account of Jaishankar’s “opening remarks at the meeting”; the article does not say it was part of them.',
      },
      text: 'We are both countries which have a big global presence in different ways. So I think it’s also important that India and the UK work together on global issues and in global platforms',
    },
    quotes: [
      q(
        '“We are both countries which have a big global presence in different ways. So I think it’s also important that India and the UK work together on global issues and in global platforms,” Jaishankar said.',
        BY.jaishankar,
      ),
    ],
  }),

  fact('NegotiationProgressNoted', {
    streamId: SEED_STREAMS.fta,
    eventId: '4efa8468-2372-4d6b-b439-ed20e0a54e24',
    occurredAt: DURING_THE_TALKS,
    data: {
      title: 'Both sides appreciate the “substantial” progress in the India-UK FTA negotiations',
      summary:
        'In the discussions, both sides appreciated the “substantial” progress made in the India-UK FTA negotiations and looked forward to their “early conclusion” to achieve a mutually beneficial deal, the MEA said.',
      actors: [A.india, A.uk],
      negotiation: 'India-UK FTA',
      assessment: '“Substantial” progress made, appreciated by both sides',
      goal: '“Early conclusion” to achieve a mutually beneficial deal',
    },
    quotes: [q(FTA, BY.mea)],
  }),

  fact('ConcernRaised', {
    streamId: SEED_STREAMS.relationship,
    eventId: '7d9270a9-55eb-4d51-956b-9216804d9bf9',
    occurredAt: DURING_THE_TALKS,
    data: {
      title: 'India flags concerns over activities of pro-Khalistan elements in the UK',
      summary:
        '“It is learnt” (the report names no source) that the Indian side, during the talks, flagged its concerns over activities of pro-Khalistan elements in the UK.',
      actors: [A.india, A.uk],
      raisedBy: A.india,
      concern: 'Activities of pro-Khalistan elements in the UK',
      addressedTo: A.uk,
      inferred: { addressedTo: PUT_TO_THE_OTHER_SIDE },
    },
    quotes: [q(CONCERNS)],
  }),

  fact('ConcernRaised', {
    streamId: SEED_STREAMS.relationship,
    eventId: '72b64099-96d9-454d-a03d-8cb90fa80324',
    occurredAt: DURING_THE_TALKS,
    data: {
      title: 'The UK raises the issue of Christian Michel',
      summary:
        '“It is learnt” (the report names no source) that the British side raised the issue of Christian Michel, the key accused in the AgustaWestland VVIP chopper case, who is languishing in a jail in India.',
      actors: [A.uk, A.india],
      raisedBy: A.uk,
      concern:
        'The issue of Christian Michel, the key accused in the AgustaWestland VVIP chopper case, who is languishing in a jail in India',
      addressedTo: A.india,
      inferred: { addressedTo: PUT_TO_THE_OTHER_SIDE },
    },
    quotes: [q(CONCERNS)],
  }),

  fact('AgreementReached', {
    streamId: SEED_STREAMS.relationship,
    eventId: '3d49dff8-4ae0-4625-ad63-37e1aa82fdb3',
    occurredAt: DURING_THE_TALKS,
    data: {
      title: 'India and the UK agree to deepen defence and security cooperation',
      summary:
        'The two sides agreed to deepen defence and security cooperation, in the Indo-Pacific and beyond, and to enhance capacities to address growing threats from “non-state actors”, the MEA said in a statement.',
      actors: [A.india, A.uk],
      parties: [A.india, A.uk],
      area: 'Defence and security',
      agreement:
        'To deepen defence and security cooperation, in the Indo-Pacific and beyond, and to enhance capacities to address growing threats from “non-state actors”',
    },
    quotes: [q(DEFENCE, BY.mea)],
  }),

  fact('CooperationDiscussed', {
    streamId: SEED_STREAMS.relationship,
    eventId: 'd225c190-6f5d-4304-aed4-c341b453248e',
    occurredAt: DURING_THE_TALKS,
    data: {
      title: 'Jaishankar and Lammy discuss the migration and mobility partnership',
      summary:
        'Jaishankar and Lammy discussed the migration and mobility partnership between the two countries with a view to strengthen people-to-people ties.',
      actors: [A.jaishankar, A.lammy],
      area: 'Migration and mobility partnership',
      participants: [A.jaishankar, A.lammy],
    },
    quotes: [q(MIGRATION)],
  }),

  fact('CooperationDiscussed', {
    streamId: SEED_STREAMS.relationship,
    eventId: 'f65f3f77-a4b8-451c-a68e-5d801e942f88',
    occurredAt: DURING_THE_TALKS,
    data: {
      title: 'Jaishankar and Lammy discuss collaboration on climate and green economy',
      summary:
        'Jaishankar and Lammy discussed India-UK collaboration in the field of climate and green economy.',
      actors: [A.jaishankar, A.lammy],
      area: 'Climate and green economy',
      participants: [A.jaishankar, A.lammy],
    },
    quotes: [q(CLIMATE)],
  }),

  fact('IssuesDiscussed', {
    streamId: SEED_STREAMS.relationship,
    eventId: '8e60e14f-b778-49a6-91af-49545e829150',
    occurredAt: DURING_THE_TALKS,
    data: {
      title:
        'India and the UK deliberate on regional and global issues: Russia-Ukraine, West Asia, the Red Sea',
      summary:
        'The two sides deliberated on regional and global issues of mutual interest, including the Russia-Ukraine conflict, the situation in West Asia and the Red Sea.',
      actors: [A.india, A.uk],
      participants: [A.india, A.uk],
      issues: [
        'Regional and global issues of mutual interest',
        'The Russia-Ukraine conflict',
        'The situation in West Asia and the Red Sea',
      ],
    },
    quotes: [q(REGIONAL)],
  }),

  fact('CooperationDiscussed', {
    streamId: SEED_STREAMS.roadmap,
    eventId: '29cdcb19-6291-406e-b556-aaf3d7b3f80a',
    occurredAt: DURING_THE_TALKS,
    data: {
      title: 'Jaishankar and Lammy review the implementation of the India-UK roadmap',
      summary:
        'Jaishankar and Lammy reviewed the implementation of the India-UK roadmap, which seeks to broad-base the ties in a range of areas.',
      actors: [A.jaishankar, A.lammy],
      area: 'Implementation of the India-UK roadmap',
      participants: [A.jaishankar, A.lammy],
    },
    quotes: [q(ROADMAP_REVIEW)],
  }),

  // --- Wednesday 24 July 2024: the Technology Security Initiative ---------------------------------
  fact('InitiativeLaunched', {
    streamId: SEED_STREAMS.tsi,
    eventId: '8fc42fa1-c8a2-4720-9906-446872d4462a',
    occurredAt: ON_WEDNESDAY,
    data: {
      title: 'India and the UK launch the Technology Security Initiative (TSI)',
      summary:
        'India and the UK firmed up the UK-India Technology Security Initiative, a bold new approach for collaboration in “priority” sectors of critical and emerging technologies (CET), made public after the talks between Jaishankar and Lammy. The MEA fact sheet says the prime ministers of India and the United Kingdom are launching it. It seeks to build upon the cooperation agenda set out in the India-UK Roadmap 2030, and collaboration under it will include government, private sector, academia and research and development institutions.',
      actors: [A.india, A.uk, A.jaishankar, A.lammy],
      // The launch names every pillar the initiative has, in the order the catalog lists them.
      pillars: [...PILLARS],
      place: 'Delhi',
      initiative: TSI,
      acronym: 'TSI',
      aim: 'Elevate the strategic partnership between India and the United Kingdom to the next level, recognising the increasing role of technology in national security and economic development, by expanding collaboration in critical and emerging technologies across priority sectors.',
      spearheadedBy: [NSAS],
      participantSectors: [
        'government',
        'private sector',
        'academia',
        'research and development institutions',
      ],
    },
    quotes: [
      q(LEDE),
      q(TALKS),
      q(
        'The MEA said the collaboration under TSI will include government, private sector, academia and research and development institutions.',
        BY.mea,
      ),
      q('The initiative was “spearheaded and agreed” by the NSAs of the two countries.', BY.mea),
      q('The TSI seeks to build upon the ambitious cooperation agenda set out in the India-UK Roadmap 2030.'),
      q(
        'However, the major highlight of Lammy’s engagements with the Indian interlocutors was the unveiling of the TSI which focuses on expanding collaboration in critical and emerging technologies (CET) across priority sectors.',
      ),
      q(OTHER_AREAS),
      q(
        '“Recognising the increasing role of technology in national security and economic development, the prime ministers of India and the United Kingdom are launching a new ‘Technology Security Initiative’ (TSI) to elevate the strategic partnership between the two countries to the next level,” a fact-sheet released by the MEA said.',
        BY.factSheet,
      ),
      q(IN_DELHI, BY.lammy),
    ],
  }),

  fact('StatementIssued', {
    streamId: SEED_STREAMS.tsi,
    eventId: '631b1fea-49bb-4c29-8234-148d7e9c61ae',
    occurredAt: THAT_DAY,
    data: {
      title: 'MEA fact sheet: the prime ministers of India and the UK are launching the TSI',
      summary:
        'A fact sheet released by the Ministry of External Affairs said the prime ministers of India and the United Kingdom are launching a new Technology Security Initiative to elevate the strategic partnership to the next level.',
      actors: [A.mea],
      speaker: A.mea,
      channel: 'fact-sheet',
      text: 'Recognising the increasing role of technology in national security and economic development, the prime ministers of India and the United Kingdom are launching a new ‘Technology Security Initiative’ (TSI) to elevate the strategic partnership between the two countries to the next level',
    },
    quotes: [
      q(
        '“Recognising the increasing role of technology in national security and economic development, the prime ministers of India and the United Kingdom are launching a new ‘Technology Security Initiative’ (TSI) to elevate the strategic partnership between the two countries to the next level,” a fact-sheet released by the MEA said.',
        BY.factSheet,
      ),
    ],
  }),

  fact('PillarScopeDefined', {
    streamId: SEED_STREAMS.tsi,
    eventId: 'bf5987aa-d4c3-46eb-8e58-c23942723b1f',
    occurredAt: THAT_DAY,
    data: {
      title:
        'TSI telecom pillar: a future telecoms partnership on Open RAN, telecom security and spectrum innovation',
      summary:
        'On proposed cooperation in telecommunications, the MEA said the two countries will build a new and enhanced future telecoms partnership for joint research on future telecoms.',
      actors: [A.india, A.uk],
      pillars: ['telecom'],
      initiative: TSI,
      pillar: 'telecom',
      scope:
        'Proposed: a new and enhanced “future telecoms partnership” to collaborate on joint research on future telecoms, focussed on Open RAN systems, telecom security and spectrum innovation.',
    },
    quotes: [
      q(
        'On proposed cooperation in the telecommunication sector, the MEA said the two countries will build a new and enhanced “future telecoms partnership in order to collaborate on joint research on future telecoms, focussed on Open RAN systems, telecom security and spectrum innovation”.',
        BY.mea,
      ),
    ],
  }),

  fact('PillarScopeDefined', {
    streamId: SEED_STREAMS.tsi,
    eventId: '3bfab4c4-348e-4ee7-b36e-75148a95228d',
    occurredAt: THAT_DAY,
    data: {
      title: 'TSI critical minerals pillar: supply chain resilience and the whole value chain',
      actors: [A.india, A.uk],
      pillars: ['critical-minerals'],
      initiative: TSI,
      pillar: 'critical-minerals',
      scope:
        'Work together to improve supply chain resilience and explore possible research and technology partnerships along the complete critical minerals value chain, including exploration, processing and manufacturing.',
    },
    quotes: [
      q(
        'Under the critical minerals pillar, the two sides will work together to improve supply chain resilience and explore possible research and technology partnerships along the complete critical minerals value chain including exploration, processing and manufacturing.',
      ),
    ],
  }),

  fact('PillarScopeDefined', {
    streamId: SEED_STREAMS.tsi,
    eventId: '0bb7436f-badf-4024-b936-291f3e41e606',
    occurredAt: THAT_DAY,
    data: {
      title: 'TSI semiconductors pillar: a framework for a broad UK-India semiconductor partnership',
      actors: [A.india, A.uk],
      pillars: ['semiconductors'],
      initiative: TSI,
      pillar: 'semiconductors',
      scope:
        'A framework for building a broad UK-India semiconductor partnership that will leverage each other’s strengths and incentives and explore mutually beneficial research and development as well as supply chain resilience.',
    },
    quotes: [
      q(
        'The TSI would also provide a framework for building a broad UK-India semiconductor partnership that will leverage each other’s strengths and incentives and explore mutually beneficial research and development as well as supply chain resilience.',
      ),
    ],
  }),

  fact('PillarIdentified', {
    streamId: SEED_STREAMS.tsi,
    eventId: '23ae7b6f-d0f1-46a5-83f7-4d0c15de9a11',
    occurredAt: THAT_DAY,
    data: {
      title: 'TSI artificial intelligence pillar (one of the “priority” sectors; no scope given)',
      actors: [A.india, A.uk],
      pillars: ['ai'],
      initiative: TSI,
      pillar: 'ai',
    },
    quotes: [q(LEDE), q(DEFINING_TECHNOLOGIES, BY.readout)],
  }),

  fact('PillarIdentified', {
    streamId: SEED_STREAMS.tsi,
    eventId: '734281e8-733d-4932-8cba-e146fa6f5255',
    occurredAt: THAT_DAY,
    data: {
      title: 'TSI quantum pillar (an area identified for cooperation; no scope given)',
      actors: [A.india, A.uk],
      pillars: ['quantum'],
      initiative: TSI,
      pillar: 'quantum',
    },
    quotes: [q(OTHER_AREAS), q(DEFINING_TECHNOLOGIES, BY.readout)],
  }),

  fact('PillarIdentified', {
    streamId: SEED_STREAMS.tsi,
    eventId: '6828d756-5a0f-4d43-b6bd-f676b1bb0cbc',
    occurredAt: THAT_DAY,
    data: {
      title: 'TSI biotech and health pillar (an area identified for cooperation; no scope given)',
      actors: [A.india, A.uk],
      pillars: ['biotech-health'],
      initiative: TSI,
      pillar: 'biotech-health',
    },
    quotes: [q(OTHER_AREAS), q(DEFINING_TECHNOLOGIES, BY.readout)],
  }),

  fact('PillarIdentified', {
    streamId: SEED_STREAMS.tsi,
    eventId: 'ffc6ed52-5667-44e8-8ac0-fc4b5d3996eb',
    occurredAt: THAT_DAY,
    data: {
      title: 'TSI advanced materials pillar (an area identified for cooperation; no scope given)',
      actors: [A.india, A.uk],
      pillars: ['advanced-materials'],
      initiative: TSI,
      pillar: 'advanced-materials',
    },
    quotes: [q(OTHER_AREAS), q(DEFINING_TECHNOLOGIES, BY.readout)],
  }),

  fact('StatementIssued', {
    streamId: SEED_STREAMS.tsi,
    eventId: 'd661781d-6193-4e78-babc-5022fff14069',
    occurredAt: THAT_DAY,
    data: {
      title: 'British readout: the TSI was spearheaded and agreed by the NSAs after negotiations',
      summary:
        'A British readout said the TSI has been spearheaded and agreed by the NSAs following negotiations between both countries to expand collaboration in critical and emerging technologies across priority sectors.',
      actors: [A.uk],
      speaker: BY.readout,
      channel: 'readout',
    },
    quotes: [
      q(
        'On the TSI, a British readout said it has been spearheaded and agreed to the NSAs following negotiations between both countries to expand collaboration in critical and emerging technologies across priority sectors.',
        BY.readout,
      ),
    ],
  }),

  fact('StatementIssued', {
    streamId: SEED_STREAMS.tsi,
    eventId: 'f273aa66-d677-4dc1-b0a3-539d8157484d',
    occurredAt: THAT_DAY,
    data: {
      title: 'British readout: a bold new approach on the defining technologies of this decade',
      actors: [A.uk],
      pillars: [
        'telecom',
        'critical-minerals',
        'ai',
        'quantum',
        'biotech-health',
        'advanced-materials',
        'semiconductors',
      ],
      speaker: BY.readout,
      channel: 'readout',
      text: 'It will set out a bold new approach for how the UK and India work together on the defining technologies of this decade — telecoms, critical minerals, AI, quantum, health/bio tech, advanced materials and semiconductors',
    },
    quotes: [q(DEFINING_TECHNOLOGIES, BY.readout)],
  }),

  fact('StatementIssued', {
    streamId: SEED_STREAMS.tsi,
    eventId: 'ad01a11a-2c99-4357-abda-bc438ac4c69a',
    occurredAt: THAT_DAY,
    data: {
      title:
        'British readout: a first-of-its-kind agreement, delivered by the foreign secretary on behalf of the prime minister',
      summary:
        'The British readout called the TSI a first-of-its-kind agreement, delivered by the foreign secretary on behalf of the prime minister, that builds on a series of partnerships between the British and Indian governments, industry and academia.',
      actors: [A.uk, A.lammy],
      speaker: BY.readout,
      channel: 'readout',
    },
    quotes: [
      q(
        'This first-of-its-kind agreement — delivered by the foreign secretary on behalf of the prime minister — builds on a series of partnerships between the British and Indian governments, industry and academia, it said.',
        BY.readout,
      ),
    ],
  }),

  fact('StatementIssued', {
    streamId: SEED_STREAMS.tsi,
    eventId: 'd5b51dff-0742-4c5f-bb6e-633fe6055e87',
    occurredAt: THAT_DAY,
    data: {
      title: 'British readout: the NSAs will take the agreement forward',
      summary:
        'The readout said the NSAs will take the agreement forward to ensure the collective potential of UK-Indian critical technologies is harnessed.',
      actors: [A.uk],
      speaker: BY.readout,
      channel: 'readout',
    },
    quotes: [
      q(
        'The readout said the NSAs will take this agreement forward to ensure the collective potential of UK-Indian critical technologies is harnessed.',
        BY.readout,
      ),
    ],
  }),

  fact('StatementIssued', {
    streamId: SEED_STREAMS.tsi,
    eventId: 'e538a7b0-89fd-4acb-bc52-76cc12af398b',
    occurredAt: THAT_DAY,
    data: {
      title: 'British readout: a bilateral partnership framed on boosting economic growth',
      actors: [A.uk],
      speaker: BY.readout,
      channel: 'readout',
      text: 'This will drive forward a bilateral partnership that is framed on boosting economic growth, deepening cooperation across key issues including trade, technology, education, culture and climate',
    },
    quotes: [
      q(
        '“This will drive forward a bilateral partnership that is framed on boosting economic growth, deepening cooperation across key issues including trade, technology, education, culture and climate,” it said.',
        BY.readout,
      ),
    ],
  }),

  fact('FundingCallAnnounced', {
    streamId: SEED_STREAMS.fundingCall,
    eventId: 'b76ce44c-0fe5-442a-9beb-9426bdd1721a',
    occurredAt: THAT_DAY,
    data: {
      title:
        '7-million-pound funding call for future telecoms research by UKRI and India’s Department of Science and Technology',
      summary:
        'UK Research and Innovation (UKRI) and India’s Department of Science and Technology announced a new 7-million-pound funding call for future telecoms research, the British readout said.',
      actors: [A.ukri, A.dst],
      pillars: ['telecom'],
      amount: { value: 7_000_000, currency: 'GBP' },
      funders: [A.ukri, A.dst],
      topic: 'Future telecoms research',
      inferred: {
        'amount.currency':
          'The readout says “7-million pounds” from the British side: pounds sterling (GBP) is inferred, the article names no currency code.',
      },
    },
    quotes: [
      q(
        'The readout mentioned that a new 7-million pounds funding call for future telecoms research was also announced by UK Research and Innovation (UKRI) and India’s Department of Science and Technology.',
        BY.readout,
      ),
    ],
  }),

  fact('StatementIssued', {
    streamId: SEED_STREAMS.tsi,
    eventId: '343fefd5-ad7d-4d97-9d92-f9f9142faace',
    occurredAt: THAT_DAY,
    data: {
      title: 'Lammy: growth at the heart of foreign policy; in Delhi announcing the TSI',
      actors: [A.lammy],
      place: 'Delhi',
      speaker: A.lammy,
      channel: 'remarks',
      inferred: { channel: IT_SAID },
      text: 'This government will put growth at the heart of our foreign policy. That’s why three weeks into the job, I am in Delhi announcing a new Technology Security Initiative to deliver on the promise of the UK-India relationship',
    },
    quotes: [
      q(
        '“This government will put growth at the heart of our foreign policy. That’s why three weeks into the job, I am in Delhi announcing a new Technology Security Initiative to deliver on the promise of the UK-India relationship,” Lammy said.',
        BY.lammy,
      ),
    ],
  }),

  fact('StatementIssued', {
    streamId: SEED_STREAMS.tsi,
    eventId: '59b5ef34-13c3-4a68-a628-60aa37ba22f6',
    occurredAt: THAT_DAY,
    data: {
      title: 'Lammy: real action together on the challenges of the future, from AI to critical minerals',
      actors: [A.lammy],
      pillars: ['ai', 'critical-minerals'],
      speaker: A.lammy,
      channel: 'remarks',
      inferred: { channel: IT_SAID },
      text: 'This will mean real action together on the challenges of the future from AI to critical minerals. Together we can unlock mutual growth, boost innovation, jobs and investment',
    },
    quotes: [
      q(
        '“This will mean real action together on the challenges of the future from AI to critical minerals. Together we can unlock mutual growth, boost innovation, jobs and investment,” he said.',
        BY.lammy,
      ),
    ],
  }),

  fact('StatementIssued', {
    streamId: SEED_STREAMS.visit,
    eventId: '8c81b628-e27d-4ff9-9c35-e9d05f5a8108',
    occurredAt: THAT_DAY,
    data: {
      title: 'Jaishankar on X: talks with Lammy “productive and engaging”',
      summary:
        'In a post on X, Jaishankar described his talks with Lammy as “productive and engaging”; noted the immense potential to take forward the India-UK Comprehensive Strategic Partnership; welcomed the launch of the Technology Security Initiative; and said they also exchanged perspectives on regional and global issues and cooperation in multilateral forums.',
      actors: [A.jaishankar, A.lammy],
      speaker: A.jaishankar,
      channel: 'social-post',
    },
    quotes: [
      q(
        'In a post on ‘X’, Jaishankar described his talks with Lammy as “productive and engaging”.',
        BY.jaishankarOnX,
      ),
      q(
        '“Noted the immense potential to take forward the India-UK Comprehensive Strategic Partnership, building on close links in trade & economy, defence & security, education, IT, digital, space & high tech, culture, mobility and people to people ties,” he said.',
        BY.jaishankarOnX,
      ),
      q(
        '“Welcomed the launch of the Technology Security Initiative that will open new avenues for collaboration. Also exchanged perspectives on regional and global issues and cooperation in multilateral forums,” he added.',
        BY.jaishankarOnX,
      ),
    ],
  }),
];
