import { topicNames } from '@timeline/shared-types';
import type { Kafka } from 'kafkajs';
import type { EventStore } from '../event-store/event-store.port.js';
import type { SqlClient } from '../event-store/sql-client.js';
import type { TimelineReadModel } from '../read-model/timeline-read-model.js';
import { GatewayRole } from './gateway-role.js';
import { topicMaker } from './kafka.js';
import type { LiveFeed } from './live-feed.js';
import type { Logger } from './logger.js';
import type { TimelineMetrics } from '../infrastructure/metrics.js';
import { ProjectorRole } from './projector-role.js';
import type { TimelineProjector } from './projector.js';
import { OutboxRelay } from './relay.js';
import { RelayRole } from './relay-role.js';

export interface StreamingSettings {
  topicPrefix: string;
  partitions: number;
  projectorGroupId?: string;
  gapTimeoutMs?: number;
  projectorMaxAttempts?: number;
  liveFeedMaxPending?: number;
  gapFillPage?: number;
  relayLockCheckMs?: number;
}

/** What streaming works on, made by its callers: the store's SQL client, the Kafka client and the read model it projects into. */
export interface StreamingParts {
  sql: SqlClient;
  kafka: Kafka;
  readModel: TimelineReadModel;
}

/** The projector's consumer group: one per topic prefix, shared by every projector process. */
export function projectorGroupId(topicPrefix: string): string {
  return `${topicPrefix}timeline-projector`;
}

/** The relay over the store and the topic: every role module reads its checkpoint, the relay role runs it. */
export function outboxRelay(
  sql: SqlClient,
  store: EventStore,
  kafka: Kafka,
  settings: Pick<StreamingSettings, 'topicPrefix' | 'relayLockCheckMs'>,
  log: Logger,
  metrics?: TimelineMetrics,
): OutboxRelay {
  return new OutboxRelay(
    sql,
    store,
    kafka,
    {
      topic: topicNames(settings.topicPrefix).events,
      ...(settings.relayLockCheckMs === undefined ? {} : { lockCheckMs: settings.relayLockCheckMs }),
    },
    log,
    metrics,
  );
}

/**
 * The three streaming roles in one object, as one process running them all has them: the relay
 * (store → Kafka), the projector (Kafka → read model) and the gateway's live feed (Kafka → SSE
 * clients, in total order). The server composes the roles as Nest modules (relay.module.ts,
 * projector.module.ts, gateway.module.ts); this is for code that wants them without Nest (tests,
 * benchmarks). Starts without waiting for the broker.
 */
export class Streaming {
  readonly kafka: Kafka;
  readonly readModel: TimelineReadModel;
  readonly relay: OutboxRelay;
  readonly projector: TimelineProjector;
  readonly feed: LiveFeed;
  readonly topics: { events: string; deadLetters: string };
  readonly roles: { relay: RelayRole; projector: ProjectorRole; gateway: GatewayRole };

  constructor(
    store: EventStore,
    { sql, kafka, readModel }: StreamingParts,
    settings: StreamingSettings,
    log: Logger,
    readonly metrics?: TimelineMetrics,
  ) {
    this.kafka = kafka;
    this.topics = topicNames(settings.topicPrefix);
    this.readModel = readModel;
    const topics = topicMaker(kafka, settings.topicPrefix, settings.partitions);
    this.relay = outboxRelay(sql, store, kafka, settings, log, metrics);
    const projector = new ProjectorRole(
      { kafka, sql, store, readModel },
      {
        topic: this.topics.events,
        deadLetterTopic: this.topics.deadLetters,
        groupId: settings.projectorGroupId ?? projectorGroupId(settings.topicPrefix),
        ...(settings.projectorMaxAttempts === undefined
          ? {}
          : { maxAttempts: settings.projectorMaxAttempts }),
      },
      topics,
      log,
      metrics,
    );
    const gateway = new GatewayRole(
      kafka,
      store,
      {
        topic: this.topics.events,
        gapTimeoutMs: settings.gapTimeoutMs ?? 500,
        ...(settings.liveFeedMaxPending === undefined ? {} : { maxPending: settings.liveFeedMaxPending }),
        ...(settings.gapFillPage === undefined ? {} : { gapFillPage: settings.gapFillPage }),
        publishedHead: () => this.relay.checkpoint(),
      },
      topics,
      log,
      metrics,
    );
    this.roles = { relay: new RelayRole(this.relay, store, topics, log, metrics), projector, gateway };
    this.projector = projector.projector;
    this.feed = gateway.feed;
  }

  /** Whether the consumers are running. */
  get ready(): boolean {
    return this.roles.projector.ready && this.roles.gateway.ready;
  }

  /** Starts the relay at once and the Kafka consumers in the background, retrying until the broker answers. */
  start(): void {
    this.roles.relay.start();
    this.roles.projector.start();
    this.roles.gateway.start();
  }

  /** Resolves once the consumers run (tests wait on it). */
  async whenReady(timeoutMs = 60_000): Promise<void> {
    await Promise.all([this.roles.projector.whenReady(timeoutMs), this.roles.gateway.whenReady(timeoutMs)]);
  }

  async stop(): Promise<void> {
    await Promise.all([this.roles.relay.stop(), this.roles.projector.stop(), this.roles.gateway.stop()]);
  }

  /** Store head, what the relay published and what the projector applied. */
  async lag(): Promise<{ head: number; published: number; projected: number }> {
    const [{ head, published }, { projected }] = await Promise.all([
      this.roles.relay.sample(),
      this.roles.projector.sample(),
    ]);
    return { head, published, projected };
  }
}
