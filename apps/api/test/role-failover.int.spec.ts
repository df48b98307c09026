import { topicNames } from '@timeline/shared-types';
import { afterAll, describe, expect, it } from 'vitest';
import { type ApiProcess, startApi } from './support/api-process.js';
import { appendLoop, observeStore, withOutputOf } from './support/fault-env.js';
import { deleteTopicsWithPrefix, testKafka, uniqueTopicPrefix, waitFor } from './support/kafka.js';
import { createTestDatabase } from './support/postgres.js';
import { expectReadModelEqualsFold } from './support/read-model.js';
import { openSse } from './support/sse-client.js';

/**
 * (kill -9 of the active relay process is in role-processes.int.spec.ts.)
 *
 * kill -9 of one process of a role while appends go on (TIMELINE_ROLES, one process per role
 * replica, the shared PostgreSQL and broker): its replica carries on, nothing is missing, and what was
 * sent twice is applied once.
 */
describe('a role process killed (-9) mid-stream: its replica takes over', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  async function environment(label: string) {
    const db = await createTestDatabase(label);
    const prefix = uniqueTopicPrefix(label);
    const topic = topicNames(prefix).events;
    cleanups.push(db.drop, () => deleteTopicsWithPrefix(prefix));
    const observer = await observeStore(db.url, topic);
    cleanups.push(() => observer.close());
    const base = {
      DATABASE_URL: db.url,
      KAFKA_TOPIC_PREFIX: prefix,
      TIMELINE_SEED: 'false',
      TIMELINE_RATE_LIMIT: '0',
    };
    const start = async (roles: string): Promise<ApiProcess> => {
      const process = await startApi({ ...base, TIMELINE_ROLES: roles }, 120_000);
      cleanups.push(() => process.stop());
      return process;
    };
    /** Waits until relay and projector have everything the store holds. */
    const caughtUp = (timeoutMs = 90_000) =>
      waitFor(
        'relay and projector caught up',
        async () => {
          const p = await observer.progress();
          return p.head > 0 && p.published === p.head && p.projected === p.head ? p : undefined;
        },
        timeoutMs,
      );
    return { prefix, topic, observer, start, caughtUp };
  }

  const _relayActive = async (process: ApiProcess) =>
    Number(
      /^timeline_relay_active (\d)/m.exec(await (await fetch(`${process.url}/metrics`)).text())?.[1] ?? 0,
    );

  it('two projectors, one killed: the other takes its partitions; the read model equals a fold of the store', async () => {
    const { observer, start, caughtUp } = await environment('projkill');
    const writer = await start('api,relay');
    const [one, two] = await Promise.all([start('projector'), start('projector')]);
    await withOutputOf(two, async () => {
      const writes = appendLoop(() => ({ url: writer.url, token: writer.token }), {
        label: 'pk',
        workers: 4,
      });
      cleanups.push(() => writes.stop());
      await waitFor(
        'appends projected by both',
        async () => (await observer.progress()).projected >= 150,
        60_000,
      );
      await one.kill();
      const killedAt = Date.now();
      await waitFor('appends after the kill', async () => writes.acknowledged().length >= 500, 60_000);
      await writes.stop();
      // Corrections of early events, on partitions the dead projector may have held.
      const targets = writes.acknowledged().slice(0, 20);
      for (const [i, target] of targets.entries()) {
        const response = await fetch(`${writer.url}/api/events/${target.eventId}/corrections`, {
          method: 'POST',
          headers: writer.headers(),
          body: JSON.stringify({ patch: { title: `corrected ${i}` }, reason: 'failover test' }),
        });
        expect(response.status, await response.text()).toBe(201);
      }
      const progress = await caughtUp();
      const takeoverMs = Date.now() - killedAt;
      expect(writes.attempts.every((a) => a.status === 201)).toBe(true);
      expect(progress.head).toBe(writes.acknowledged().length + targets.length);
      expect(await expectReadModelEqualsFold(observer.store, observer.sql)).toBe(
        writes.acknowledged().length,
      );
      // The survivor holds every partition now.
      const admin = testKafka().admin();
      await admin.connect();
      const { groups } = await admin.describeGroups([`${two.env.KAFKA_TOPIC_PREFIX}timeline-projector`]);
      await admin.disconnect();
      expect(groups[0]?.members.length).toBe(1);
      console.info(`projector failover: caught up ${takeoverMs} ms after the kill`);
    });
  }, 240_000);

  it('an SSE client on gateway A, A killed: resuming on gateway B with Last-Event-ID gives no gap and no duplicate', async () => {
    const { start, caughtUp } = await environment('gwkill');
    const writer = await start('api,relay,projector');
    const [a, b] = await Promise.all([start('gateway'), start('gateway')]);
    const first = await openSse(`${a.url}/api/stream?after=0`);
    cleanups.push(async () => first.close());
    await withOutputOf(b, async () => {
      const writes = appendLoop(() => ({ url: writer.url, token: writer.token }), {
        label: 'gk',
        workers: 2,
      });
      cleanups.push(() => writes.stop());
      await waitFor('events on gateway A', async () => first.events.length >= 100, 60_000);
      await a.kill();
      await first.closed;
      const lastId = first.events[first.events.length - 1]!.position;
      const second = await openSse(`${b.url}/api/stream`, { 'last-event-id': String(lastId) });
      cleanups.push(async () => second.close());
      expect(second.status).toBe(200);
      await waitFor('appends after the kill', async () => writes.acknowledged().length >= 400, 60_000);
      await writes.stop();
      const progress = await caughtUp();
      await waitFor(
        'gateway B caught up',
        async () => lastId + second.events.length >= progress.head,
        30_000,
      );
      const positions = [...first.events, ...second.events].map((e) => e.position);
      expect(positions).toEqual(Array.from({ length: progress.head }, (_, i) => i + 1));
    });
  }, 240_000);
});
