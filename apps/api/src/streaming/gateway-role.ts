import type { Kafka } from 'kafkajs';
import type { EventStore } from '../event-store/event-store.port.js';
import type { ReadinessCheck } from '../health/readiness.js';
import { ConsumerLifecycle } from './consumer-lifecycle.js';
import { LiveFeed, type LiveFeedOptions } from './live-feed.js';
import type { Logger } from './logger.js';
import type { TimelineMetrics } from '../infrastructure/metrics.js';

/**
 * The `gateway` role: live delivery. Its live feed consumes the whole topic under a consumer group of
 * its own (every replica sees every event) and restores the log's total order by position; the SSE
 * sessions of `GET /api/stream` catch up from the store, then follow it. Positions are the log's, not
 * the replica's, so a client may resume on any replica with Last-Event-ID.
 */
export class GatewayRole {
  readonly feed: LiveFeed;
  private readonly consumer: ConsumerLifecycle;

  constructor(
    kafka: Kafka,
    private readonly store: EventStore,
    options: LiveFeedOptions,
    ensureTopics: () => Promise<unknown>,
    log: Logger,
    private readonly metrics?: TimelineMetrics,
  ) {
    this.feed = new LiveFeed(kafka, store, options, log, (error) => this.consumer.restart(error));
    this.consumer = new ConsumerLifecycle('gateway', () => this.feed, ensureTopics, log);
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

  /** `gateway` in `/api/health/ready`: ready once the live feed consumes; how far it has delivered. */
  readinessCheck(): ReadinessCheck {
    return {
      name: 'gateway',
      check: async () => {
        const { head, delivered } = await this.sample();
        return {
          ok: this.ready,
          detail: { feed: this.ready ? 'running' : 'starting', head, delivered },
        };
      },
    };
  }

  async sample(): Promise<{ head: number; delivered: number }> {
    const head = await this.store.head();
    const delivered = this.feed.position;
    this.metrics?.storeHead.set(head);
    this.metrics?.gatewayPosition.set(delivered);
    return { head, delivered };
  }
}
