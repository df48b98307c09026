import { join } from 'node:path';
import { foldTimeline, KAFKA_HEADERS, upcastEnvelope } from '@timeline/shared-types';
import { AssignerProtocol } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchApi, type LaunchedApi, runNode, waitFor as waitUntil } from '@timeline/testing';
import { openStorage } from '../src/event-store/create-event-store.js';
import type { EventStore } from '../src/event-store/event-store.port.js';
import type { SqlClient } from '../src/event-store/sql-client.js';
import { TimelineReadModel } from '../src/read-model/timeline-read-model.js';
import { API_ROOT, TEST_WRITE_TOKEN } from './support/api-process.js';
import { call, meeting, newStream } from './support/http.js';
import { consumeTopic, deleteTopicsWithPrefix, testKafka, waitFor } from './support/kafka.js';
import { createTestDatabase } from './support/postgres.js';
import { childPid } from './support/role-process-log.js';
import { openSse, type SseCapture } from './support/sse-client.js';

const MAIN = join(API_ROOT, 'dist/main.js');
const STARTUP_MS = 180_000;

/** The `processes` field of the supervisor's `listening` line: `api.1:40001 api.2:40002 ...`. */
function childPorts(output: string): Record<string, number> {
  for (const line of output.split('\n')) {
    if (!line.includes('"supervisor"') || !line.includes('"listening"')) continue;
    const { processes } = JSON.parse(line) as { processes: string };
    return Object.fromEntries(processes.split(' ').map((p) => [p.split(':')[0]!, Number(p.split(':')[1])]));
  }
  throw new Error(`no listening line from the supervisor in:\n${output}`);
}

const metricValue = (text: string, name: string) =>
  Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);

