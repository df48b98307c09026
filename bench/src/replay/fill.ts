import { encodeKafkaMessage } from '@timeline/shared-types';
import pg from 'pg';
import { type BenchEvent, benchEvent, eventEnvelope, eventRow, type Placement } from '../lib/events.js';
import { benchKafka } from '../lib/kafka.js';
import { multiRowInsert } from '../lib/pg.js';
import { Progress } from '../lib/report.js';
import { perSecond, round } from '../lib/stats.js';

/** Rows per INSERT, messages per send, rows per FETCH. */
export const CHUNK = 1000;
export const STREAMS = 1000;
const EPOCH = Date.UTC(2024, 7, 1);

/** Event at `position`: deterministic, so the store and the topic get byte-identical envelopes. */
function placed(
  position: number,
  idPrefix: string,
): { event: BenchEvent; at: Placement & { eventId: string } } {
  const s = (position - 1) % STREAMS;
  return {
    event: benchEvent(position),
    at: {
      position,
      streamId: `replay-${s}`,
      streamVersion: Math.floor((position - 1) / STREAMS) + 1,
      recordedAt: new Date(EPOCH + Math.floor(position / 10)).toISOString(),
      eventId: `${idPrefix}-0000-4000-8000-${position.toString(16).padStart(12, '0')}`,
    },
  };
}

export interface FillTimes {
  /** Multi-row INSERTs of every row (secondary indexes and unique constraints dropped meanwhile). */
  insertMs: number;
  /** Re-creating the indexes and constraints exactly as they were. */
  indexMs: number;
  /** VACUUM ANALYZE, so every reader finds the same visibility map and statistics. */
  vacuumMs: number;
}

/**
 * Writes the log straight into `events` (gapless positions, stream versions, content hashes as the
 * store computes them), then `streams`, `log_head` and the relay checkpoint. The usual bulk-load
 * shortcut: indexes and unique constraints are dropped for the load and re-created from their own
 * definitions afterwards, so the table ends up exactly as the store's migrations made it.
 */
export async function fillStore(
  url: string,
  total: number,
  idPrefix: string,
  topic: string,
): Promise<FillTimes> {
  const progress = new Progress('fill store');
  const pool = new pg.Pool({
    connectionString: url,
    max: 2,
    application_name: 'timeline-bench-fill',
    options: '-c synchronous_commit=off -c maintenance_work_mem=256MB',
  });
  try {
    const { rows: constraints } = await pool.query<{ name: string; def: string }>(
      `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
       WHERE conrelid = 'events'::regclass AND contype IN ('p', 'u')`,
    );
    const { rows: indexes } = await pool.query<{ name: string; def: string }>(
      `SELECT indexname AS name, indexdef AS def FROM pg_indexes
       WHERE schemaname = current_schema() AND tablename = 'events'
         AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'events'::regclass)`,
    );
    for (const index of indexes) await pool.query(`DROP INDEX ${pg.escapeIdentifier(index.name)}`);
    for (const c of constraints)
      await pool.query(`ALTER TABLE events DROP CONSTRAINT ${pg.escapeIdentifier(c.name)}`);

    const t0 = performance.now();
    let next = 1;
    let done = 0;
    const worker = async () => {
      for (;;) {
        const from = next;
        if (from > total) return;
        next += CHUNK;
        const rows = [];
        for (let p = from; p < Math.min(from + CHUNK, total + 1); p++) {
          const { event, at } = placed(p, idPrefix);
          rows.push(eventRow(event, at));
        }
        await pool.query(multiRowInsert('events', rows));
        done += rows.length;
        progress.update(`${done.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')} rows`);
      }
    };
    await Promise.all([worker(), worker()]);
    const insertMs = performance.now() - t0;

    progress.update(`re-creating ${constraints.length} constraints and ${indexes.length} indexes`, true);
    const t1 = performance.now();
    const statements = [
      ...constraints.map((c) => `ALTER TABLE events ADD CONSTRAINT ${pg.escapeIdentifier(c.name)} ${c.def}`),
      ...indexes.map((i) => i.def),
    ];
    // Two at a time (one per core); ALTER TABLE takes a lock that serialises the constraints anyway.
    const queue = [...statements];
    await Promise.all(
      [0, 1].map(async () => {
        for (let sql = queue.shift(); sql; sql = queue.shift()) await pool.query(sql);
      }),
    );
    const indexMs = performance.now() - t1;

    const last = placed(total, idPrefix).at;
    await pool.query(
      `INSERT INTO streams (stream_id, version)
       SELECT 'replay-' || s, (($1::bigint - 1 - s) / $2 + 1)::int FROM generate_series(0, LEAST($2, $1::bigint) - 1) AS s`,
      [total, STREAMS],
    );
    await pool.query('UPDATE log_head SET position = $1, recorded_at = $2', [total, last.recordedAt]);
    // The topic already holds everything (published directly): the relay starts at the head.
    await pool.query('INSERT INTO relay_checkpoints (name, position) VALUES ($1, $2)', [topic, total]);
    progress.update('VACUUM ANALYZE events', true);
    const t2 = performance.now();
    await pool.query('VACUUM (ANALYZE) events');
    const vacuumMs = performance.now() - t2;
    progress.done(
      `${total.toLocaleString('en-GB')} rows in ${round(insertMs / 1000, 1)} s (${perSecond(total, insertMs).toLocaleString('en-GB')} rows/s, multi-row INSERTs of ${CHUNK} on 2 connections) + indexes ${round(indexMs / 1000, 1)} s + VACUUM ANALYZE ${round(vacuumMs / 1000, 1)} s`,
    );
    return { insertMs: Math.round(insertMs), indexMs: Math.round(indexMs), vacuumMs: Math.round(vacuumMs) };
  } finally {
    await pool.end();
  }
}

export async function fillTopic(topic: string, total: number, idPrefix: string): Promise<number> {
  const kafka = benchKafka('timeline-bench-replay-fill');
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const progress = new Progress('fill topic');
  const t0 = performance.now();
  try {
    for (let from = 1; from <= total; from += CHUNK) {
      const messages = [];
      for (let p = from; p < Math.min(from + CHUNK, total + 1); p++) {
        const { event, at } = placed(p, idPrefix);
        messages.push(encodeKafkaMessage(eventEnvelope(event, at)));
      }
      await producer.send({ topic, acks: -1, messages });
      progress.update(
        `${Math.min(from + CHUNK - 1, total).toLocaleString('en-GB')}/${total.toLocaleString('en-GB')} messages`,
      );
    }
  } finally {
    await producer.disconnect();
  }
  const ms = performance.now() - t0;
  progress.done(
    `${total.toLocaleString('en-GB')} messages in ${round(ms / 1000, 1)} s (${perSecond(total, ms).toLocaleString('en-GB')}/s)`,
  );
  return Math.round(ms);
}

/** The projector's consumer group starts at the end of the topic: this benchmark is not about projecting. */
export async function skipProjector(topic: string, groupId: string): Promise<void> {
  const admin = benchKafka('timeline-bench-replay-admin').admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({
      groupId,
      topic,
      partitions: offsets.map((o) => ({ partition: o.partition, offset: o.high })),
    });
  } finally {
    await admin.disconnect();
  }
}
