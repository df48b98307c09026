/**
 * The test database URL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/timeline) with its
 * database name replaced by `timeline_test`, which `infra/scripts/postgres.sh start` creates.
 */
export function testDatabaseUrl(env: NodeJS.ProcessEnv = process.env, database = 'timeline_test'): string {
  const url = new URL(env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/timeline');
  url.pathname = `/${database}`;
  return url.toString();
}
