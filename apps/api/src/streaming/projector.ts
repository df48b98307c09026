import {
  decodeKafkaMessage,
  type DomainEventEnvelope,
  KAFKA_HEADERS,
  KafkaDecodeError,
} from '@timeline/shared-types';
import type { Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import type { Logger } from './logger.js';
import type { TimelineMetrics } from './metrics.js';
import type { TimelineReadModel } from '../read-model/timeline-read-model.js';

export interface ProjectorOptions {
  topic: string;
  deadLetterTopic: string;
  groupId: string;
}

/**
 * A Kafka consumer group that builds the timeline read model. Each batch is applied in one SQL
 * transaction together with the consumer's offsets; positions already projected are skipped, so a
 * redelivered or duplicated message changes nothing. Messages that fail to decode or validate go to
 * the dead-letter topic with the reason, and the projector carries on.
 */
export class TimelineProjector {
  private consumer: Consumer | undefined;
  private dlqProducer: Producer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly readModel: TimelineReadModel,
    private readonly options: ProjectorOptions,
    private readonly log: Logger,
    private readonly metrics?: TimelineMetrics,
    private readonly onFatal: (error: Error) => void = () => undefined,
  ) {}

  async start(): Promise<void> {
    this.dlqProducer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    await this.dlqProducer.connect();
    this.consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      rebalanceTimeout: 10_000,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 5_000 },
    });
    // kafkajs restarts itself after retriable errors; when it gives up, the owner starts us again.
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.onFatal(payload.error);
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.onBatch(payload),
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    await this.dlqProducer?.disconnect().catch(() => undefined);
  }

  private async onBatch({
    batch,
    resolveOffset,
    heartbeat,
    isRunning,
    isStale,
  }: EachBatchPayload): Promise<void> {
    if (!isRunning() || isStale()) return;
    const good: DomainEventEnvelope[] = [];
    for (const message of batch.messages) {
      try {
        good.push(
          decodeKafkaMessage({ key: message.key, value: message.value, headers: message.headers ?? {} }),
        );
      } catch (error) {
        if (!(error instanceof KafkaDecodeError)) throw error;
        await this.deadLetter(batch.topic, batch.partition, message, error.message);
      }
    }
    const lastOffset = batch.lastOffset();
    await this.readModel.apply(good, async (tx) => {
      await tx.query(
        `INSERT INTO projector_offsets (consumer_group, topic, partition, next_offset) VALUES ($1, $2, $3, $4)
         ON CONFLICT (consumer_group, topic, partition) DO UPDATE SET next_offset = GREATEST(projector_offsets.next_offset, EXCLUDED.next_offset)`,
        [this.options.groupId, batch.topic, batch.partition, Number(lastOffset) + 1],
      );
    });
    resolveOffset(lastOffset);
    await heartbeat();
    // The batch's transaction returned the watermark it left: no query for the gauge.
    const watermark = this.readModel.lastWatermark;
    if (this.metrics && watermark !== undefined) this.metrics.projectorPosition.set(watermark);
  }

  private async deadLetter(
    topic: string,
    partition: number,
    message: EachBatchPayload['batch']['messages'][number],
    reason: string,
  ): Promise<void> {
    this.log.warn({
      msg: 'projector: message sent to the dead-letter topic',
      topic,
      partition,
      offset: message.offset,
      reason,
    });
    await this.dlqProducer!.send({
      topic: this.options.deadLetterTopic,
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...(message.headers ?? {}),
            [KAFKA_HEADERS.dlqReason]: reason.slice(0, 4000),
            [KAFKA_HEADERS.dlqSourceTopic]: topic,
            [KAFKA_HEADERS.dlqSourcePartition]: String(partition),
            [KAFKA_HEADERS.dlqSourceOffset]: message.offset,
          },
        },
      ],
    });
    this.metrics?.dlqMessages.inc();
  }
}
