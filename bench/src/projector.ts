/**
 * Projector throughput: events/s from the topic into the read model, with 1 and with 3 projector
 * processes (TIMELINE_ROLES=projector, one consumer group) over a topic of 3 partitions. The processes
 * join first, on the empty topic, until the group is stable with all of them; then the topic is filled
 * (the very messages the relay would send, produced directly, much faster than they are projected);
 * the clock runs from the end of the fill until the read model holds every position.
 */
import { randomUUID } from 'node:crypto';
import { encodeKafkaMessage, topicNames } from '@timeline/shared-types';
import type { Kafka } from 'kafkajs';
import pg from 'pg';
import { type ApiProcess, startApi } from './lib/api.js';
import { type BenchOptions, parseBenchArgs } from './lib/args.js';
import { RUN_ID } from './lib/env.js';
import { benchEvent, eventEnvelope } from './lib/events.js';
import { benchKafka, createTopic, deleteTopicsWithPrefix } from './lib/kafka.js';
import { createDatabase, postgresVersion } from './lib/pg.js';
import { quietMachine } from './lib/quiet.js';
import { machine, Progress, say, table, writeResults } from './lib/report.js';
import { CpuMeter, cpuSeconds, perSecond, round } from './lib/stats.js';

const STREAMS = 100;
const SEND_BATCH = 1000;
const PARTITIONS = 3;

interface ProjectorResult {
  processes: number;
  events: number;
  /** Events projected while the clock ran (those projected while the topic was being filled excluded). */
  measuredEvents: number;
  ms: number;
  eventsPerSecond: number;
  /** % of one core, per projector process, then PostgreSQL backends of the database and the broker. */
  cpuPct: { projectors: number[]; postgres: number; kafka: number; other: number };
}

/** The topic filled with `total` events as the relay publishes them (key = stream id, position headers). */
async function fillTopic(kafka: Kafka, topic: string, total: number): Promise<void> {
  const progress = new Progress('fill topic');
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    const versions = new Map<string, number>();
    for (let done = 0; done < total; ) {
      const size = Math.min(SEND_BATCH, total - done);
      const messages = Array.from({ length: size }, (_, i) => {
        const n = done + i;
        const streamId = `projector-${n % STREAMS}`;
        const version = (versions.get(streamId) ?? 0) + 1;
        versions.set(streamId, version);
        return encodeKafkaMessage(
          eventEnvelope(benchEvent(n), {
            position: n + 1,
            streamId,
            streamVersion: version,
            recordedAt: new Date().toISOString(),
            eventId: randomUUID(),
          }),
        );
      });
      await producer.send({ topic, acks: -1, messages });
      done += size;
      progress.update(`${done}/${total}`);
    }
  } finally {
    await producer.disconnect();
  }
  progress.done(`${total} events on ${topic}`);
}

async function projectedCount(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM projected_events');
  return rows[0]!.n;
}

/** Waits until the group is stable with `members` members, each holding a partition. */
async function groupComplete(kafka: Kafka, groupId: string, members: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const { groups } = await admin.describeGroups([groupId]);
      const group = groups[0];
      if (group?.state === 'Stable' && group.members.length === members) return;
      if (Date.now() > deadline) throw new Error(`group ${groupId} never had ${members} stable members`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await admin.disconnect();
  }
}

async function measure(opts: BenchOptions, processes: number): Promise<ProjectorResult> {
  const db = await createDatabase(`projector${processes}`, opts.keep);
  const prefix = `bench-${RUN_ID}-projector${processes}.`;
  const kafka = benchKafka('timeline-bench-projector');
  const topic = topicNames(prefix).events;
  const projectors: ApiProcess[] = [];
  const client = new pg.Client({ connectionString: db.url });
  try {
    // The group forms on the empty topic first (processes join one by one, each join a rebalance);
    // then the topic is filled, and the clock runs from the end of the fill to the last projection.
    await createTopic(kafka, topic, PARTITIONS);
    const progress = new Progress(`${processes} projector${processes > 1 ? 's' : ''}`);
    const starts = Array.from({ length: processes }, () =>
      startApi({ databaseUrl: db.url, topicPrefix: prefix, env: { TIMELINE_ROLES: 'projector' } }).then(
        (p) => {
          projectors.push(p);
          return p;
        },
      ),
    );
    await Promise.all(starts);
    await client.connect();
    await groupComplete(kafka, `${prefix}timeline-projector`, processes);
    await fillTopic(kafka, topic, opts.projectorEvents);

    const meter = new CpuMeter(undefined, db.name);
    meter.start();
    const before = projectors.map((p) => cpuSeconds(p.pid));
    const t0 = performance.now();
    const atStart = await projectedCount(client);
    let done = atStart;
    while (done < opts.projectorEvents) {
      await new Promise((r) => setTimeout(r, 100));
      done = await projectedCount(client);
      progress.update(`${done}/${opts.projectorEvents} projected`);
      if (performance.now() - t0 > 600_000) throw new Error(`only ${done} projected after 10 minutes`);
    }
    const ms = performance.now() - t0;
    const cpu = meter.stop();
    const wall = ms / 1000;
    const result: ProjectorResult = {
      processes,
      events: opts.projectorEvents,
      measuredEvents: opts.projectorEvents - atStart,
      ms: Math.round(ms),
      eventsPerSecond: perSecond(opts.projectorEvents - atStart, ms),
      cpuPct: {
        projectors: projectors.map((p, i) => round(((cpuSeconds(p.pid) - before[i]!) / wall) * 100, 0)),
        postgres: cpu.postgresPct,
        kafka: cpu.kafkaPct,
        other: cpu.otherPct,
      },
    };
    progress.done(
      `${result.eventsPerSecond.toLocaleString('en-GB')} events/s (${result.measuredEvents} events timed, ${atStart} projected during the fill)`,
    );
    return result;
  } finally {
    await client.end().catch(() => undefined);
    for (const projector of projectors) await projector.stop();
    await db.drop();
    await deleteTopicsWithPrefix(kafka, prefix, opts.keep);
  }
}

async function main(opts: BenchOptions): Promise<void> {
  const { atStart: quiet, settle } = await quietMachine('projector', opts.quietWait);
  say(
    'projector',
    `${opts.projectorEvents} events over ${PARTITIONS} partitions; projector processes ${opts.projectors.join(', ')}`,
  );
  const results: ProjectorResult[] = [];
  for (const processes of opts.projectors) {
    await settle();
    results.push(await measure(opts, processes));
  }
  const rows = results.map((r) => [
    r.processes,
    r.measuredEvents,
    round(r.ms / 1000, 1),
    r.eventsPerSecond,
    r.cpuPct.projectors.join(' / '),
    r.cpuPct.postgres,
    r.cpuPct.kafka,
    r.cpuPct.other,
  ]);
  const file = await writeResults('projector', {
    machine: machine(await postgresVersion()),
    machineBusyAtStartPct: quiet?.busyPct ?? null,
    settings: { events: opts.projectorEvents, partitions: PARTITIONS, processes: opts.projectors },
    runs: results,
  });
  process.stdout.write(
    `\nProjector throughput (group formed on the empty topic, then the topic filled; timed from the end of the fill to the last position projected)\n${table(
      [
        'projectors',
        'events',
        's',
        'events/s',
        'CPU% projectors',
        'CPU% postgres',
        'CPU% kafka',
        'CPU% other',
      ],
      rows,
    )}\n\nresults: ${file}\n`,
  );
}

await main(parseBenchArgs());
