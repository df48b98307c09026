export * from './event-store/event-store.port.js';
export { createEventStore, openSqlClient, type EventStoreOptions } from './event-store/create-event-store.js';
export type { SqlClient, SqlExecutor } from './event-store/sql-client.js';
export { replicationFor } from './streaming/kafka.js';
