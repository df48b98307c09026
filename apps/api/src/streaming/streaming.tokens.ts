/** Injection tokens of the streaming module (streaming.module.ts). */
/** The kafkajs client of this instance. */
export const KAFKA = Symbol('KAFKA');
/** `{ events, deadLetters }`: the topic names under the configured prefix. */
export const EVENT_TOPICS = Symbol('EVENT_TOPICS');
/** The Streaming coordinator: starts, restarts and stops the relay, projector and live feed. */
export const STREAMING = Symbol('STREAMING');
/** The LiveFeed SSE sessions subscribe to. */
export const LIVE_FEED = Symbol('LIVE_FEED');
export const METRICS = Symbol('METRICS');
/** SseAdmission: the caps on open SSE connections. */
export const SSE_ADMISSION = Symbol('SSE_ADMISSION');
/** OpenStreams: streaming responses main.ts ends on SIGTERM. */
export const OPEN_STREAMS = Symbol('OPEN_STREAMS');
