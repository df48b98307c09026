import { KAFKA_HEADERS } from '@timeline/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../src/event-store/create-event-store.js';
import type { EventStore } from '../src/event-store/event-store.port.js';
import type { SqlClient, TransactionExecutor } from '../src/event-store/sql-client.js';
import { createKafka, ensureTopics } from '../src/streaming/kafka.js';
import { jsonLogger } from '../src/streaming/logger.js';
import { OutboxRelay, type RelayOptions } from '../src/streaming/relay.js';
import { meetings } from './support/events.js';
import {
  consumeTopic,
  deleteTopicsWithPrefix,
  KAFKA_BROKERS,
  uniqueTopicPrefix,
  waitFor,
} from './support/kafka.js';
import { createTestDatabase } from './support/postgres.js';

/** The relay-lock test's check interval. */
const CHECK_MS = 500;

const quiet = { log: () => undefined, warn: () => undefined, error: jsonLogger('test').error };

/**
 * The relay's SQL client and store, counting what it sends to PostgreSQL: queries, transactions and
 * the store's reads (each one query).
 */
function counting(sql: SqlClient, store: EventStore): SqlClient & { round: () => number; store: EventStore } {
  let n = 0;
  const countedStore = new Proxy(store, {
    get(target, key) {
      const value = Reflect.get(target, key) as unknown;
      if (typeof value !== 'function') return value;
      if (key === 'readLogPage' || key === 'head' || key === 'append')
        return (...args: unknown[]) => {
          n += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
  return {
    store: countedStore,
    kind: sql.kind,
    query: <Row>(text: string, params?: readonly unknown[]) => {
      n += 1;
      return sql.query<Row>(text, params);
    },
    transaction: <T>(work: (tx: TransactionExecutor) => Promise<T>) => {
      n += 1;
      return sql.transaction(work);
    },
    listen: (channel, onNotify) => sql.listen(channel, onNotify),
    tryLock: (key) => sql.tryLock(key),
    close: () => sql.close(),
    round: () => n,
  };
}

describe('outbox relay over the real broker and PostgreSQL', () => {
  let sql: SqlClient;
  let store: EventStore;
  let dropDb: () => Promise<void>;
  const prefix = uniqueTopicPrefix('relay');
  const topic = `${prefix}timeline.events`;
  const kafka = createKafka({ brokers: KAFKA_BROKERS, clientId: 'test-relay' });
  const relays: OutboxRelay[] = [];
  let firstSql: ReturnType<typeof counting>;
  const stored = async () =>
    Number(
      (
        await sql.query<{ position: number }>('SELECT position FROM relay_checkpoints WHERE name = $1', [
          topic,
        ])
      ).rows[0]?.position ?? 0,
    );
  const relay = (client: ReturnType<typeof counting>, options: Partial<RelayOptions> = {}) => {
    const r = new OutboxRelay(client, client.store, kafka, { topic, ...options }, quiet);
    relays.push(r);
    return r;
  };

  beforeAll(async () => {
    const db = await createTestDatabase('relay');
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

  it('publishes a backlog in order with pages that grow, split into small requests, and few store round trips', async () => {
    for (let i = 0; i < 20; i += 1) await store.append(`relay-${i % 5}`, 'any', meetings(100, `b${i}`));
    const counted = counting(sql, store);
    firstSql = counted;
    const first = relay(counted, { batchSize: 50, maxBatchSize: 400, maxRequestBytes: 16 * 1024 });
    first.start();
    // Appends keep coming while it catches up.
    for (let i = 0; i < 10; i += 1) await store.append(`relay-${i % 5}`, 'any', meetings(10, `c${i}`));
    const head = await store.head();
    expect(head).toBe(2_100);
    await waitFor('published', async () => (await first.checkpoint()) === head, 60_000);
    await waitFor('checkpoint stored', async () => (await stored()) === head, 10_000);
    // 2,100 events at 50 → 400 per page: a dozen page reads and a few checkpoint writes (the old relay
    // read the checkpoint and the head, then a page, then wrote the checkpoint: four per page of 50).
    process.stderr.write(`[relay.int] backlog of ${head}: ${counted.round()} store round trips\n`);
    expect(counted.round()).toBeLessThan(80);

    const seen = await consumeTopic(
      topic,
      (m) => ({ partition: m.partition, position: Number(m.headers[KAFKA_HEADERS.position]) }),
      (s) => new Set(s.map((x) => x.position)).size >= head,
      60_000,
    );
    expect(new Set(seen.map((x) => x.position)).size).toBe(head);
    // Gapless and in order: within each partition, positions only ever increase.
    for (const partition of [0, 1, 2]) {
      const positions = seen.filter((x) => x.partition === partition).map((x) => x.position);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(new Set(positions).size).toBe(positions.length);
    }
  }, 120_000);

  it('single appends cost the relay no page read when it shares the appending store; a standby takes over from the stored checkpoint', async () => {
    const active = relays[0]!;
    const counted = counting(sql, store);
    const standby = relay(counted, { lockRetryMs: 200 });
    standby.start();
    const before = firstSql.round();
    const from = await store.head();
    for (let i = 0; i < 60; i += 1) {
      await store.append('relay-single', 'any', meetings(1, `s${i}`));
      await new Promise((r) => setTimeout(r, 10));
    }
    const head = from + 60;
    await waitFor('published', async () => (await active.checkpoint()) === head);
    const used = firstSql.round() - before;
    process.stderr.write(`[relay.int] 60 single appends: ${used} store round trips by the relay\n`);
    // The relay shares the store that appended them: pages come from its memory, and what is left is
    // a checkpoint write now and then (was one page read per event, and four before that).
    expect(used).toBeLessThanOrEqual(30);
    expect(standby.active).toBe(false);
    expect(counted.round()).toBeLessThan(5); // the standby only tries the lock

    await active.stop();
    expect(await stored()).toBe(head); // a clean stop writes the checkpoint
    await store.append('relay-single', 'any', meetings(5, 'after'));
    await waitFor(
      'standby took over',
      async () => standby.active && (await standby.checkpoint()) === head + 5,
    );
    const seen = await consumeTopic(
      topic,
      (m) => Number(m.headers[KAFKA_HEADERS.position]),
      (s) => new Set(s).size >= head + 5,
      60_000,
    );
    expect(new Set(seen).size).toBe(head + 5);
  }, 120_000);

  it('stands down within the check interval when its lock connection dies silently; the standby takes over with no gap', async () => {
    for (const r of relays) await r.stop();
    const from = await store.head();
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
      async () => first.active && (await first.checkpoint()) === from + 10,
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
      async () => standby.active && (await standby.checkpoint()) === from + 20,
      20_000,
    );
    const seen = await consumeTopic(
      topic,
      (m) => Number(m.headers[KAFKA_HEADERS.position]),
      (s) => new Set(s).size >= from + 20,
      60_000,
    );
    expect([...new Set(seen)].sort((a, b) => a - b)).toEqual(
      Array.from({ length: from + 20 }, (_, i) => i + 1),
    );
  }, 90_000);
});
