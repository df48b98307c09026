/** Injection tokens of the streaming modules (streaming.module.ts and the role modules). */
/** The kafkajs client of this process. */
export const KAFKA = Symbol('KAFKA');
/** `{ events, deadLetters }`: the topic names under the configured prefix. */
export const EVENT_TOPICS = Symbol('EVENT_TOPICS');
/** `() => Promise`: makes the topics if they are missing (every Kafka role calls it before starting). */
export const ENSURE_TOPICS = Symbol('ENSURE_TOPICS');
/** The OutboxRelay: run by the relay role; every process reads its checkpoint (the published position). */
export const OUTBOX_RELAY = Symbol('OUTBOX_RELAY');
/** RelayRole, ProjectorRole, GatewayRole: provided only in a process that runs the role. */
export const RELAY_ROLE = Symbol('RELAY_ROLE');
export const PROJECTOR_ROLE = Symbol('PROJECTOR_ROLE');
export const GATEWAY_ROLE = Symbol('GATEWAY_ROLE');
/** The LiveFeed SSE sessions subscribe to (gateway role). */
export const LIVE_FEED = Symbol('LIVE_FEED');
/** SseAdmission: the caps on open SSE connections. */
export const SSE_ADMISSION = Symbol('SSE_ADMISSION');
/** OpenStreams: streaming responses main.ts ends on SIGTERM. */
export const OPEN_STREAMS = Symbol('OPEN_STREAMS');
