import {
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
import type { TimelineMetrics } from './metrics.js';
import type { OutboxRelay } from './relay.js';
import { RelayRole } from './relay-role.js';
import { ENSURE_TOPICS, METRICS, OUTBOX_RELAY, RELAY_ROLE } from './streaming.tokens.js';

/** The `relay` role (relay-role.ts): no routes; `relay` in readiness, the relay's gauges in /metrics. */
@Module({})
export class RelayModule implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
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

  async onApplicationShutdown(): Promise<void> {
    // Writes the checkpoint and releases the lock: a standby takes over without republishing.
    await this.role.stop();
  }
}
