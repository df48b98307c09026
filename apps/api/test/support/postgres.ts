// One implementation for every app's suites: @timeline/testing/postgres.
export { BASE_DATABASE_URL, createTestDatabase } from '@timeline/testing/postgres';
