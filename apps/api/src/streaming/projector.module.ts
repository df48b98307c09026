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
import { EVENT_STORE, SQL_CLIENT } from '../event-store/event-store.tokens.js';
import type { SqlClient } from '../event-store/sql-client.js';
import { ReadinessRegistry } from '../health/readiness.js';
import { CONFIG, METRICS } from '../infrastructure/infrastructure.tokens.js';
import { TIMELINE_READ_MODEL } from '../read-model/read-model.tokens.js';
import type { TimelineReadModel } from '../read-model/timeline-read-model.js';
import { nestLogger } from './logger.js';
import type { TimelineMetrics } from '../infrastructure/metrics.js';
import { ProjectorRole } from './projector-role.js';
import { projectorGroupId } from './streaming.js';
import { ENSURE_TOPICS, EVENT_TOPICS, KAFKA, PROJECTOR_ROLE } from './streaming.tokens.js';

/** The `projector` role (projector-role.ts): no routes; `projector` in readiness, its lag in /metrics. */
@Module({})
export class ProjectorModule
  implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown, BeforeApplicationShutdown
{
  private stopping: Promise<void> | undefined;

  static register(imports: {
    infrastructure: DynamicModule;
    streaming: DynamicModule;
    readModel: DynamicModule;
    health: DynamicModule;
  }): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [imports.infrastructure, imports.streaming, imports.readModel, imports.health],
      providers: [
        {
          provide: PROJECTOR_ROLE,
          inject: [
            KAFKA,
            SQL_CLIENT,
            EVENT_STORE,
            TIMELINE_READ_MODEL,
            EVENT_TOPICS,
            ENSURE_TOPICS,
            CONFIG,
            METRICS,
          ],
          useFactory: (
            kafka: Kafka,
            sql: SqlClient,
            store: EventStore,
            readModel: TimelineReadModel,
            topics: ReturnType<typeof topicNames>,
            ensureTopics: () => Promise<unknown>,
            config: AppConfig,
            metrics: TimelineMetrics,
          ) =>
            new ProjectorRole(
              { kafka, sql, store, readModel },
              {
                topic: topics.events,
                deadLetterTopic: topics.deadLetters,
                groupId: projectorGroupId(config.kafka.topicPrefix),
                maxAttempts: config.limits.projectorMaxAttempts,
              },
              ensureTopics,
              nestLogger('Projector'),
              metrics,
            ),
        },
      ],
    };
  }

  constructor(
    @Inject(PROJECTOR_ROLE) private readonly role: ProjectorRole,
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
    // Leaves the group: the other projectors take its partitions at once.
    await (this.stopping ?? this.role.stop());
  }
}
