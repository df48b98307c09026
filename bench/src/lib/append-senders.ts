import { randomUUID } from 'node:crypto';
import { getPostgreSQLEventStore, type PostgresEventStore } from '@event-driven-io/emmett-postgresql';
import { createEventStore, type EventStore, type EventToAppend } from '@timeline/api';
import pg from 'pg';
import type { ApiProcess } from './api.js';
import { type Send, streamOf } from './append-cells.js';
import { benchEvent, eventRow } from './events.js';
import { keepAliveAgent, postJson } from './http.js';
import { multiRowInsert } from './pg.js';

/** A client of the HTTP API: each request appends `batch` events to one of the client's streams. */
export function apiSender(api: ApiProcess, clients: number, tag: string): Send {
  const agent = keepAliveAgent(clients);
  let n = 0;
  return async (client, request, batch) => {
    const events = Array.from({ length: batch }, () => benchEvent(n++));
    const url = new URL(`/api/streams/${streamOf(tag, client, request)}/events`, api.baseUrl);
    const res = await postJson(agent, url, api.token, JSON.stringify({ events }));
    if (res.status !== 201) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 300)}`);
    return batch;
  };
}

/** The same rows straight into `raw_events` with one multi-row INSERT per request (no lock, no checks). */
export function rawSender(pool: pg.Pool, tag: string, positions: { next: number }): Send {
  const versions = new Map<string, number>();
  let n = 0;
  return async (client, request, batch) => {
    const streamId = streamOf(tag, client, request);
    const recordedAt = new Date().toISOString();
    const rows = Array.from({ length: batch }, () => {
      const version = (versions.get(streamId) ?? 0) + 1;
      versions.set(streamId, version);
      positions.next += 1;
      return eventRow(benchEvent(n++), {
        position: positions.next,
        streamId,
        streamVersion: version,
        recordedAt,
      });
    });
    await pool.query(multiRowInsert('raw_events', rows));
    return batch;
  };
}

/** Timeline's store as the API holds it (one instance per process, so group commit applies), without HTTP. */
export async function openTimelineStore(databaseUrl: string, poolSize: number): Promise<EventStore> {
  return createEventStore({ databaseUrl, dataDir: '/nonexistent', poolSize });
}

/** `SqlEventStore.append` with the event as the API would hand it over (validated, id chosen). */
export function storeSender(store: EventStore, tag: string): Send {
  let n = 0;
  return async (client, request, batch) => {
    const events: EventToAppend[] = Array.from({ length: batch }, () => {
      const { type, schemaVersion, occurredAt, data, metadata } = benchEvent(n++);
      return { eventId: randomUUID(), type, schemaVersion, occurredAt, data, metadata };
    });
    await store.append(streamOf(tag, client, request), 'any', events);
    return batch;
  };
}

/**
 * Emmett's PostgreSQL event store (the TypeScript peer) on a pool as large as the most clients, so no
 * client waits for a connection; the schema is created before measuring.
 */
export async function openEmmett(databaseUrl: string, poolSize: number): Promise<PostgresEventStore> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: poolSize,
    application_name: 'timeline-bench-emmett',
  });
  const store = getPostgreSQLEventStore(databaseUrl, { connectionOptions: { pooled: true, pool } });
  await store.schema.migrate();
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    await pool.end().catch(() => undefined);
  };
  return store;
}

/** `appendToStream` of the same events (Emmett's shape: type, data, metadata), no expected version. */
export function emmettSender(store: PostgresEventStore, tag: string): Send {
  let n = 0;
  return async (client, request, batch) => {
    const events = Array.from({ length: batch }, () => {
      const { type, schemaVersion, occurredAt, data, metadata } = benchEvent(n++);
      return { type, data: { schemaVersion, occurredAt, ...data }, metadata };
    });
    await store.appendToStream(streamOf(tag, client, request), events);
    return batch;
  };
}
