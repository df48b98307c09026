import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../test-support/database-url.js';

describe('postgres (real server)', () => {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });

  beforeAll(async () => {
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
  });

  it('answers select 1 on the timeline_test database', async () => {
    const res = await client.query<{ one: number; db: string }>('select 1 as one, current_database() as db');
    expect(res.rows).toEqual([{ one: 1, db: 'timeline_test' }]);
  });
});
