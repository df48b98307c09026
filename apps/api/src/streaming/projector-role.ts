import type { Kafka } from 'kafkajs';
import type { EventStore } from '../event-store/event-store.port.js';
import type { SqlClient } from '../event-store/sql-client.js';
import type { ReadinessCheck } from '../health/readiness.js';
import type { TimelineReadModel } from '../read-model/timeline-read-model.js';
import { ConsumerLifecycle } from './consumer-lifecycle.js';
import type { Logger } from './logger.js';
import type { TimelineMetrics } from '../infrastructure/metrics.js';
import { TimelineProjector } from './projector.js';

export interface ProjectorRoleSettings {
  topic: string;
  deadLetterTopic: string;
  groupId: string;
  maxAttempts?: number;
}

/**
 * The `projector` role: Kafka → the timeline read model. Every process running it joins one consumer
 * group, so the topic's partitions are shared out among them; the fold's order guarantees across
 * processes are in docs/architecture.md ("Projector idempotency").
 */
export class ProjectorRole {
  readonly projector: TimelineProjector;
  private readonly consumer: ConsumerLifecycle;
  private readonly store: EventStore;
  private readonly readModel: TimelineReadModel;

  constructor(
    deps: { kafka: Kafka; sql: SqlClient; store: EventStore; readModel: TimelineReadModel },
    settings: ProjectorRoleSettings,
    ensureTopics: () => Promise<unknown>,
    log: Logger,
    private readonly metrics?: TimelineMetrics,
  ) {
    this.store = deps.store;
    this.readModel = deps.readModel;
    this.projector = new TimelineProjector(
      deps.kafka,
      deps.sql,
      deps.readModel,
      {
        topic: settings.topic,
        deadLetterTopic: settings.deadLetterTopic,
        groupId: settings.groupId,
        ...(settings.maxAttempts === undefined ? {} : { maxAttempts: settings.maxAttempts }),
      },
      log,
      metrics,
      (error) => this.consumer.restart(error),
    );
    this.consumer = new ConsumerLifecycle('projector', () => this.projector, ensureTopics, log);
  }

  get ready(): boolean {
    return this.consumer.ready;
  }

  start(): void {
    this.consumer.start();
  }

  whenReady(timeoutMs?: number): Promise<void> {
    return this.consumer.whenReady(timeoutMs);
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  /** `projector` in `/api/health/ready`: ready once its consumer runs; the lag as detail. */
  readinessCheck(): ReadinessCheck {
    return {
      name: 'projector',
      check: async () => {
        const { head, projected } = await this.sample();
        return {
          ok: this.ready,
          detail: { consumer: this.ready ? 'running' : 'starting', head, projected, lag: head - projected },
        };
      },
    };
  }

  /** Head and watermark, into the metrics. */
  async sample(): Promise<{ head: number; projected: number }> {
    const [head, projected] = await Promise.all([this.store.head(), this.readModel.watermark()]);
    this.metrics?.storeHead.set(head);
    this.metrics?.projectorPosition.set(projected);
    this.metrics?.projectorLag.set(Math.max(0, head - projected));
    return { head, projected };
  }
}
