import { type DynamicModule, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { hostname } from 'node:os';
import { topicNames } from '@timeline/shared-types';
import type { Kafka } from 'kafkajs';
import type { AppConfig } from '../config/config.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { EVENT_STORE, SQL_CLIENT } from '../event-store/event-store.tokens.js';
import type { SqlClient } from '../event-store/sql-client.js';
import { CONFIG, METRICS } from '../infrastructure/infrastructure.tokens.js';
import { createKafka, topicMaker } from './kafka.js';
import { nestLogger } from './logger.js';
import type { TimelineMetrics } from '../infrastructure/metrics.js';
import { MetricsController } from './metrics.http.controller.js';
import { OpenStreams } from './sse-admission.js';
import { outboxRelay } from './streaming.js';
import { ENSURE_TOPICS, EVENT_TOPICS, KAFKA, OPEN_STREAMS, OUTBOX_RELAY } from './streaming.tokens.js';

/**
 * What every process has, whatever its roles: the Kafka client and the topic names (the api role's
 * rebuild and dead-letter routes use them too), `GET /metrics` (the metrics themselves are the
 * infrastructure's, so the append path counts into them too), the open streams
 * main.ts ends on shutdown, and the relay's checkpoint (read by the gateway, run by the relay role).
 * The roles are modules of their own: relay.module.ts, projector.module.ts, gateway.module.ts.
 */
@Module({})
export class StreamingModule implements OnModuleInit {
  static register(infrastructure: DynamicModule): DynamicModule {
    return {
      module: StreamingModule,
      imports: [infrastructure],
      controllers: [MetricsController],
      providers: [
        { provide: OPEN_STREAMS, useFactory: () => new OpenStreams() },
        {
          provide: KAFKA,
          inject: [CONFIG],
          useFactory: (config: AppConfig) =>
            createKafka({
              brokers: config.kafka.brokers,
              clientId: `timeline-${hostname()}-${process.pid}`,
              logLevel: config.kafka.clientLogLevel,
            }),
        },
        {
          provide: EVENT_TOPICS,
          inject: [CONFIG],
          useFactory: (config: AppConfig) => topicNames(config.kafka.topicPrefix),
        },
        {
          provide: ENSURE_TOPICS,
          inject: [KAFKA, CONFIG],
          useFactory: (kafka: Kafka, config: AppConfig) =>
            topicMaker(kafka, config.kafka.topicPrefix, config.kafka.partitions),
        },
        {
          provide: OUTBOX_RELAY,
          inject: [SQL_CLIENT, EVENT_STORE, KAFKA, CONFIG, METRICS],
          useFactory: (
            sql: SqlClient,
            store: EventStore,
            kafka: Kafka,
            config: AppConfig,
            metrics: TimelineMetrics,
          ) =>
            outboxRelay(
              sql,
              store,
              kafka,
              { topicPrefix: config.kafka.topicPrefix, relayLockCheckMs: config.limits.relayLockCheckMs },
              nestLogger('Relay'),
              metrics,
            ),
        },
      ],
      exports: [KAFKA, EVENT_TOPICS, ENSURE_TOPICS, OPEN_STREAMS, OUTBOX_RELAY],
    };
  }

  constructor(
    @Inject(METRICS) private readonly metrics: TimelineMetrics,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  onModuleInit(): void {
    this.metrics.onScrape(async () => this.metrics.storeHead.set(await this.store.head()));
  }
}
