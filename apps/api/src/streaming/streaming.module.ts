import {
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { hostname } from 'node:os';
import { type AppConfig, CONFIG } from '../config/config.js';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port.js';
import type { SqlClient } from '../event-store/sql-client.js';
import { ReadinessRegistry } from '../health/readiness.js';
import { GetTimelineController } from '../timeline/get-timeline/get-timeline.http.controller.js';
import { GetTimelineHandler } from '../timeline/get-timeline/get-timeline.handler.js';
import type { Logger as StreamingLogger } from './logger.js';
import { TimelineMetrics } from './metrics.js';
import { MetricsController } from './metrics.http.controller.js';
import { StreamController } from './stream.http.controller.js';
import { Streaming } from './streaming.js';
import { METRICS, SQL_CLIENT, STREAMING } from './tokens.js';

function nestLogger(context: string): StreamingLogger {
  const logger = new Logger(context);
  return {
    log: (m) => logger.log(m),
    warn: (m) => logger.warn(m),
    error: (m) => logger.error(m),
  };
}

@Global()
@Module({
  imports: [CqrsModule],
  controllers: [GetTimelineController, StreamController, MetricsController],
  providers: [
    { provide: METRICS, useFactory: () => new TimelineMetrics() },
    {
      provide: STREAMING,
      inject: [SQL_CLIENT, EVENT_STORE, CONFIG, METRICS],
      useFactory: (sql: SqlClient, store: EventStore, config: AppConfig, metrics: TimelineMetrics) =>
        new Streaming(
          sql,
          store,
          {
            brokers: config.kafka.brokers,
            topicPrefix: config.kafka.topicPrefix,
            partitions: config.kafka.partitions,
            clientId: `timeline-api-${hostname()}-${process.pid}`,
          },
          nestLogger('Streaming'),
          metrics,
        ),
    },
    GetTimelineHandler,
  ],
  exports: [STREAMING, METRICS],
})
export class StreamingModule implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(STREAMING) private readonly streaming: Streaming,
    @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register({
      name: 'kafka',
      check: async () => {
        const lag = await this.streaming.lag();
        return {
          ok: this.streaming.ready,
          detail: { consumers: this.streaming.ready ? 'running' : 'starting', ...lag },
        };
      },
    });
  }

  onApplicationBootstrap(): void {
    this.streaming.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.streaming.stop();
  }
}
