import { decodeKafkaMessage, type DomainEventEnvelope, KAFKA_HEADERS } from '@timeline/shared-types';
import type { Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import { StoreUnavailableError } from '../event-store/event-store.port.js';
import type { SqlClient } from '../event-store/sql-client.js';
import { type Writes, writeTogether } from '../read-model/batched-writes.js';
import { DeadLetterMarks, UNKNOWN_EVENT_ID } from '../read-model/dead-letter-marks.js';
import type { TimelineReadModel } from '../read-model/timeline-read-model.js';
import { header, headerPosition } from './kafka-headers.js';
import { resilientConsumer } from './kafka.js';
import type { Logger } from './logger.js';
import type { TimelineMetrics } from '../infrastructure/metrics.js';

export interface ProjectorOptions {
  topic: string;
  deadLetterTopic: string;
  groupId: string;
  /** Tries of a message whose error repeats before it is dead-lettered (default 5). */
  maxAttempts?: number;
  /** The first retry's delay; it doubles per attempt, at most 5 s (default 200 ms). */
  retryDelayMs?: number;
}

/**
 * A Kafka consumer group that builds the timeline read model. Each batch is applied in one SQL
 * transaction together with the consumer's offsets; positions already projected are skipped, so a
 * redelivered or duplicated message changes nothing. A message that fails to decode, or whose fold
 * keeps failing, goes to the dead-letter topic with the reason and the projector carries on.
 */
export class TimelineProjector {
  private consumer: Consumer | undefined;
  private dlqProducer: Producer | undefined;
  private readonly marks: DeadLetterMarks;

  constructor(
    private readonly kafka: Kafka,
    private readonly sql: SqlClient,
    private readonly readModel: TimelineReadModel,
    private readonly options: ProjectorOptions,
    private readonly log: Logger,
    private readonly metrics?: TimelineMetrics,
    private readonly onFatal: (error: Error) => void = () => undefined,
  ) {
    this.marks = new DeadLetterMarks(sql, readModel);
  }

  async start(): Promise<void> {
    this.dlqProducer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    await this.dlqProducer.connect();
    this.consumer = resilientConsumer(
      this.kafka,
      { groupId: this.options.groupId, rebalanceTimeout: 10_000 },
      (error) => this.onFatal(error),
    );
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
    const decoded: Decoded[] = batch.messages.map((message) => decode(message));
    // Goes out in the same statement as the batch's item writes (read-model/batched-writes.ts).
    const offsetsUpTo =
      (offset: string): Writes =>
      (param) => [
        `INSERT INTO projector_offsets (consumer_group, topic, partition, next_offset)
         VALUES (${param(this.options.groupId)}, ${param(batch.topic)}, ${param(batch.partition)}::int, ${param(Number(offset) + 1)}::bigint)
         ON CONFLICT (consumer_group, topic, partition) DO UPDATE SET next_offset = GREATEST(projector_offsets.next_offset, EXCLUDED.next_offset)`,
      ];
    const lastOffset = batch.lastOffset();
    if (decoded.every((d) => d.event)) {
      try {
        await this.readModel.apply(
          decoded.map((d) => d.event!),
          offsetsUpTo(lastOffset),
        );
        resolveOffset(lastOffset);
        await heartbeat();
        this.reportWatermark();
        return;
      } catch (error) {
        if (isInfrastructureError(error)) throw error;
        // Some message of the batch fails: find it by applying them one by one.
      }
    }
    for (const item of decoded) {
      if (!isRunning() || isStale()) return;
      await this.applyOne(batch.topic, batch.partition, item, offsetsUpTo(item.message.offset), heartbeat);
      resolveOffset(item.message.offset);
    }
    this.reportWatermark();
  }

  /**
   * One message: applied, retried with backoff while its error repeats, then dead-lettered. The mark and
   * the offsets commit first; the DLQ message is sent once that transaction has decided, so a retry
   * never sends it twice. Infrastructure errors (the database gone) are thrown: kafkajs retries the
   * batch, and nothing is dead-lettered for a failure that is not the message's.
   */
  private async applyOne(
    topic: string,
    partition: number,
    item: Decoded,
    offsets: Writes,
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    let reason = item.failure ?? '';
    if (item.event) {
      const maxAttempts = this.options.maxAttempts ?? 5;
      for (let attempt = 1; ; attempt += 1) {
        try {
          await this.readModel.apply([item.event], offsets);
          return;
        } catch (error) {
          if (isInfrastructureError(error)) throw error;
          reason = error instanceof Error ? error.message : String(error);
          this.log.warn({
            msg: 'projector: message failed',
            topic,
            partition,
            offset: item.message.offset,
            attempt,
            reason,
          });
          if (attempt >= maxAttempts) break;
          await new Promise((r) =>
            setTimeout(r, Math.min(5_000, (this.options.retryDelayMs ?? 200) * 2 ** (attempt - 1))),
          );
          await heartbeat();
        }
      }
    }
    const position = item.event?.position ?? headerPosition(item.message);
    const marked =
      position === undefined
        ? []
        : await this.sql.transaction(async (tx) => {
            const fresh = await this.marks.markWithin(tx, [
              {
                position,
                eventId: item.event?.eventId ?? headerEventId(item.message),
                reason: reason.slice(0, 4000),
              },
            ]);
            await writeTogether(tx, offsets);
            return fresh;
          });
    // Its position is already projected or marked: a redelivery (its dead letter went out the first
    // time) or a broken duplicate of an event the read model has. Nothing is missing from the model.
    if (position !== undefined && marked.length === 0) {
      this.log.warn({
        msg: 'projector: failing message for a position already projected or dead-lettered; skipped',
        topic,
        partition,
        offset: item.message.offset,
        position,
        reason,
      });
      return;
    }
    await this.deadLetter(topic, partition, item.message, reason);
  }

  private reportWatermark(): void {
    // The batch's transaction returned the watermark it left: no query for the gauge.
    const watermark = this.readModel.lastWatermark;
    if (this.metrics && watermark !== undefined) this.metrics.projectorPosition.set(watermark);
  }

  private async deadLetter(
    topic: string,
    partition: number,
    message: KafkaMessage,
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

type KafkaMessage = EachBatchPayload['batch']['messages'][number];

interface Decoded {
  message: KafkaMessage;
  event?: DomainEventEnvelope;
  /** Why it cannot be decoded (a decode failure is the message's own: no retry helps it). */
  failure?: string;
}

function decode(message: KafkaMessage): Decoded {
  try {
    return {
      message,
      event: decodeKafkaMessage({ key: message.key, value: message.value, headers: message.headers ?? {} }),
    };
  } catch (error) {
    return { message, failure: error instanceof Error ? error.message : String(error) };
  }
}

function headerEventId(message: KafkaMessage): string {
  const text = header(message, KAFKA_HEADERS.eventId);
  return text && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)
    ? text
    : UNKNOWN_EVENT_ID;
}

/**
 * A failure of the database or the connection to it, not of the message: SQLSTATE classes 08
 * (connection), 40 (serialization, deadlock), 53 (resources), 57 (shutdown, cancel), 58 (system),
 * and socket errors. Data errors (22, 23) and anything the decode or fold throws belong to the message.
 */
export function isInfrastructureError(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (/^(08|40|53|57|58)[0-9A-Z]{3}$/.test(code)) return true;
    if (/^E[A-Z]+$/.test(code)) return true; // ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT...
  }
  return /connection (terminated|ended|closed|error)|not queryable|Client was closed|timeout/i.test(
    error.message,
  );
}
