import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Inject,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { topicNames } from '@timeline/shared-types';
import type { AppConfig } from '../config/config.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { EVENT_STORE } from '../event-store/event-store.tokens.js';
import { ReadinessRegistry } from '../health/readiness.js';
import { CONFIG, METRICS } from '../infrastructure/infrastructure.tokens.js';
import { GatewayRole } from './gateway-role.js';
import { nestLogger } from './logger.js';
import type { TimelineMetrics } from '../infrastructure/metrics.js';
import type { OutboxRelay } from './relay.js';
import { SseAdmission } from './sse-admission.js';
import { StreamController } from './stream.http.controller.js';
import {
  ENSURE_TOPICS,
  EVENT_TOPICS,
  GATEWAY_ROLE,
  KAFKA,
  LIVE_FEED,
  OUTBOX_RELAY,
  SSE_ADMISSION,
} from './streaming.tokens.js';

/** The `gateway` role (gateway-role.ts): `GET /api/stream`; `gateway` in readiness, SSE clients in /metrics. */
@Module({})
export class GatewayModule
  implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown, BeforeApplicationShutdown
{
  private stopping: Promise<void> | undefined;

  static register(imports: {
    infrastructure: DynamicModule;
    streaming: DynamicModule;
    health: DynamicModule;
  }): DynamicModule {
    return {
      module: GatewayModule,
      imports: [imports.infrastructure, imports.streaming, imports.health],
      controllers: [StreamController],
      providers: [
        {
          provide: SSE_ADMISSION,
          inject: [CONFIG],
          useFactory: (config: AppConfig) =>
            new SseAdmission({
              perAddress: config.limits.sseMaxPerAddress,
              total: config.limits.sseMaxClients,
            }),
        },
        {
          provide: GATEWAY_ROLE,
          inject: [KAFKA, EVENT_STORE, EVENT_TOPICS, OUTBOX_RELAY, ENSURE_TOPICS, CONFIG, METRICS],
          useFactory: (
            kafka: Kafka,
            store: EventStore,
            topics: ReturnType<typeof topicNames>,
            relay: OutboxRelay,
            ensureTopics: () => Promise<unknown>,
            config: AppConfig,
            metrics: TimelineMetrics,
          ) =>
            new GatewayRole(
              kafka,
              store,
              {
                topic: topics.events,
                gapTimeoutMs: 500,
                maxPending: config.limits.liveFeedMaxPending,
                gapFillPage: config.limits.gapFillPage,
                handOverMs: config.sse.batchMs,
                // In memory when this process relays, else the checkpoint the active relay stored.
                publishedHead: () => relay.checkpoint(),
              },
              ensureTopics,
              nestLogger('Gateway'),
              metrics,
            ),
        },
        { provide: LIVE_FEED, inject: [GATEWAY_ROLE], useFactory: (role: GatewayRole) => role.feed },
      ],
    };
  }

  constructor(
    @Inject(GATEWAY_ROLE) private readonly role: GatewayRole,
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
    await (this.stopping ?? this.role.stop());
  }
}
