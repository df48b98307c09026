import { type PostgresServer, startPostgresServer } from '@timeline/testing/postgres';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type ApiProcess, startApi } from './support/api-process.js';
import { appendLoop, observeStore, withOutputOf } from './support/fault-env.js';
import { deleteTopicsWithPrefix, uniqueTopicPrefix, waitFor } from './support/kafka.js';
import { expectReadModelEqualsFold } from './support/read-model.js';

/**
 * PostgreSQL goes away under a running API (all roles in one process) and comes back. The server is
 * the test's own (initdb in a temp folder, its own port): the shared one is never stopped.
 */
describe('PostgreSQL restarted during appends (own server, real broker, the API as a process)', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  it('answers 503 with Retry-After while it is down, then appends again; nothing acknowledged is lost', async () => {
    const server = await startPostgresServer('restart');
    cleanups.push(() => server.dispose());
    const admin = new pg.Client({ connectionString: server.url() });
    await admin.connect();
    await admin.query('CREATE DATABASE timeline');
    await admin.end();
    const databaseUrl = server.url('timeline');
    const prefix = uniqueTopicPrefix('pgrestart');
    const topic = `${prefix}timeline.events`;
    cleanups.push(() => deleteTopicsWithPrefix(prefix));

    const api = await startApi({
      DATABASE_URL: databaseUrl,
      KAFKA_TOPIC_PREFIX: prefix,
      TIMELINE_SEED: 'false',
      TIMELINE_RATE_LIMIT: '0',
      TIMELINE_RELAY_LOCK_CHECK_MS: '500',
    });
    cleanups.push(() => api.stop());
    await withOutputOf(api, () => outageAndRecovery(server, api, databaseUrl, topic));
  }, 150_000);

  async function outageAndRecovery(
    server: PostgresServer,
    api: ApiProcess,
    databaseUrl: string,
    topic: string,
  ): Promise<void> {
    const writes = appendLoop(() => ({ url: api.url, token: api.token }), { label: 'pgr', workers: 4 });
    cleanups.push(() => writes.stop());
    await waitFor('appends before the outage', async () => writes.acknowledged().length >= 100, 30_000);

    await server.stop('immediate');
    const downAt = Date.now();
    // The clients are refused many times over while the server is down.
    await new Promise((r) => setTimeout(r, 3_000));
    expect((await fetch(`${api.url}/api/health/ready`)).status).toBe(503);
    const restartAt = Date.now();
    await server.start();
    const upAt = Date.now();
    await waitFor(
      'appends acknowledged after the restart',
      async () => writes.attempts.filter((a) => a.status === 201 && a.at > upAt).length >= 50,
      60_000,
    );
    await writes.stop();

    // Sent and answered while the server was down (an answer may lag its commit on a busy machine).
    const during = writes.attempts.filter((a) => a.startedAt > downAt && a.at < restartAt);
    expect(during.length).toBeGreaterThan(10);
    expect(during.filter((a) => a.status !== 503)).toEqual([]);
    // Every refusal, during the outage and around its edges, is a 503 the client can act on.
    const refusals = writes.attempts.filter((a) => a.status !== 201);
    expect(new Set(refusals.map((a) => a.status))).toEqual(new Set([503]));
    for (const refusal of refusals) expect(Number(refusal.retryAfter)).toBeGreaterThanOrEqual(1);

    // Nothing acknowledged is lost: every acknowledged event is in the store at its position.
    const observer = await observeStore(databaseUrl, topic);
    cleanups.push(() => observer.close());
    const acknowledged = writes.acknowledged();
    const stored = await observer.store.readEventsById(
      acknowledged.map((a) => a.eventId!),
      Number.MAX_SAFE_INTEGER,
    );
    const positions = new Map(stored.map((e) => [e.eventId, e.position]));
    for (const a of acknowledged) expect(positions.get(a.eventId!)).toBe(a.position);

    // Relay and projector resume on their own, and the read model is the fold of the store.
    const progress = await waitFor(
      'relay and projector caught up after the restart',
      async () => {
        const p = await observer.progress();
        return p.published === p.head && p.projected === p.head ? p : undefined;
      },
      60_000,
    );
    expect(progress.head).toBeGreaterThanOrEqual(acknowledged.length);
    expect((await fetch(`${api.url}/api/health/ready`)).status).toBe(200);
    await expectReadModelEqualsFold(observer.store, observer.sql);
  }
});
