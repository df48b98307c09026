import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiForSuite } from './support/api-process.js';
import { call, meeting, newStream } from './support/http.js';

/** The value of one sample of `/metrics` (0 when the series has not been written yet). */
function sample(text: string, name: string, label: string, value: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${label}="${value}"}`));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/**
 * `timeline_append_requests_total{outcome}` and `timeline_appended_events_total{type}` move on the
 * append path (events module) although the metrics are served by the streaming module: one registry
 * per process, provided by the infrastructure module. An api-only process on PostgreSQL (no Kafka role).
 */
describe('append metrics', () => {
  const suite = apiForSuite('postgres', { TIMELINE_ROLES: 'api' });
  const post = (path: string, body: unknown) =>
    call(suite.api.url, 'POST', path, { body, token: suite.api.token });
  const scrape = async () => (await call<string>(suite.api.url, 'GET', '/metrics')).text;

  it('counts each request once by outcome, and events by type only when they were written', async () => {
    const before = await scrape();
    const requests = (outcome: string, text: string) =>
      sample(text, 'timeline_append_requests_total', 'outcome', outcome) -
      sample(before, 'timeline_append_requests_total', 'outcome', outcome);
    const events = (type: string, text: string) =>
      sample(text, 'timeline_appended_events_total', 'type', type) -
      sample(before, 'timeline_appended_events_total', 'type', type);

    const streamId = newStream('metrics');
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    const batch = { events: ids.map((eventId) => meeting({ eventId })) };
    expect((await post(`/api/streams/${streamId}/events`, batch)).status).toBe(201);
    // The same request again: an idempotent replay, nothing written.
    const replay = await post(`/api/streams/${streamId}/events`, batch);
    expect(replay.status).toBe(201);
    expect(replay.body).toMatchObject({ duplicate: true });
    const stale = await post(`/api/streams/${streamId}/events`, { expectedVersion: 1, events: [meeting()] });
    expect(stale.status).toBe(409);
    const target = ids[0]!;
    const correction = await post(`/api/events/${target}/corrections`, {
      patch: { place: 'New Delhi' },
      reason: 'The report names the city',
    });
    expect(correction.status).toBe(201);

    const after = await scrape();
    expect(requests('appended', after)).toBe(1);
    expect(requests('duplicate', after)).toBe(1);
    expect(requests('wrong_version', after)).toBe(1);
    expect(events('MeetingHeld', after)).toBe(3);
    expect(events('EventCorrected', after)).toBe(1);
  });

  it('are reported by the api role only', async () => {
    const text = await scrape();
    expect(text).toMatch(/^# TYPE timeline_append_requests_total counter$/m);
    expect(text).not.toMatch(/^timeline_relay_/m);
  });
});
