export * from './event-store/event-store.port.js';
export { createEventStore, openSqlClient, type EventStoreOptions } from './event-store/create-event-store.js';
export type { SqlClient, SqlExecutor } from './event-store/sql-client.js';
// The read model and its windowed reads, for the benchmarks (bench/src/timeline-window.ts) that fill
// and query a million-event model without Kafka.
export { TimelineReadModel } from './read-model/timeline-read-model.js';
export { TimelineWindowReads, type WindowRequest } from './read-model/timeline-window-reads.js';
