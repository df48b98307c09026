import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `bench/` (this file is `bench/{src,dist}/lib/env.*`). */
export const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const REPO_ROOT = resolve(BENCH_DIR, '..');
export const RESULTS_DIR = resolve(BENCH_DIR, 'results');
export const API_MAIN = resolve(REPO_ROOT, 'apps/api/dist/main.js');
export const CLI_MAIN = resolve(REPO_ROOT, 'apps/cli/dist/main.js');

/** A PostgreSQL database to create and drop the benchmark databases from (user postgres, trust auth). */
export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const KAFKA_BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').filter(Boolean);

/** Unique per process: database names and topic prefixes carry it, so runs never share state. */
export const RUN_ID = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

/** The Kafka version the project's broker runs (infra/kafka/pom.xml), for the results file. */
export function kafkaVersion(): string {
  try {
    const pom = readFileSync(resolve(REPO_ROOT, 'infra/kafka/pom.xml'), 'utf8');
    return /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
