import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Inject,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { EventStore } from '../event-store/event-store.port.js';
import { EVENT_STORE } from '../event-store/event-store.tokens.js';
import { ReadinessRegistry } from '../health/readiness.js';
import { nestLogger } from './logger.js';
import type { TimelineMetrics } from '../infrastructure/metrics.js';
import type { OutboxRelay } from './relay.js';
import { RelayRole } from './relay-role.js';
import { METRICS } from '../infrastructure/infrastructure.tokens.js';
import { ENSURE_TOPICS, OUTBOX_RELAY, RELAY_ROLE } from './streaming.tokens.js';

/** The `relay` role (relay-role.ts): no routes; `relay` in readiness, the relay's gauges in /metrics. */
@Module({})
export class RelayModule
  implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown, BeforeApplicationShutdown
{
  private stopping: Promise<void> | undefined;

  static register(imports: {
    infrastructure: DynamicModule;
    streaming: DynamicModule;
    health: DynamicModule;
  }): DynamicModule {
    return {
      module: RelayModule,
      imports: [imports.infrastructure, imports.streaming, imports.health],
      providers: [
        {
          provide: RELAY_ROLE,
          inject: [OUTBOX_RELAY, EVENT_STORE, ENSURE_TOPICS, METRICS],
          useFactory: (
            relay: OutboxRelay,
            store: EventStore,
            ensureTopics: () => Promise<unknown>,
            metrics: TimelineMetrics,
          ) => new RelayRole(relay, store, ensureTopics, nestLogger('Relay'), metrics),
        },
      ],
    };
  }

  constructor(
    @Inject(RELAY_ROLE) private readonly role: RelayRole,
    @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry,
    @Inject(METRICS) private readonly metrics: TimelineMetrics,
  ) {}

  onModuleInit(): void {
    this.readiness.register(this.role.readinessCheck());
    this.metrics.onScrape(() => this.role.sample());
  }

  onApplicationBootstrap(): void {
    this.role.start();
  }

  /**
   * Nest runs each module's shutdown hooks one after the other: the roles start stopping here, side
   * by side (each leaves its Kafka group or writes its checkpoint), and are awaited below.
   */
  beforeApplicationShutdown(): void {
    this.stopping = this.role.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    // Writes the checkpoint and releases the lock: a standby takes over without republishing.
    await (this.stopping ?? this.role.stop());
  }
}
