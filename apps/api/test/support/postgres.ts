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

/** A fresh, empty database on the real PostgreSQL for one suite; `drop()` removes it. */
export async function createTestDatabase(
  label = 't',
): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `timeline_${label}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: withDatabase(BASE_DATABASE_URL, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(BASE_DATABASE_URL, name),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: withDatabase(BASE_DATABASE_URL, 'postgres') });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
