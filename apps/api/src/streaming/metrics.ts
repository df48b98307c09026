import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one API instance, served at `/metrics`. */
export class TimelineMetrics {
  readonly registry = new Registry();
  readonly appendedEvents = new Counter({
    name: 'timeline_appended_events_total',
    help: 'Events appended through this instance (idempotent retries not counted)',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });
  readonly appendRequests = new Counter({
    name: 'timeline_append_requests_total',
    help: 'Append requests by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly storeHead = new Gauge({
    name: 'timeline_store_head_position',
    help: 'Highest committed log position',
    registers: [this.registry],
  });
  readonly relayPublished = new Gauge({
    name: 'timeline_relay_published_position',
    help: 'Highest log position the relay has published to Kafka (checkpoint)',
    registers: [this.registry],
  });
  readonly relayLag = new Gauge({
    name: 'timeline_relay_lag_events',
    help: 'Store head minus published position',
    registers: [this.registry],
  });
  readonly relayActive = new Gauge({
    name: 'timeline_relay_active',
    help: '1 when this instance holds the relay lock',
    registers: [this.registry],
  });
  readonly relayPublishedEvents = new Counter({
    name: 'timeline_relay_published_events_total',
    help: 'Events published to Kafka by this instance',
    registers: [this.registry],
  });
  readonly projectorPosition = new Gauge({
    name: 'timeline_projector_position',
    help: 'Highest contiguous log position in the timeline read model',
    registers: [this.registry],
  });
  readonly projectorLag = new Gauge({
    name: 'timeline_projector_lag_events',
    help: 'Store head minus projected position',
    registers: [this.registry],
  });
  readonly sseClients = new Gauge({
    name: 'timeline_sse_clients',
    help: 'Connected Server-Sent Events clients',
    registers: [this.registry],
  });
  readonly sseClosedSlow = new Counter({
    name: 'timeline_sse_slow_client_closures_total',
    help: 'SSE clients closed because they could not keep up',
    registers: [this.registry],
  });
  readonly dlqMessages = new Counter({
    name: 'timeline_dlq_messages_total',
    help: 'Messages the projector sent to the dead-letter topic',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'timeline_' });
  }
}
