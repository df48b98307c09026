import {
  EVENT_CATALOG,
  EVENT_TYPES,
  type ErrorResponse,
  LINEAGE_EVENT_TYPES,
  type StreamResponse,
} from '@timeline/shared-types';
import { SEED_EVENTS } from '@timeline/shared-types/seed';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { CatalogResponse } from '../src/catalog/get-catalog/get-catalog.query.js';
import type { EventDetails } from '../src/events/get-event/event-details.js';
import type { StreamList } from '../src/events/list-streams/list-streams.query.js';
import { apiForSuite, type StoreKind } from './support/api-process.js';
import { type ApiResponse, call, meeting, newStream } from './support/http.js';

const READ_TOKEN = 'test-read-token-0123456789abcdef';
const UNKNOWN_EVENT = '00000000-0000-4000-8000-000000000000';

/** `GET /api/events/:eventId`, `GET /api/streams`, `GET /api/catalog` against the built server. */
describe.each<StoreKind>(['pglite', 'postgres'])('read routes on %s', (kind) => {
  const suite = apiForSuite(kind);
  const get = <T>(path: string, token?: string) =>
    call<T>(suite.api.url, 'GET', path, token === undefined ? {} : { token });
  const post = async (path: string, body: unknown): Promise<string> => {
    const response = await call<{ events: Array<{ eventId: string }> }>(suite.api.url, 'POST', path, {
      body,
      token: suite.api.token,
    });
    expect(response.status, response.text).toBe(201);
    return response.body.events[0]!.eventId;
  };
  const appendMeeting = (streamId: string, title = 'Talks in Delhi') =>
    post(`/api/streams/${streamId}/events`, {
      events: [meeting({ data: { title, participants: ['David Lammy'] } })],
    });
  const correct = (eventId: string, title: string) =>
    post(`/api/events/${eventId}/corrections`, { patch: { title }, reason: `now "${title}"` });

  describe('GET /api/events/:eventId', () => {
    let factId: string;
    let corrections: string[];
    let retractionId: string;

    it('answers a fact with its corrections in order and its corrected item', async () => {
      factId = await appendMeeting(newStream('lineage'), 'First title');
      corrections = [await correct(factId, 'Second title'), await correct(factId, 'Third title')];

      const { status, body } = await get<EventDetails>(`/api/events/${factId}`);
      expect(status).toBe(200);
      expect(body.event).toMatchObject({
        eventId: factId,
        type: 'MeetingHeld',
        data: { title: 'First title' },
      });
      expect(body.corrections.map((c) => [c.type, c.eventId])).toEqual(
        corrections.map((id) => ['EventCorrected', id]),
      );
      expect(body.corrections[0]!.position).toBeLessThan(body.corrections[1]!.position);
      expect(body.retraction).toBeNull();
      expect(body.item).toMatchObject({ id: factId, title: 'Third title', retracted: false });
      expect(body.item?.lineage.map((entry) => [entry.kind, entry.eventId])).toEqual([
        ['recorded', factId],
        ['corrected', corrections[0]],
        ['corrected', corrections[1]],
      ]);
    });

    it('after a retraction: both corrections, the retraction, and no item', async () => {
      retractionId = await post(`/api/events/${factId}/retraction`, { reason: 'never happened' });
      const { status, body } = await get<EventDetails>(`/api/events/${factId.toUpperCase()}`);
      expect(status).toBe(200);
      expect(body.event.eventId).toBe(factId);
      expect(body.corrections.map((c) => c.eventId)).toEqual(corrections);
      expect(body.retraction).toMatchObject({
        eventId: retractionId,
        type: 'EventRetracted',
        data: { retractedEventId: factId, reason: 'never happened' },
      });
      expect(body.retraction!.position).toBeGreaterThan(body.corrections[1]!.position);
      expect(body.item).toBeNull();
    });

    it('answers a correction or a retraction as itself, with no lineage and no item', async () => {
      for (const [id, type] of [
        [corrections[0]!, 'EventCorrected'],
        [retractionId, 'EventRetracted'],
      ] as const) {
        const { status, body } = await get<EventDetails>(`/api/events/${id}`);
        expect(status).toBe(200);
        expect(body).toEqual({
          event: expect.objectContaining({ eventId: id, type }),
          corrections: [],
          retraction: null,
          item: null,
        });
      }
    });

    it('upcasts the event to its current schema version', async () => {
      const eventId = await post(`/api/streams/${newStream('old-version')}/events`, {
        events: [
          {
            type: 'FundingCallAnnounced',
            schemaVersion: 1,
            occurredAt: { start: '2024-09', precision: 'month' },
            data: {
              title: 'An older-version call',
              amountGbp: 7_000_000,
              funders: ['UKRI'],
              topic: 'telecoms',
            },
          },
        ],
      });
      const { body } = await get<EventDetails>(`/api/events/${eventId}`);
      expect(body.event).toMatchObject({
        schemaVersion: EVENT_CATALOG.FundingCallAnnounced.current,
        data: { amount: { value: 7_000_000, currency: 'GBP' } },
      });
      expect(body.event.data).not.toHaveProperty('amountGbp');
      expect(body.item).toMatchObject({
        id: eventId,
        data: { amount: { value: 7_000_000, currency: 'GBP' } },
      });
    });

    it('answers 404 for an unknown id and 400 naming eventId for a malformed one', async () => {
      const unknown = await get<ErrorResponse>(`/api/events/${UNKNOWN_EVENT}`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.message).toContain(UNKNOWN_EVENT);
      for (const bad of ['not-a-uuid', '123', `${UNKNOWN_EVENT}0`]) {
        const response = await get<ErrorResponse>(`/api/events/${bad}`);
        expect(response.status, bad).toBe(400);
        expect(response.body.issues?.map((issue) => issue.path)).toEqual(['eventId']);
      }
    });
  });

  describe('GET /api/streams', () => {
    // Sorts after every seed stream and every `test-…` stream, so these are the last 250 of the list.
    const prefix = `zz-paging-${Date.now().toString(36)}`;
    const ids = Array.from({ length: 250 }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);

    it('pages through 250 streams 100 at a time: 3 pages, no overlap, next null at the end', async () => {
      for (let i = 0; i < ids.length; i += 25)
        await Promise.all(ids.slice(i, i + 25).map((id) => appendMeeting(id)));
      await appendMeeting(ids[7]!, 'A second meeting');

      const pages: StreamList[] = [];
      let after: string | null = prefix;
      while (after !== null) {
        const response: ApiResponse<StreamList> = await get<StreamList>(
          `/api/streams?after=${after}&limit=100`,
        );
        expect(response.status, response.text).toBe(200);
        pages.push(response.body);
        after = response.body.next;
        if (pages.length > 5) throw new Error('paging does not end');
      }
      expect(pages.map((page) => page.streams.length)).toEqual([100, 100, 50]);
      expect(pages.map((page) => page.next)).toEqual([ids[99], ids[199], null]);
      const listed = pages.flatMap((page) => page.streams.map((s) => s.streamId));
      expect(listed).toEqual(ids);
      expect(new Set(listed).size).toBe(listed.length);
    });

    it('gives each stream its version, event count and the time its last event was recorded', async () => {
      const { body } = await get<StreamList>(`/api/streams?after=${ids[6]}&limit=2`);
      const [twice, once] = body.streams;
      const stream = await get<StreamResponse>(`/api/streams/${ids[7]}`);
      expect(twice).toEqual({
        streamId: ids[7],
        version: 2,
        eventCount: 2,
        lastRecordedAt: stream.body.events[1]!.recordedAt,
      });
      expect(once).toMatchObject({ streamId: ids[8], version: 1, eventCount: 1 });
      expect(body.next).toBe(ids[8]);
    });

    it('starts at the first stream and defaults to 100 a page, the next page going on from it', async () => {
      const { body } = await get<StreamList>('/api/streams');
      expect(body.streams).toHaveLength(100);
      expect(body.next).toBe(body.streams[99]!.streamId);
      const both = await get<StreamList>('/api/streams?limit=200');
      const next = await get<StreamList>(`/api/streams?after=${body.next}`);
      expect([...body.streams, ...next.body.streams].slice(0, 200)).toEqual(both.body.streams);
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['limit=ten', 'limit'],
      ['after=-starts-with-a-dash', 'after'],
      ['page=2', 'page'],
    ])('answers 400 for %s, naming %s', async (query, path) => {
      const response = await get<ErrorResponse>(`/api/streams?${query}`);
      expect(response.status).toBe(400);
      expect(response.body.issues?.map((issue) => issue.path)).toContain(path);
    });
  });

  describe('GET /api/catalog', () => {
    it('lists every catalog type with its versions and kind', async () => {
      const { status, body } = await get<CatalogResponse>('/api/catalog');
      expect(status).toBe(200);
      expect(body.types.map((t) => t.type)).toEqual(EVENT_TYPES);
      for (const entry of body.types) {
        const { current, versions } = EVENT_CATALOG[entry.type as keyof typeof EVENT_CATALOG];
        expect(entry.latestVersion, entry.type).toBe(current);
        expect(entry.versions.map((v) => v.schemaVersion)).toEqual(Object.keys(versions).map(Number));
        expect(entry.kind).toBe(
          (LINEAGE_EVENT_TYPES as readonly string[]).includes(entry.type) ? 'lineage' : 'fact',
        );
      }
      expect(body.types.find((t) => t.type === 'FundingCallAnnounced')?.versions).toHaveLength(2);
    });

    it('gives JSON Schemas that accept every seed event’s data and refuse what the server refuses', async () => {
      const { body } = await get<CatalogResponse>('/api/catalog');
      const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
      const schemaOf = (type: string, version: number) =>
        body.types.find((t) => t.type === type)?.versions.find((v) => v.schemaVersion === version)?.schema;
      for (const seed of SEED_EVENTS) {
        const schema = schemaOf(seed.type, seed.schemaVersion);
        expect(schema, `${seed.type} v${seed.schemaVersion}`).toBeDefined();
        expect(ajv.validate(schema!, seed.data), `${seed.eventId}: ${ajv.errorsText()}`).toBe(true);
      }
      const meetingSchema = schemaOf('MeetingHeld', 1)!;
      expect(ajv.validate(meetingSchema, { title: 'Talks', participants: ['A'], mood: 'good' })).toBe(false);
      expect(ajv.validate(meetingSchema, { participants: ['A'] })).toBe(false);
      const fundingV1 = schemaOf('FundingCallAnnounced', 1)!;
      expect(ajv.validate(fundingV1, { title: 'Call', amountGbp: 1, funders: ['UKRI'], topic: 't' })).toBe(
        true,
      );
    });

    it('refuses a query parameter', async () => {
      const response = await get<ErrorResponse>('/api/catalog?type=MeetingHeld');
      expect(response.status).toBe(400);
      expect(response.body.issues?.map((issue) => issue.path)).toEqual(['type']);
    });
  });

  describe('years before the common era', () => {
    it('stores a fact and an era dated BCE and exports them as TimelineJS negative years', async () => {
      const source = { publisher: 'Test', title: 'BCE', quote: 'Caesar crossed' };
      const streamId = newStream('bce');
      const response = await call<{ events: Array<{ eventId: string }> }>(
        suite.api.url,
        'POST',
        `/api/streams/${streamId}/events`,
        {
          token: suite.api.token,
          body: {
            events: [
              {
                type: 'FactNoted',
                occurredAt: { start: '-000054-08-26', precision: 'day' },
                data: { title: 'Landing BCE', group: 'Shore' },
                metadata: { sources: [source] },
              },
              {
                type: 'EraMarked',
                occurredAt: { start: '-000120', end: '0410', precision: 'year' },
                data: { title: 'Roman anchorage BCE' },
                metadata: { sources: [source] },
              },
            ],
          },
        },
      );
      expect(response.status, response.text).toBe(201);
      const { body } = await get<EventDetails>(`/api/events/${response.body.events[0]!.eventId}`);
      expect(body.event.occurredAt).toEqual({ start: '-000054-08-26', precision: 'day' });
      const exported = await get<{
        events: Array<{ text: { headline: string }; start_date: unknown; group?: string }>;
        eras: Array<{ text: { headline: string }; start_date: unknown; end_date: unknown }>;
      }>(`/api/export?format=timelinejs&asOf=${encodeURIComponent(new Date().toISOString())}`);
      expect(exported.body.events.find((e) => e.text.headline === 'Landing BCE')).toMatchObject({
        start_date: { year: -54, month: 8, day: 26 },
        group: 'Shore',
      });
      expect(exported.body.eras.find((e) => e.text.headline === 'Roman anchorage BCE')).toMatchObject({
        start_date: { year: -120 },
        end_date: { year: 410 },
      });
    });
  });

  describe('with TIMELINE_READ_TOKENS set', () => {
    it('needs a read (or write) token for an event and the streams; the catalog stays open', async () => {
      const eventId = await appendMeeting(newStream('closed'));
      await suite.restart({ TIMELINE_READ_TOKENS: READ_TOKEN });
      for (const path of [`/api/events/${eventId}`, '/api/streams?limit=1']) {
        const without = await get<ErrorResponse>(path);
        expect(without.status, path).toBe(401);
        expect(without.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect((await get(path, 'not-a-read-token-0123456789')).status, path).toBe(401);
        expect((await get(path, READ_TOKEN)).status, path).toBe(200);
        expect((await get(path, suite.api.token)).status, path).toBe(200);
      }
      expect((await get('/api/catalog')).status).toBe(200);
    });
  });
});
