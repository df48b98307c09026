import { topicNames } from '@timeline/shared-types';
import type { Kafka } from 'kafkajs';
import type { EventStore } from '../event-store/event-store.port.js';
import type { SqlClient } from '../event-store/sql-client.js';
import type { ReadinessCheck } from '../health/readiness.js';
import type { TimelineReadModel } from '../read-model/timeline-read-model.js';
import { DecodedMessages } from './decoded-messages.js';
import { ensureTopics } from './kafka.js';
import { LiveFeed } from './live-feed.js';
import type { Logger } from './logger.js';
import type { TimelineMetrics } from './metrics.js';
import { TimelineProjector } from './projector.js';
import { OutboxRelay } from './relay.js';

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

/**
 * Everything between the store and the subscribers: the relay (store → Kafka), the projector (Kafka →
 * read model) and the live feed (Kafka → SSE clients, in total order). Starts without waiting for the
 * broker: if Kafka is down, appends still succeed (the store is the outbox) and the parts connect when
 * it comes back.
 */
export class Streaming {
  readonly kafka: Kafka;
  readonly readModel: TimelineReadModel;
  readonly relay: OutboxRelay;
  readonly projector: TimelineProjector;
  readonly feed: LiveFeed;
  readonly topics: { events: string; deadLetters: string };
  private started = false;
  private stopped = false;
  private startup: Promise<void> | undefined;
  private kafkaReady = false;
  private restarting = false;

  constructor(
    private readonly store: EventStore,
    { sql, kafka, readModel }: StreamingParts,
    private readonly settings: StreamingSettings,
    private readonly log: Logger,
    readonly metrics?: TimelineMetrics,
  ) {
    this.kafka = kafka;
    this.topics = topicNames(settings.topicPrefix);
    this.readModel = readModel;
    // The projector and the feed read the same messages here: each is decoded once for both.
    const { decode } = new DecodedMessages();
    this.relay = new OutboxRelay(
      sql,
      store,
      this.kafka,
      {
        topic: this.topics.events,
        ...(settings.relayLockCheckMs === undefined ? {} : { lockCheckMs: settings.relayLockCheckMs }),
      },
      log,
      metrics,
    );
    this.projector = new TimelineProjector(
      this.kafka,
      sql,
      this.readModel,
      {
        topic: this.topics.events,
        deadLetterTopic: this.topics.deadLetters,
        decode,
        groupId: settings.projectorGroupId ?? `${settings.topicPrefix}timeline-projector`,
        ...(settings.projectorMaxAttempts === undefined
          ? {}
          : { maxAttempts: settings.projectorMaxAttempts }),
      },
      log,
      metrics,
      (error) => this.restartConsumers(error),
    );
    this.feed = new LiveFeed(
      this.kafka,
      store,
      {
        topic: this.topics.events,
        gapTimeoutMs: settings.gapTimeoutMs ?? 500,
        decode,
        ...(settings.liveFeedMaxPending === undefined ? {} : { maxPending: settings.liveFeedMaxPending }),
        ...(settings.gapFillPage === undefined ? {} : { gapFillPage: settings.gapFillPage }),
        publishedHead: () => this.relay.checkpoint(),
      },
      log,
      (error) => this.restartConsumers(error),
    );
  }

  /** `kafka` in `GET /api/health/ready`: ready once the consumers run, with the lag as detail. */
  readinessCheck(): ReadinessCheck {
    return {
      name: 'kafka',
      check: async () => {
        const lag = await this.lag();
        return { ok: this.ready, detail: { consumers: this.ready ? 'running' : 'starting', ...lag } };
      },
    };
  }

  /** Whether the topics exist and the consumers are running (readiness). */
  get ready(): boolean {
    return this.kafkaReady;
  }

  /** Starts the relay at once and the Kafka consumers in the background, retrying until the broker answers. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.relay.start();
    this.startup = this.startConsumers();
  }

  /** Resolves once the consumers run (tests wait on it). */
  async whenReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.kafkaReady) {
      if (Date.now() > deadline)
        throw new Error('Kafka consumers did not start in time: is the broker up? (pnpm infra:up)');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** A consumer gave up (e.g. the broker was gone too long): stop both and start again until Kafka answers. */
  private restartConsumers(error: Error): void {
    if (this.stopped || this.restarting) return;
    this.restarting = true;
    this.kafkaReady = false;
    this.log.warn({
      msg: 'streaming: a Kafka consumer stopped; restarting the consumers',
      error: String(error),
    });
    this.startup = (async () => {
      await Promise.all([this.projector.stop(), this.feed.stop()]);
      await this.startConsumers();
    })().finally(() => {
      this.restarting = false;
    });
  }

  private async startConsumers(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      try {
        await ensureTopics(this.kafka, this.settings.topicPrefix, this.settings.partitions);
        await this.projector.start();
        await this.feed.start();
        this.kafkaReady = true;
        this.log.log({ msg: 'streaming: Kafka consumers running', topic: this.topics.events });
        return;
      } catch (error) {
        attempt += 1;
        this.log.warn({
          msg: 'streaming: Kafka not reachable yet; retrying (start it with `pnpm infra:up`)',
          attempt,
          error: String(error),
        });
        await this.projector.stop();
        await this.feed.stop();
        await new Promise((r) => setTimeout(r, Math.min(5_000, 500 * attempt)));
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.startup?.catch(() => undefined);
    await Promise.all([this.relay.stop(), this.projector.stop(), this.feed.stop()]);
  }

  /** Store head minus what the relay published and what the projector applied. */
  async lag(): Promise<{ head: number; published: number; projected: number }> {
    const [head, published, projected] = await Promise.all([
      this.store.head(),
      this.relay.checkpoint(),
      this.readModel.watermark(),
    ]);
    this.metrics?.storeHead.set(head);
    this.metrics?.relayLag.set(Math.max(0, head - published));
    this.metrics?.projectorLag.set(Math.max(0, head - projected));
    this.metrics?.projectorPosition.set(projected);
    return { head, published, projected };
  }
}
