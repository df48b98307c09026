import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server the tests use; `.ci/run` and `pnpm infra:up` make sure it answers. */
export const BASE_DATABASE_URL =
  process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/timeline_test';

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Runs one statement on the server's `postgres` database: CREATE/DROP DATABASE cannot run in the target. */
async function onServer(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: withDatabase(BASE_DATABASE_URL, 'postgres') });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

export interface TestDatabase {
  url: string;
  name: string;
  /** Drops it, disconnecting whoever is still connected. */
  drop: () => Promise<void>;
}

/** A fresh, empty database on the real PostgreSQL for one suite; `drop()` removes it. */
export async function createTestDatabase(label = 't'): Promise<TestDatabase> {
  const name = `timeline_${label}_${randomBytes(5).toString('hex')}`;
  await onServer(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  return {
    url: withDatabase(BASE_DATABASE_URL, name),
    name,
    drop: () => onServer(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`),
  };
}

export { type PostgresServer, startPostgresServer } from './postgres-server.js';
