import {
  type DynamicModule,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { hostname } from 'node:os';
import { topicNames } from '@timeline/shared-types';
import type { AppConfig } from '../config/config.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { EVENT_STORE, SQL_CLIENT } from '../event-store/event-store.tokens.js';
import type { SqlClient } from '../event-store/sql-client.js';
import { ReadinessRegistry } from '../health/readiness.js';
import { CONFIG } from '../infrastructure/infrastructure.tokens.js';
import { TIMELINE_READ_MODEL } from '../read-model/read-model.tokens.js';
import type { TimelineReadModel } from '../read-model/timeline-read-model.js';
import { createKafka } from './kafka.js';
import type { Logger as StreamingLogger } from './logger.js';
import { TimelineMetrics } from './metrics.js';
import { MetricsController } from './metrics.http.controller.js';
import { StreamController } from './stream.http.controller.js';
import { Streaming } from './streaming.js';
import { OpenStreams, SseAdmission } from './sse-admission.js';
import {
  EVENT_TOPICS,
  KAFKA,
  LIVE_FEED,
  METRICS,
  OPEN_STREAMS,
  SSE_ADMISSION,
  STREAMING,
} from './streaming.tokens.js';
import type { Kafka } from 'kafkajs';

function nestLogger(context: string): StreamingLogger {
  const logger = new Logger(context);
  return {
    log: (m) => logger.log(m),
    warn: (m) => logger.warn(m),
    error: (m) => logger.error(m),
  };
}

/**
 * The relay (store → Kafka), the projector (Kafka → read model), the live feed and `GET /api/stream`
 * (SSE), and `GET /metrics`. Exports the Kafka client and the topic names (the rebuild reads the topic).
 */
@Module({})
export class StreamingModule implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  static register(imports: {
    infrastructure: DynamicModule;
    readModel: DynamicModule;
    health: DynamicModule;
  }): DynamicModule {
    return {
      module: StreamingModule,
      imports: [imports.infrastructure, imports.readModel, imports.health],
      controllers: [StreamController, MetricsController],
      providers: [
        { provide: METRICS, useFactory: () => new TimelineMetrics() },
        { provide: OPEN_STREAMS, useFactory: () => new OpenStreams() },
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
          provide: KAFKA,
          inject: [CONFIG],
          useFactory: (config: AppConfig) =>
            createKafka({
              brokers: config.kafka.brokers,
              clientId: `timeline-api-${hostname()}-${process.pid}`,
              logLevel: config.kafka.clientLogLevel,
            }),
        },
        {
          provide: EVENT_TOPICS,
          inject: [CONFIG],
          useFactory: (config: AppConfig) => topicNames(config.kafka.topicPrefix),
        },
        {
          provide: STREAMING,
          inject: [EVENT_STORE, SQL_CLIENT, KAFKA, TIMELINE_READ_MODEL, CONFIG, METRICS],
          useFactory: (
            store: EventStore,
            sql: SqlClient,
            kafka: Kafka,
            readModel: TimelineReadModel,
            config: AppConfig,
            metrics: TimelineMetrics,
          ) =>
            new Streaming(
              store,
              { sql, kafka, readModel },
              {
                topicPrefix: config.kafka.topicPrefix,
                partitions: config.kafka.partitions,
                projectorMaxAttempts: config.limits.projectorMaxAttempts,
                liveFeedMaxPending: config.limits.liveFeedMaxPending,
                gapFillPage: config.limits.gapFillPage,
                relayLockCheckMs: config.limits.relayLockCheckMs,
              },
              nestLogger('Streaming'),
              metrics,
            ),
        },
        // The feed is made by Streaming, which restarts it with the projector when a consumer gives up.
        { provide: LIVE_FEED, inject: [STREAMING], useFactory: (streaming: Streaming) => streaming.feed },
      ],
      exports: [KAFKA, EVENT_TOPICS, OPEN_STREAMS],
    };
  }

  constructor(
    @Inject(STREAMING) private readonly streaming: Streaming,
    @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register(this.streaming.readinessCheck());
  }

  onApplicationBootstrap(): void {
    this.streaming.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.streaming.stop();
  }
}
