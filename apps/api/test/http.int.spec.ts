import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type AppendResponse,
  type ErrorResponse,
  type EventEnvelope,
  type LogPage,
  MetadataSchema,
  type StreamResponse,
  validateEventData,
} from '@timeline/shared-types';
import { SEED_EVENTS } from '@timeline/shared-types/seed';
import { describe, expect, it } from 'vitest';
import { apiForSuite, type StoreKind } from './support/api-process.js';
import { call, meeting, newStream } from './support/http.js';

const ALLOWED_ORIGIN = 'http://allowed.example';

describe.each<StoreKind>(['pglite', 'postgres'])('HTTP API on %s', (kind) => {
  const suite = apiForSuite(kind, { TIMELINE_CORS_ORIGINS: ALLOWED_ORIGIN });
  /** `token: null` sends no Authorization header. */
  const post = <T = AppendResponse>(path: string, body: unknown, token: string | null = suite.api.token) =>
    call<T>(suite.api.url, 'POST', path, { body, ...(token === null ? {} : { token }) });
  const get = <T>(path: string, headers: Record<string, string> = {}) =>
    call<T>(suite.api.url, 'GET', path, { headers });
  const head = async () => (await get<LogPage>('/api/events?limit=1')).body.head;

  describe('seeding', () => {
    it('loads the seed on first start: every seed event reads back as SEED_EVENTS says, defaults applied', async () => {
      const page = await get<LogPage>('/api/events?limit=10000');
      expect(page.status).toBe(200);
      expect(page.body.head).toBe(SEED_EVENTS.length);
      const byId = new Map(page.body.events.map((e) => [e.eventId, e]));
      for (const seed of SEED_EVENTS) {
        const stored = byId.get(seed.eventId);
        const data = validateEventData(seed.type, seed.schemaVersion, seed.data);
        if (!data.ok) throw new Error(`seed event ${seed.eventId} is invalid`);
        expect(stored, seed.eventId).toMatchObject({
          streamId: seed.streamId,
          type: seed.type,
          schemaVersion: seed.schemaVersion,
          occurredAt: seed.occurredAt,
          data: data.value,
          metadata: MetadataSchema.parse(seed.metadata),
        });
      }
      // Within each stream, the seed's order is the append order.
      const seedOrder = SEED_EVENTS.map((e) => e.eventId);
      const storedOrder = [...page.body.events].sort((a, b) => a.position - b.position).map((e) => e.eventId);
      for (const streamId of new Set(SEED_EVENTS.map((e) => e.streamId))) {
        const inStream = (id: string) => byId.get(id)?.streamId === streamId;
        expect(storedOrder.filter(inStream)).toEqual(seedOrder.filter(inStream));
      }
    });

    it.runIf(kind === 'pglite')(
      'makes a write token file (0600) for the embedded store and logs its path, never the token',
      async () => {
        const file = join(suite.storeEnv.TIMELINE_DATA_DIR!, 'write-token');
        expect((await stat(file)).mode & 0o777).toBe(0o600);
        const { stdout, stderr } = suite.api.output();
        expect(stdout).toContain(file);
        expect(stdout + stderr).not.toContain(suite.api.token);
      },
    );
  });

  describe('append', () => {
    it('answers 201 with stream versions and gapless positions, and stores the parsed data', async () => {
      const streamId = newStream('append');
      const before = await head();
      const response = await post(`/api/streams/${streamId}/events`, {
        expectedVersion: 'no_stream',
        events: [meeting(), meeting({ data: { title: 'Second meeting', participants: ['David Lammy'] } })],
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ streamId, streamVersion: 2, duplicate: false });
      expect(response.body.events.map((e) => [e.streamVersion, e.position])).toEqual([
        [1, before + 1],
        [2, before + 2],
      ]);
      for (const e of response.body.events) expect(e.eventId).toMatch(/^[0-9a-f-]{36}$/);

      const stream = await get<StreamResponse>(`/api/streams/${streamId}`);
      expect(stream.status).toBe(200);
      expect(stream.body.version).toBe(2);
      expect(stream.body.events[0]).toMatchObject({
        type: 'MeetingHeld',
        schemaVersion: 1,
        data: { actors: [], pillars: [], format: 'talks', topics: [] },
        metadata: { sources: [] },
      });
    });

    it('takes a stream id of 200 characters, the longest there is, and names the limit past it', async () => {
      const longest = `s${'x'.repeat(199)}`;
      const ok = await post(`/api/streams/${longest}/events`, { events: [meeting()] });
      expect(ok.status).toBe(201);
      expect(ok.body.streamId).toBe(longest);
      const tooLong = await post<{ issues: Array<{ path: string }> }>(`/api/streams/${longest}y/events`, {
        events: [meeting()],
      });
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.issues[0]?.path).toMatch(/streamId/);
    });

    it.each([
      [
        'a date that does not match its precision',
        { occurredAt: { start: '2024-07-24T10', precision: 'minute' } },
        'events.0.occurredAt.start',
      ],
      ['an unknown event type', { type: 'TeaServed' }, 'events.0.type'],
      ['an unknown field', { colour: 'red' }, 'events.0.colour'],
      ['an unknown data field', { data: { title: 't', participants: ['x'], mood: 'good' } }, 'events.0.data'],
      ['a data field of the wrong type', { data: { title: 42, participants: ['x'] } }, 'events.0.data.title'],
    ])('answers 400 naming the field for %s', async (_what, override, path) => {
      const before = await head();
      const response = await post<ErrorResponse>(`/api/streams/${newStream('bad')}/events`, {
        events: [meeting(override)],
      });
      expect(response.status).toBe(400);
      expect(response.body.issues?.map((i) => i.path)).toContain(path);
      expect(await head()).toBe(before);
    });

    it('answers 401 without a token and with a wrong one', async () => {
      const path = `/api/streams/${newStream('auth')}/events`;
      const without = await post<ErrorResponse>(path, { events: [meeting()] }, null);
      expect(without.status).toBe(401);
      expect(without.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await post(path, { events: [meeting()] }, 'wrong-token-0123456789abcdef')).status).toBe(401);
      expect((await get<StreamResponse>(path.replace('/events', ''))).body.version).toBe(0);
    });

    it('answers 409 with expected and actual versions on a version conflict', async () => {
      const streamId = newStream('conflict');
      expect((await post(`/api/streams/${streamId}/events`, { events: [meeting()] })).status).toBe(201);
      const stale = await post<ErrorResponse>(`/api/streams/${streamId}/events`, {
        expectedVersion: 0,
        events: [meeting()],
      });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({ statusCode: 409, error: 'Conflict', expected: 0, actual: 1 });
      const again = await post<ErrorResponse>(`/api/streams/${streamId}/events`, {
        expectedVersion: 'no_stream',
        events: [meeting()],
      });
      expect(again.body).toMatchObject({ expected: 'no_stream', actual: 1 });
    });

    it('returns the first result to an idempotent retry, and 409 for the same eventId with other content', async () => {
      const streamId = newStream('retry');
      const eventId = crypto.randomUUID();
      const request = { expectedVersion: 'no_stream', events: [{ ...meeting(), eventId }] };
      const first = await post(`/api/streams/${streamId}/events`, request);
      const retry = await post(`/api/streams/${streamId}/events`, request);
      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual({ ...first.body, duplicate: true });

      const changed = structuredClone(request);
      changed.events[0]!.data = { title: 'Something else', participants: ['x'] };
      const conflict = await post<ErrorResponse>(`/api/streams/${streamId}/events`, changed);
      expect(conflict.status).toBe(409);
      expect(conflict.body.message).toContain(eventId);
    });

    it('answers 413 above the body limit', async () => {
      const huge = { events: [meeting({ data: { title: 'x'.repeat(1_100_000), participants: ['x'] } })] };
      const response = await post<ErrorResponse>(`/api/streams/${newStream('huge')}/events`, huge);
      expect(response.status).toBe(413);
      expect(response.body.message).toContain('TIMELINE_BODY_LIMIT');
    });

    it('answers 400 to malformed JSON and 415 to a body that is not JSON', async () => {
      const path = `/api/streams/${newStream('raw')}/events`;
      const truncated = await call<ErrorResponse>(suite.api.url, 'POST', path, {
        rawBody: '{"events":[{"type":',
        token: suite.api.token,
        headers: { 'content-type': 'application/json' },
      });
      expect(truncated.status).toBe(400);
      expect(truncated.body.message).toMatch(/^malformed JSON/);
      const text = await call(suite.api.url, 'POST', path, {
        rawBody: 'events',
        token: suite.api.token,
        headers: { 'content-type': 'text/plain' },
      });
      expect(text.status).toBe(415);
    });
  });

  describe('corrections and retractions', () => {
    it('records a correction, then a retraction; refuses to correct the retracted event, or an unknown one', async () => {
      const streamId = newStream('lineage');
      const appended = await post(`/api/streams/${streamId}/events`, { events: [meeting()] });
      const target = appended.body.events[0]!.eventId;

      const correction = await post(`/api/events/${target}/corrections`, {
        patch: { place: 'New Delhi' },
        reason: 'The report names the city',
      });
      expect(correction.status).toBe(201);
      expect(correction.body).toMatchObject({ streamId, streamVersion: 2 });

      const invalid = await post<ErrorResponse>(`/api/events/${target}/corrections`, {
        patch: { title: null },
        reason: 'oops',
      });
      expect(invalid.status).toBe(400);
      expect(invalid.body.issues?.map((i) => i.path)).toEqual(['patch.title']);

      const retraction = await post(`/api/events/${target}/retraction`, { reason: 'Never happened' });
      expect(retraction.status).toBe(201);
      expect(retraction.body).toMatchObject({ streamId, streamVersion: 3 });

      const late = await post<ErrorResponse>(`/api/events/${target}/corrections`, {
        patch: { place: 'Delhi' },
        reason: 'again',
      });
      expect(late.status).toBe(409);
      expect(late.body.message).toContain('retracted');
      const twice = await post<ErrorResponse>(`/api/events/${target}/retraction`, { reason: 'again' });
      expect(twice.status).toBe(409);

      const unknown = await post<ErrorResponse>(`/api/events/${crypto.randomUUID()}/corrections`, {
        patch: { place: 'x' },
        reason: 'x',
      });
      expect(unknown.status).toBe(409);
      expect(unknown.body.message).toMatch(/no event .* exists/);
      expect((await post(`/api/events/not-a-uuid/retraction`, { reason: 'x' })).status).toBe(400);

      const stream = await get<StreamResponse>(`/api/streams/${streamId}`);
      expect(stream.body.events.map((e) => e.type)).toEqual([
        'MeetingHeld',
        'EventCorrected',
        'EventRetracted',
      ]);
      expect(stream.body.events[1]?.data).toEqual({
        correctedEventId: target,
        patch: { place: 'New Delhi' },
        reason: 'The report names the city',
      });
    });
  });

  describe('reads', () => {
    it('reads a stream, and an unknown stream as version 0', async () => {
      const known = await get<StreamResponse>('/api/streams/visit-lammy-delhi-2024?limit=2');
      expect(known.status).toBe(200);
      expect(known.body.events).toHaveLength(2);
      expect(known.body.version).toBeGreaterThanOrEqual(2);
      expect((await get<StreamResponse>(`/api/streams/${newStream('none')}`)).body).toMatchObject({
        version: 0,
        events: [],
      });
      expect((await get('/api/streams/bad%20id')).status).toBe(400);
    });

    it('pages the log as JSON with filters', async () => {
      const first = await get<LogPage>('/api/events?limit=5');
      expect(first.body.events.map((e) => e.position)).toEqual([1, 2, 3, 4, 5]);
      expect(first.body.nextAfter).toBe(5);
      const next = await get<LogPage>(`/api/events?after=${first.body.nextAfter}&limit=5`);
      expect(next.body.events[0]?.position).toBe(6);
      const filtered = await get<LogPage>(
        '/api/events?types=InitiativeLaunched,PillarScopeDefined&streams=initiative-tsi',
      );
      expect(filtered.body.events.length).toBeGreaterThan(0);
      for (const e of filtered.body.events) {
        expect(['InitiativeLaunched', 'PillarScopeDefined']).toContain(e.type);
        expect(e.streamId).toBe('initiative-tsi');
      }
      expect((await get<LogPage>('/api/events?asOf=2000-01-01')).body.events).toEqual([]);
      const bad = await get<ErrorResponse>('/api/events?limit=0&colour=red');
      expect(bad.status).toBe(400);
      expect(bad.body.issues?.map((i) => i.path).sort()).toEqual(['colour', 'limit']);
    });

    it('streams the whole log as NDJSON when asked', async () => {
      const response = await fetch(`${suite.api.url}/api/events`, {
        headers: { accept: 'application/x-ndjson' },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
      const events = (await response.text())
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as EventEnvelope);
      const logHead = Number(response.headers.get('x-log-head'));
      expect(events.map((e) => e.position)).toEqual(Array.from({ length: logHead }, (_, i) => i + 1));
      const limited = await fetch(`${suite.api.url}/api/events?after=2&limit=3`, {
        headers: { accept: 'application/x-ndjson' },
      });
      expect(
        (await limited.text())
          .trim()
          .split('\n')
          .map((l) => (JSON.parse(l) as EventEnvelope).position),
      ).toEqual([3, 4, 5]);
    });
  });

  describe('HTTP surface', () => {
    it('answers health, readiness and the OpenAPI document', async () => {
      expect((await get('/api/health/live')).status).toBe(200);
      const ready = await get<{ status: string; checks: Record<string, { ok: boolean }> }>(
        '/api/health/ready',
      );
      expect(ready.status).toBe(200);
      expect(ready.body.checks.store?.ok).toBe(true);
      const doc = await get<{ openapi: string; paths: Record<string, unknown> }>('/api/docs/openapi.json');
      expect(doc.body.openapi).toBe('3.1.0');
      expect(doc.body.paths['/api/streams/{streamId}/events']).toBeDefined();
      const html = await get('/api/docs');
      expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    });

    it('lets an allowed origin read, and gives a denied one no CORS headers', async () => {
      const allowed = await get('/api/health/live', { origin: ALLOWED_ORIGIN });
      expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      const preflight = await call(suite.api.url, 'OPTIONS', '/api/streams/x/events', {
        headers: {
          origin: ALLOWED_ORIGIN,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
      const denied = await get('/api/health/live', { origin: 'http://evil.example' });
      expect(denied.headers.get('access-control-allow-origin')).toBeNull();
      const deniedPreflight = await call(suite.api.url, 'OPTIONS', '/api/streams/x/events', {
        headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(deniedPreflight.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});
