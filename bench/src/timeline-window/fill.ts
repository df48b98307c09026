import { createHash } from 'node:crypto';
import { TimelineReadModel, type SqlClient } from '@timeline/api';
import {
  canonicalJson,
  type EventEnvelope,
  type OccurredAt,
  PILLARS,
  readStoredEnvelope,
  validTimeBounds,
} from '@timeline/shared-types';
import { type EventRowParams, multiRowInsert } from '../lib/pg.js';
import { Progress } from '../lib/report.js';
import { perSecond, round } from '../lib/stats.js';

/** Streams are `tw-<(position - 1) mod 997>`: a prime, so a lineage event and its target differ by kind. */
const STREAMS = 997;
const CHUNK = 2000;
const EPOCH = Date.UTC(2026, 0, 1);
const PEOPLE = ['David Lammy', 'S Jaishankar', 'Narendra Modi', 'Ajit Doval', 'Keir Starmer', 'Piyush Goyal'];

/** A deterministic 32-bit mix of `n`, so each run writes the same log. */
function mix(n: number): number {
  let x = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * Valid time spread over 1900-2025 as in notes/timeline-at-scale.md §3: 60% day, 28% month, 12% year
 * precision.
 */
function occurredAt(n: number): OccurredAt {
  const h = mix(n);
  const year = 1900 + (h % 126);
  const month = String(((h >>> 8) % 12) + 1).padStart(2, '0');
  const day = String(((h >>> 12) % 28) + 1).padStart(2, '0');
  const kind = (h >>> 20) % 100;
  if (kind < 60) return { start: `${year}-${month}-${day}`, precision: 'day' };
  if (kind < 88) return { start: `${year}-${month}`, precision: 'month' };
  return { start: String(year), precision: 'year' };
}

/**
 * Event at `position`: every 10th corrects the fact 997 positions back (same stream), a quarter of
 * those moving its valid time; every 50th (offset 5) retracts one; the rest are MeetingHeld facts.
 */
export function windowEvent(position: number, idOf: (p: number) => string): EventEnvelope {
  const streamIndex = (position - 1) % STREAMS;
  const base = {
    eventId: idOf(position),
    streamId: `tw-${streamIndex}`,
    streamVersion: Math.floor((position - 1) / STREAMS) + 1,
    position,
    schemaVersion: 1,
    recordedAt: new Date(EPOCH + position * 100).toISOString(),
    metadata: { sources: [] },
  };
  const target = position - STREAMS;
  if (target > 0 && position % 10 === 0) {
    const data: Record<string, unknown> = {
      correctedEventId: idOf(target),
      patch: { title: `Meeting ${target} (corrected at ${position})` },
      reason: 'benchmark correction',
    };
    if (position % 40 === 0) data.occurredAt = occurredAt(position);
    return { ...base, type: 'EventCorrected', occurredAt: occurredAt(target), data };
  }
  if (target > 0 && position % 50 === 5) {
    return {
      ...base,
      type: 'EventRetracted',
      occurredAt: occurredAt(target),
      data: { retractedEventId: idOf(target), reason: 'benchmark retraction' },
    };
  }
  const a = PEOPLE[position % PEOPLE.length]!;
  const b = PEOPLE[(position + 1) % PEOPLE.length]!;
  const pillar = PILLARS[position % 3]!;
  return {
    ...base,
    type: 'MeetingHeld',
    occurredAt: occurredAt(position),
    data: {
      actors: [a, b],
      format: 'talks',
      participants: [a, b],
      pillars: position % 7 === 0 ? [pillar, PILLARS[(position + 1) % 3]!] : [pillar],
      place: 'New Delhi',
      summary: `${a} met ${b} about ${pillar}.`,
      title: `Meeting ${position}: ${a} and ${b}`,
      topics: [`Cooperation on ${pillar}`],
    },
  };
}

function eventRow(e: EventEnvelope): EventRowParams {
  const { startMs, endMs } = validTimeBounds(e.occurredAt);
  const bound = canonicalJson({
    streamId: e.streamId,
    type: e.type,
    schemaVersion: e.schemaVersion,
    occurredAt: e.occurredAt,
    data: e.data,
    metadata: e.metadata,
  });
  return [
    e.position,
    e.eventId,
    e.streamId,
    e.streamVersion,
    e.type,
    e.schemaVersion,
    JSON.stringify(e.occurredAt),
    new Date(startMs).toISOString(),
    new Date(endMs).toISOString(),
    e.recordedAt,
    JSON.stringify(e.data),
    JSON.stringify(e.metadata),
    createHash('sha256').update(bound).digest('hex'),
  ];
}

/**
 * Writes the log straight into `events` (as bench/src/replay does) and folds each chunk into the read
 * model with the projector's own code (items, version rows, watermark), without Kafka; then the
 * streams, the head, the relay checkpoint (so the API starts idle) and VACUUM ANALYZE.
 */
export async function fillWindowStore(
  sql: SqlClient,
  total: number,
  idPrefix: string,
  relayTopic: string,
): Promise<{ fillMs: number; eventsPerSecond: number }> {
  const progress = new Progress('fill store + read model');
  const model = new TimelineReadModel(sql);
  const idOf = (p: number) => `${idPrefix}-0000-4000-8000-${p.toString(16).padStart(12, '0')}`;
  const t0 = performance.now();
  for (let from = 1; from <= total; from += CHUNK) {
    const events: EventEnvelope[] = [];
    for (let p = from; p < Math.min(from + CHUNK, total + 1); p++) events.push(windowEvent(p, idOf));
    const insert = multiRowInsert('events', events.map(eventRow));
    await sql.query(insert.text, insert.values);
    await model.apply(events.map(readStoredEnvelope));
    progress.update(
      `${(from + events.length - 1).toLocaleString('en-GB')}/${total.toLocaleString('en-GB')} events`,
    );
  }
  const last = windowEvent(total, idOf);
  await sql.query(
    `INSERT INTO streams (stream_id, version)
     SELECT 'tw-' || s, (($1::bigint - 1 - s) / $2 + 1)::int FROM generate_series(0, LEAST($2, $1::bigint) - 1) AS s`,
    [total, STREAMS],
  );
  await sql.query('UPDATE log_head SET position = $1, recorded_at = $2', [total, last.recordedAt]);
  await sql.query('INSERT INTO relay_checkpoints (name, position) VALUES ($1, $2)', [relayTopic, total]);
  for (const table of ['events', 'timeline_items', 'timeline_item_versions'])
    await sql.query(`VACUUM (ANALYZE) ${table}`);
  const fillMs = performance.now() - t0;
  progress.done(`${total.toLocaleString('en-GB')} events in ${round(fillMs / 1000, 1)} s`);
  return { fillMs: Math.round(fillMs), eventsPerSecond: perSecond(total, fillMs) };
}
