import { KAFKA_HEADERS } from '@timeline/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../src/event-store/create-event-store.js';
import type { EventStore } from '../src/event-store/event-store.port.js';
import type { SqlClient } from '../src/event-store/sql-client.js';
import { createKafka, ensureTopics } from '../src/streaming/kafka.js';
import { jsonLogger } from '../src/streaming/logger.js';
import { OutboxRelay } from '../src/streaming/relay.js';
import { meetings } from './support/events.js';
import {
  consumeTopic,
  deleteTopicsWithPrefix,
  KAFKA_BROKERS,
  uniqueTopicPrefix,
  waitFor,
} from './support/kafka.js';
import { createTestDatabase } from './support/postgres.js';

const quiet = { log: () => undefined, warn: () => undefined, error: jsonLogger('test').error };
const CHECK_MS = 500;

/**
 * A lock connection that dies without telling the client (half-open: no error, no end event) is
 * found by the relay's periodic check; the relay stops publishing and a standby takes over, no gap.
 */
describe('relay lock on a half-open connection', () => {
  let sql: SqlClient;
  let store: EventStore;
  let dropDb: () => Promise<void>;
  const prefix = uniqueTopicPrefix('relaylock');
  const topic = `${prefix}timeline.events`;
  const kafka = createKafka({ brokers: KAFKA_BROKERS, clientId: 'test-relay-lock' });
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    const db = await createTestDatabase('relaylock');
    dropDb = db.drop;
    ({ sql, store } = await openStorage({ databaseUrl: db.url, dataDir: '/tmp' }));
    await ensureTopics(kafka, prefix, 3);
  });

  afterAll(async () => {
    for (const r of relays) await r.stop().catch(() => undefined);
    await store?.close();
    await dropDb?.();
    await deleteTopicsWithPrefix(prefix);
  });

  it('stops publishing within the check interval after its lock backend is terminated; the standby takes over with no gap', async () => {
    // The first relay never hears of the loss from connection events: only its check can find it.
    const deaf: SqlClient = {
      ...sql,
      query: (text, params) => sql.query(text, params),
      transaction: (work) => sql.transaction(work),
      listen: (channel, onNotify) => sql.listen(channel, onNotify),
      tryLock: async (key) => {
        const lock = await sql.tryLock(key);
        if (!lock) return null;
        return {
          lost: new Promise<void>(() => undefined),
          release: () => lock.release(),
          check: (ms) => lock.check!(ms),
        };
      },
    };
    const first = new OutboxRelay(
      deaf,
      store,
      kafka,
      { topic, lockCheckMs: CHECK_MS, lockRetryMs: 60_000 },
      quiet,
    );
    relays.push(first);
    first.start();
    await store.append('lock-a', 'any', meetings(10, 'a'));
    await waitFor(
      'first relay active and published',
      async () => first.active && (await first.checkpoint()) === 10,
    );
    const standby = new OutboxRelay(sql, store, kafka, { topic, lockRetryMs: 200 }, quiet);
    relays.push(standby);
    standby.start();
    await new Promise((r) => setTimeout(r, 500));
    expect(standby.active).toBe(false);

    const { rows } = await sql.query<{ n: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
       WHERE application_name = 'timeline-api-lock' AND datname = current_database() AND pid <> pg_backend_pid()`,
    );
    expect(rows[0]!.n).toBeGreaterThanOrEqual(1);
    const killedAt = Date.now();
    await waitFor('first relay stood down', async () => !first.active, 5_000);
    expect(Date.now() - killedAt).toBeLessThan(CHECK_MS + 2_500);

    await store.append('lock-b', 'any', meetings(10, 'b'));
    await waitFor(
      'standby took over',
      async () => standby.active && (await standby.checkpoint()) === 20,
      20_000,
    );
    const seen = await consumeTopic(
      topic,
      (m) => Number(m.headers[KAFKA_HEADERS.position]),
      (s) => new Set(s).size >= 20,
      60_000,
    );
    expect([...new Set(seen)].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  }, 90_000);
});
