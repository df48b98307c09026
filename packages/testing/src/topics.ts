import { randomBytes } from 'node:crypto';

/** The broker the tests use, as the API's `KAFKA_BROKERS` setting takes it (comma-separated). */
export const KAFKA_BROKERS_SETTING = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

/**
 * A topic prefix of its own (`test-<label>-<random>.`), so that suites and API processes sharing the
 * broker never consume each other's events. Kept apart from `./kafka` so that starting a process does
 * not load kafkajs.
 */
export function uniqueTopicPrefix(label: string): string {
  return `test-${label}-${randomBytes(4).toString('hex')}.`;
}
