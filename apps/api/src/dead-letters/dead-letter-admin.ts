import { randomUUID } from 'node:crypto';
import { type RawTopicMessage, readTopicSnapshot, TopicReadError } from '@timeline/kafka-log';
import { KAFKA_HEADERS, readOwnStoredEnvelope } from '@timeline/shared-types';
import type { Kafka } from 'kafkajs';
import type { EventStore } from '../event-store/event-store.port.js';
import type { DeadLetterMarks } from '../read-model/dead-letter-marks.js';
import { ConflictError } from '../shared/conflict.error.js';
import { isInfrastructureError } from '../streaming/projector.js';

/** One message of the dead-letter topic, as `GET /api/admin/dlq` lists it. */
export interface DeadLetterEntry {
  /** `<partition>:<offset>` on the dead-letter topic. */
  id: string;
  partition: number;
  offset: string;
  reason: string;
  position: number | null;
  eventId: string | null;
  type: string | null;
  streamId: string | null;
  failedAt: string;
  redriven: boolean;
}

export interface DeadLetterDetail extends DeadLetterEntry {
  headers: Record<string, string>;
  value: string;
}

export class DeadLetterNotFoundError extends Error {
  constructor(id: string) {
    super(`no dead letter ${id}`);
    this.name = 'DeadLetterNotFoundError';
  }
}

/** The topic cannot be read now (broker down): a 503, not the caller's fault. */
export class DeadLettersUnavailableError extends Error {}

/**
 * Inspecting and redriving the projector's dead letters. The topic is read from its start to the end
 * offsets of the moment (a snapshot, in a group of its own); whether one was redriven is the
 * projector's bookkeeping (read-model/dead-letter-marks.ts). A redrive folds the event read from the
 * STORE, the source of truth, not the message on the topic.
 */
export class DeadLetterAdmin {
  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    private readonly store: EventStore,
    private readonly marks: DeadLetterMarks,
  ) {}

  async list(limit: number): Promise<DeadLetterEntry[]> {
    const found = await this.read((entries) => entries.length >= limit);
    return this.withRedriven(found.slice(0, limit).map(({ headers: _h, value: _v, ...entry }) => entry));
  }

  async get(id: string): Promise<DeadLetterDetail> {
    const [partition, offset] = id.split(':');
    const found = await this.read((entries) => entries.some((e) => e.id === id));
    const entry = found.find((e) => e.partition === Number(partition) && e.offset === offset);
    if (!entry) throw new DeadLetterNotFoundError(id);
    return (await this.withRedriven([entry]))[0]!;
  }

  async redrive(id: string): Promise<{ id: string; position: number }> {
    const entry = await this.get(id);
    const position = entry.position;
    if (position === null)
      throw new ConflictError(`dead letter ${id} names no log position: nothing to redrive`);
    const [stored] = await this.store.readLogPage({ after: position - 1, until: position, limit: 1 });
    if (!stored || stored.position !== position)
      throw new ConflictError(`position ${position} is not in the event store`);
    try {
      await this.marks.redrive(readOwnStoredEnvelope(stored), async (tx, itemId) =>
        (await this.store.within(tx).readEventWithLineage(itemId)).map(readOwnStoredEnvelope),
      );
    } catch (error) {
      if (error instanceof ConflictError || isInfrastructureError(error)) throw error;
      throw new ConflictError(
        `position ${position} still fails: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return { id, position };
  }

  private async withRedriven<T extends DeadLetterEntry>(entries: T[]): Promise<T[]> {
    const positions = entries.flatMap((e) => (e.position === null ? [] : [e.position]));
    const redriven = await this.marks.redriven(positions);
    return entries.map((e) => ({ ...e, redriven: e.position !== null && redriven.has(e.position) }));
  }

  private async read(enough: (entries: DeadLetterDetail[]) => boolean): Promise<DeadLetterDetail[]> {
    const entries: DeadLetterDetail[] = [];
    try {
      await readTopicSnapshot({
        kafka: this.kafka,
        topic: this.topic,
        groupId: `timeline-dlq-admin-${randomUUID()}`,
        onMessage: (message) => {
          entries.push(toEntry(message));
        },
        enough: () => enough(entries),
        stallMs: 10_000,
        retry: { retries: 2 },
        disconnectTimeoutMs: 5_000,
      });
    } catch (error) {
      if (error instanceof TopicReadError && error.failure === 'no-topic') return [];
      throw new DeadLettersUnavailableError(
        `the dead-letter topic ${this.topic} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return entries.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  }
}

function toEntry(message: RawTopicMessage): DeadLetterDetail {
  const h = message.headers;
  const position = h[KAFKA_HEADERS.position];
  return {
    id: `${message.partition}:${message.offset}`,
    partition: message.partition,
    offset: message.offset,
    reason: h[KAFKA_HEADERS.dlqReason] ?? '',
    position: position && /^\d{1,15}$/.test(position) ? Number(position) : null,
    eventId: h[KAFKA_HEADERS.eventId] ?? null,
    type: h[KAFKA_HEADERS.type] ?? null,
    streamId: message.key?.toString('utf8') ?? null,
    failedAt: new Date(Number(message.timestamp)).toISOString(),
    redriven: false,
    headers: h,
    value: message.value?.toString('utf8') ?? '',
  };
}