describe('pnpm start --processes: every role its own process, two of each, on PostgreSQL', () => {
  let supervisor: LaunchedApi;
  let ports: Record<string, number>;
  let dropDb: () => Promise<void>;
  let sql: SqlClient;
  let store: EventStore;
  const url = (name: string) => `http://127.0.0.1:${ports[name]}`;

  beforeAll(async () => {
    const db = await createTestDatabase('roles');
    dropDb = db.drop;
    ({ sql, store } = await openStorage({ databaseUrl: db.url, dataDir: '/tmp' }));
    supervisor = await launchApi({
      main: MAIN,
      label: 'roles',
      args: ['--processes', '--api', '2', '--relay', '2', '--projector', '2', '--gateway', '2'],
      env: {
        DATABASE_URL: db.url,
        TIMELINE_WRITE_TOKENS: TEST_WRITE_TOKEN,
        TIMELINE_SEED: 'false',
        LOG_FORMAT: 'json',
      },
      timeoutMs: STARTUP_MS,
    });
    ports = childPorts(supervisor.stdout());
    // The front door answers once one api process is up: wait for every child's readiness.
    await waitUntil(
      () => `every role process ready\n${supervisor.log().slice(-4000)}`,
      async () => {
        const answers = await Promise.all(
          Object.keys(ports).map((name) =>
            fetch(`${url(name)}/api/health/ready`)
              .then((r) => r.status)
              .catch(() => 0),
          ),
        );
        return answers.every((status) => status === 200);
      },
      { timeoutMs: STARTUP_MS, intervalMs: 500 },
    );
  }, STARTUP_MS * 2);

  afterAll(async () => {
    const code = await supervisor?.stop();
    expect(code).toBe(0);
    await store?.close();
    await dropDb?.();
    await deleteTopicsWithPrefix(supervisor.topicPrefix);
  }, 60_000);

  it('each process serves its role and health, 404 for the routes of the others', async () => {
    expect(Object.keys(ports).sort()).toEqual(
      ['api.1', 'api.2', 'gateway.1', 'gateway.2', 'projector.1', 'projector.2', 'relay.1', 'relay.2'].sort(),
    );
    const status = async (name: string, path: string, method = 'GET') =>
      (
        await call(url(name), method, path, {
          token: TEST_WRITE_TOKEN,
          body: method === 'POST' ? { events: [meeting()] } : undefined,
        })
      ).status;
    expect(await status('api.1', '/api/timeline')).toBe(200);
    expect(await status('api.1', '/api/stream')).toBe(404);
    for (const name of ['relay.1', 'projector.1', 'gateway.1']) {
      expect(await status(name, '/api/timeline')).toBe(404);
      expect(await status(name, '/api/streams/x/events', 'POST')).toBe(404);
      expect(await status(name, '/api/health/live')).toBe(200);
    }
    expect(await status('projector.1', '/api/stream')).toBe(404);

    const ready = await call<{ checks: Record<string, unknown> }>(
      url('projector.2'),
      'GET',
      '/api/health/ready',
    );
    expect(Object.keys(ready.body.checks).sort()).toEqual(['projector', 'store']);
    const gatewayReady = await call<{ checks: Record<string, unknown> }>(
      url('gateway.1'),
      'GET',
      '/api/health/ready',
    );
    expect(Object.keys(gatewayReady.body.checks).sort()).toEqual(['gateway', 'store']);

    const projectorMetrics = (await call(url('projector.1'), 'GET', '/metrics')).text;
    expect(projectorMetrics).toContain('timeline_role{role="projector"} 1');
    expect(projectorMetrics).toContain('timeline_projector_lag_events');
    expect(projectorMetrics).not.toContain('timeline_relay_active');
    expect(projectorMetrics).not.toContain('timeline_sse_clients');
  });

  it('one relay is active and the other stands by, across processes (the advisory lock)', async () => {
    const active = () =>
      Promise.all(
        ['relay.1', 'relay.2'].map(async (name) =>
          metricValue((await call(url(name), 'GET', '/metrics')).text, 'timeline_relay_active'),
        ),
      );
    // The two gauges are read one after the other: a handover between the two reads shows [1, 1] or
    // [0, 0] once. Two active relays for good would stay so and fail here.
    let last: number[] = [];
    await waitUntil(
      () => `exactly one relay active, got ${JSON.stringify(last)}\n${supervisor.log().slice(-3000)}`,
      async () => {
        last = (await active()).sort();
        return last[0] === 0 && last[1] === 1;
      },
      { timeoutMs: 15_000, intervalMs: 500 },
    );
    expect(last).toEqual([0, 1]);
  });

  it('the two projectors share the partitions of one consumer group', async () => {
    const admin = testKafka().admin();
    await admin.connect();
    try {
      // Both projectors are ready before the group has settled: the second one's join starts a rebalance.
      let seen = '';
      const partitions = await waitUntil(
        () => `a stable group of two projectors, last seen ${seen}`,
        async () => {
          const { groups } = await admin.describeGroups([`${supervisor.topicPrefix}timeline-projector`]);
          seen = `${groups[0]?.state} with ${groups[0]?.members.length ?? 0} members`;
          if (groups[0]?.state !== 'Stable') return undefined;
          const members = groups[0].members;
          expect(members).toHaveLength(2);
          return members.map(
            (m) => AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment ?? {},
          );
        },
        { timeoutMs: 30_000, intervalMs: 500 },
      );
      for (const assigned of partitions) expect(Object.values(assigned).flat().length).toBeGreaterThan(0);
      expect(partitions.flatMap((a) => Object.values(a).flat()).sort()).toEqual([0, 1, 2]);
    } finally {
      await admin.disconnect();
    }
  });

  it('appends through both api processes reach SSE clients on both gateways in order, and the read model equals a fold of the store', async () => {
    const clients: SseCapture[] = await Promise.all([
      openSse(`${url('gateway.1')}/api/stream?after=0`),
      openSse(`${url('gateway.2')}/api/stream?after=0`),
      openSse(`${supervisor.url}/api/stream?after=0`),
    ]);
    const post = (base: string, path: string, body: unknown) =>
      call<{ events: Array<{ eventId: string }> }>(base, 'POST', path, { token: TEST_WRITE_TOKEN, body });
    // Facts in 12 streams (spread over the 3 partitions), written concurrently through both api processes
    // and the front door; then corrections and retractions of some of them, from the other api process.
    const bases = [url('api.1'), url('api.2'), supervisor.url];
    const facts = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        post(bases[i % 3]!, `/api/streams/${newStream('roles')}/events`, {
          events: ['a', 'b'].map((part) =>
            meeting({ data: { title: `Talks ${i}${part}`, participants: ['David Lammy', 'S Jaishankar'] } }),
          ),
        }),
      ),
    );
    expect(facts.map((f) => f.status)).toEqual(Array(12).fill(201));
    const lineage = await Promise.all(
      facts.map((fact, i) => {
        const target = fact.body.events[0]!.eventId;
        return i % 4 === 0
          ? post(bases[(i + 1) % 3]!, `/api/events/${target}/retraction`, { reason: 'duplicate report' })
          : post(bases[(i + 1) % 3]!, `/api/events/${target}/corrections`, {
              patch: { place: `City ${i}` },
              reason: 'the report names the city',
            });
      }),
    );
    expect(lineage.map((l) => l.status)).toEqual(Array(12).fill(201));
    const head = await store.head();
    expect(head).toBe(36);

    const expected = Array.from({ length: head }, (_, i) => i + 1);
    for (const client of clients) {
      await waitFor('an SSE client to receive every position', async () => client.events.length >= head);
      expect(client.events.map((e) => e.position)).toEqual(expected);
      client.close();
    }

    const readModel = new TimelineReadModel(sql);
    await waitFor('the projectors to reach the head', async () => (await readModel.watermark()) === head);
    const log = [];
    for await (const e of store.readLog({})) log.push(upcastEnvelope(e));
    const folded = [...foldTimeline(log).values()].sort((a, b) => a.position - b.position);
    const { items } = await readModel.items({ includeRetracted: true });
    expect(items.sort((a, b) => a.position - b.position)).toEqual(folded);
    expect(items.filter((i) => i.retracted)).toHaveLength(3);
  });

  const post = (base: string, path: string, body: unknown) =>
    call<{ events: Array<{ eventId: string; position: number }> }>(base, 'POST', path, {
      token: TEST_WRITE_TOKEN,
      body,
    });
  const appendBurst = (base: string, label: string, count: number) =>
    post(base, `/api/streams/${newStream(label)}/events`, {
      events: Array.from({ length: count }, (_, i) =>
        meeting({ data: { title: `${label} ${i}`, participants: ['David Lammy'] } }),
      ),
    });

  it('the same append sent to both api processes at once is stored once (idempotency across processes)', async () => {
    const streamId = newStream('idempotent');
    const body = {
      events: [
        meeting({ eventId: crypto.randomUUID(), data: { title: 'Once', participants: ['David Lammy'] } }),
      ],
    };
    const before = await store.head();
    const answers = await Promise.all(
      [url('api.1'), url('api.2'), url('api.1'), url('api.2')].map((base) =>
        call<{ duplicate: boolean; events: Array<{ position: number }> }>(
          base,
          'POST',
          `/api/streams/${streamId}/events`,
          { token: TEST_WRITE_TOKEN, body },
        ),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201]);
    expect(answers.filter((a) => !a.body.duplicate)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.events[0]?.position)).size).toBe(1);
    expect(await store.head()).toBe(before + 1);
  });

  it('a client resumes on the other gateway with Last-Event-ID: no gap, no duplicate', async () => {
    const start = await store.head();
    const first = await openSse(`${url('gateway.1')}/api/stream?after=${start}`);
    expect((await appendBurst(url('api.1'), 'resume-a', 5)).status).toBe(201);
    await waitFor('gateway.1 delivers the first burst', async () => first.events.length >= 5);
    first.close();
    const last = first.events.at(-1)!.position;
    // Written while the client is away; the next burst after it is back, live.
    expect((await appendBurst(url('api.2'), 'resume-b', 5)).status).toBe(201);
    const second = await openSse(`${url('gateway.2')}/api/stream`, { 'last-event-id': String(last) });
    expect((await appendBurst(url('api.1'), 'resume-c', 5)).status).toBe(201);
    const head = await store.head();
    await waitFor('gateway.2 delivers the rest', async () => (second.events.at(-1)?.position ?? 0) >= head);
    second.close();
    const seen = [...first.events, ...second.events].map((e) => e.position);
    expect(seen).toEqual(Array.from({ length: head - start }, (_, i) => start + i + 1));
  });

  it('kill -9 of the active relay process: the standby takes over, no position missing on the topic, consumers drop the duplicates', async () => {
    const relays = ['relay.1', 'relay.2'];
    const activeOf = async (name: string) =>
      metricValue(
        (await fetch(`${url(name)}/metrics`)
          .then((r) => r.text())
          .catch(() => '')) || '',
        'timeline_relay_active',
      );
    const states = await Promise.all(relays.map(activeOf));
    const active = relays[states.indexOf(1)]!;
    const standby = relays.find((r) => r !== active)!;
    const start = await store.head();
    const live = await openSse(`${url('gateway.2')}/api/stream?after=${start}`);

    let killedAt = 0;
    let takeoverMs = Number.NaN;
    const takeover = (async () => {
      while (killedAt === 0) await new Promise((r) => setTimeout(r, 20));
      await waitFor(
        'the standby to take the relay lock',
        async () => (await activeOf(standby)) === 1,
        30_000,
      );
      takeoverMs = Date.now() - killedAt;
    })();
    for (let i = 0; i < 30; i++) {
      if (i === 10) {
        process.kill(childPid(supervisor.stdout(), active), 'SIGKILL');
        killedAt = Date.now();
      }
      const [a, b] = await Promise.all([
        appendBurst(url('api.1'), `failover-${i}a`, 5),
        appendBurst(url('api.2'), `failover-${i}b`, 5),
      ]);
      expect([a.status, b.status]).toEqual([201, 201]);
    }
    await takeover;
    const head = await store.head();
    expect(head - start).toBe(300);

    const onTopic = await consumeTopic(
      `${supervisor.topicPrefix}timeline.events`,
      (m) => Number(m.headers[KAFKA_HEADERS.position]),
      (seen) => new Set(seen).size >= head,
      60_000,
    );
    const unique = new Set(onTopic);
    const missing = Array.from({ length: head }, (_, i) => i + 1).filter((p) => !unique.has(p));
    expect(missing).toEqual([]);
    const duplicates = onTopic.length - unique.size;
    console.log(
      `relay failover across processes: standby active ${takeoverMs} ms after kill -9 of ${active}; ${duplicates} duplicate messages on the topic`,
    );

    // The gateway and the projectors drop the duplicates: each position once, in order.
    await waitFor(
      'the live client to reach the head',
      async () => (live.events.at(-1)?.position ?? 0) >= head,
    );
    live.close();
    expect(live.events.map((e) => e.position)).toEqual(
      Array.from({ length: head - start }, (_, i) => start + i + 1),
    );
    const readModel = new TimelineReadModel(sql);
    await waitFor('the projectors to reach the head', async () => (await readModel.watermark()) === head);
    const { rows } = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM projected_events');
    expect(Number(rows[0]?.n)).toBe(head);
  });
});

describe('roles that cannot start', () => {
  it('refuses roles apart on the embedded store, naming TIMELINE_ROLES and PostgreSQL', async () => {
    const run = await runNode(MAIN, [], {
      cwd: API_ROOT,
      env: {
        TIMELINE_ROLES: 'gateway',
        TIMELINE_DATA_DIR: '/tmp/timeline-roles-never-created',
        LOG_FORMAT: 'pretty',
      },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('TIMELINE_ROLES');
    expect(run.stderr).toContain('PostgreSQL');
  });

  it('refuses --processes without PostgreSQL, naming DATABASE_URL', async () => {
    const run = await runNode(MAIN, ['--processes'], {
      cwd: API_ROOT,
      env: { TIMELINE_DATA_DIR: '/tmp/timeline-roles-never-created', LOG_FORMAT: 'pretty' },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('DATABASE_URL');
    expect(run.stderr).toContain('--processes');
  });
});
