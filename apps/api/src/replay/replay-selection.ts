import { ReplayQuerySchema, type ReplaySelection } from '@timeline/shared-types';

/**
 * The replay selection as the HTTP API takes it:
 * `GET /api/replay?mode=events|timeline&after=&until=&streams=&types=&pillars=&actors=&from=&to=&asOf=`.
 * What a selection means (knowledge horizon, subject filters, `events` and `timeline` modes) is
 * defined once, in shared-types `replay.ts`, because the CLI applies the very same rules to a replay
 * read from Kafka; the SQL that narrows a page of the log is the event store's (sql-log-reads.ts).
 */
export { ReplayQuerySchema, type ReplaySelection };
