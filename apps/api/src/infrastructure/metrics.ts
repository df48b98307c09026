import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { ALL_ROLES, ROLES, type Role, type Roles } from '../config/roles.js';

/** The metrics that belong to one role; the others are every process's. */
const ROLE_OF_METRIC: Record<string, Role> = {
  timeline_appended_events_total: 'api',
  timeline_append_requests_total: 'api',
  timeline_relay_published_position: 'relay',
  timeline_relay_lag_events: 'relay',
  timeline_relay_active: 'relay',
  timeline_relay_published_events_total: 'relay',
  timeline_relay_pages_from_memory_total: 'relay',
  timeline_projector_position: 'projector',
  timeline_projector_lag_events: 'projector',
  timeline_dlq_messages_total: 'projector',
  timeline_sse_clients: 'gateway',
  timeline_sse_slow_client_closures_total: 'gateway',
  timeline_gateway_position: 'gateway',
};

/**
 * Prometheus metrics of one process, served at `/metrics`: the process's own (CPU, memory, event
 * loop), the store head, `timeline_role{role}` for each role it runs, and the metrics of those roles
 * only (a gateway does not report a relay lag it knows nothing about).
 */
export class TimelineMetrics {
  readonly registry = new Registry();
  private readonly collectors: Array<() => Promise<unknown>> = [];
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
  readonly relayPagesFromMemory = new Counter({
    name: 'timeline_relay_pages_from_memory_total',
    help: 'Pages the relay took from the events this process appended instead of reading the store',
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

  readonly gatewayPosition = new Gauge({
    name: 'timeline_gateway_position',
    help: 'Highest log position the live feed has delivered in order',
    registers: [this.registry],
  });
  readonly role = new Gauge({
    name: 'timeline_role',
    help: 'The roles this process runs (TIMELINE_ROLES): 1 per role',
    labelNames: ['role'] as const,
    registers: [this.registry],
  });

  constructor(roles: Roles = ALL_ROLES) {
    collectDefaultMetrics({ register: this.registry, prefix: 'timeline_' });
    for (const role of ROLES) if (roles.has(role)) this.role.set({ role }, 1);
    for (const [name, role] of Object.entries(ROLE_OF_METRIC))
      if (!roles.has(role)) this.registry.removeSingleMetric(name);
  }

  /** `sample` runs before each scrape (a role reads its lag then); its failure leaves the last values. */
  onScrape(sample: () => Promise<unknown>): void {
    this.collectors.push(sample);
  }

  /** The text exposition, after every role sampled what it reports. */
  async scrape(): Promise<string> {
    await Promise.all(this.collectors.map((sample) => sample().catch(() => undefined)));
    return this.registry.metrics();
  }
}
