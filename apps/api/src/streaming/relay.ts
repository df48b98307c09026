import { encodeKafkaMessage } from '@timeline/shared-types';
import type { Kafka, Producer } from 'kafkajs';
import type { EventStore } from '../event-store/event-store.port.js';
import type { LockHandle, SqlClient } from '../event-store/sql-client.js';
import type { Logger } from './logger.js';
import type { TimelineMetrics } from './metrics.js';

/** The advisory lock key that makes one relay active among many API instances. */
export const RELAY_LOCK_KEY = 7_140_002;

export interface RelayOptions {
  topic: string;
  /** Checkpoint row name; one per topic. */
  name?: string;
  batchSize?: number;
  pollIntervalMs?: number;
  lockRetryMs?: number;
}

/**
 * Publishes the events table to Kafka in position order (the table is the outbox). The checkpoint is
 * stored only after Kafka acknowledged, so a crash republishes at most one batch (duplicates on the
 * topic, never a gap); the idempotent producer removes the duplicates of its own retries.
 */
export class OutboxRelay {
  private producer: Producer | undefined;
  private lock: LockHandle | null = null;
  private stopping = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private readonly name: string;

  constructor(
    private readonly sql: SqlClient,
    private readonly store: EventStore,
    private readonly kafka: Kafka,
    private readonly options: RelayOptions,
    private readonly log: Logger,
    private readonly metrics?: TimelineMetrics,
  ) {
    this.name = options.name ?? options.topic;
  }

  get active(): boolean {
    return this.lock !== null;
  }

  start(): void {
    this.stopping = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    await this.unlisten?.().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    await this.lock?.release();
    this.lock = null;
    this.metrics?.relayActive.set(0);
  }

  async checkpoint(): Promise<number> {
    const { rows } = await this.sql.query<{ position: number }>(
      'SELECT position FROM relay_checkpoints WHERE name = $1',
      [this.name],
    );
    return rows[0]?.position ?? 0;
  }

  private async run(): Promise<void> {
    this.unlisten = await this.store.onAppended(() => this.wake?.()).catch(() => undefined);
    while (!this.stopping) {
      try {
        if (!this.lock) {
          this.lock = await this.sql.tryLock(RELAY_LOCK_KEY);
          if (!this.lock) {
            this.metrics?.relayActive.set(0);
            await this.sleep(this.options.lockRetryMs ?? 2_000);
            continue;
          }
          this.log.log({
            msg: 'relay active: this instance holds the relay lock',
            topic: this.options.topic,
          });
          this.metrics?.relayActive.set(1);
          this.lock.lost.then(() => {
            this.log.warn({ msg: 'relay lock connection lost; standing down' });
            this.lock = null;
            this.wake?.();
          });
        }
        const published = await this.publishAvailable();
        if (!published) await this.sleep(this.options.pollIntervalMs ?? 1_000);
      } catch (error) {
        this.log.warn({ msg: 'relay iteration failed; retrying', error: String(error) });
        await this.producer?.disconnect().catch(() => undefined);
        this.producer = undefined;
        await this.sleep(1_000);
      }
    }
  }

  /** Publishes one batch after the checkpoint. Returns whether anything was published. */
  private async publishAvailable(): Promise<boolean> {
    const from = await this.checkpoint();
    const head = await this.store.head();
    this.metrics?.storeHead.set(head);
    this.metrics?.relayPublished.set(from);
    this.metrics?.relayLag.set(head - from);
    if (head <= from) return false;
    const batch = await this.store.readLogPage({ after: from, limit: this.options.batchSize ?? 500 });
    if (batch.length === 0) return false;
    const producer = await this.connectedProducer();
    await producer.send({
      topic: this.options.topic,
      acks: -1,
      messages: batch.map((event) => encodeKafkaMessage(event)),
    });
    const last = batch[batch.length - 1]!.position;
    if (!this.lock) throw new Error('relay lock lost before checkpoint');
    await this.sql.query(
      `INSERT INTO relay_checkpoints (name, position, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (name) DO UPDATE SET position = GREATEST(relay_checkpoints.position, EXCLUDED.position), updated_at = now()`,
      [this.name, last],
    );
    this.metrics?.relayPublishedEvents.inc(batch.length);
    this.metrics?.relayPublished.set(last);
    this.metrics?.relayLag.set(Math.max(0, head - last));
    return true;
  }

  private async connectedProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    this.producer = producer;
    return producer;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
