import { type EncodedKafkaMessage, encodeKafkaMessage } from '@timeline/shared-types';
import type { Kafka, Producer } from 'kafkajs';
import type { EventStore } from '../event-store/event-store.port.js';
import type { LockHandle, SqlClient } from '../event-store/sql-client.js';
import { keyPartitioner, partitionCount } from './kafka.js';
import type { Logger } from './logger.js';
import type { TimelineMetrics } from '../infrastructure/metrics.js';

/** The advisory lock key that makes one relay active among many API instances. */
export const RELAY_LOCK_KEY = 7_140_002;

export interface RelayOptions {
  topic: string;
  /** Checkpoint row name; one per topic. */
  name?: string;
  /** Events per page read from the store (default 500); grows up to `maxBatchSize` while behind. */
  batchSize?: number;
  /** The largest page while the relay is behind the head (default 4 × batchSize). */
  maxBatchSize?: number;
  /** Encoded bytes per Kafka request at most (default 512 KiB): big pages go out in several requests. */
  maxRequestBytes?: number;
  /** How long a published position may wait before the checkpoint row is written (default 200 ms). */
  checkpointEveryMs?: number;
  pollIntervalMs?: number;
  /** How often a standby tries to take the relay lock (default 500 ms): the failover time, beside PostgreSQL ending the dead session. */
  lockRetryMs?: number;
  /** How often the active relay asks the server whether it still holds the lock (default 5 s). */
  lockCheckMs?: number;
}

type Page = Awaited<ReturnType<EventStore['readLogPage']>>;
type PartitionedMessage = EncodedKafkaMessage & { partition: number };

/**
 * Publishes the events table to Kafka in position order (the table is the outbox). The checkpoint is
 * stored only after Kafka acknowledged, so a crash republishes what came after it (duplicates on the
 * topic, never a gap); the idempotent producer removes the duplicates of its own retries.
 *
 * What an event costs the store: nothing when this process appended it (the store hands the events it
 * just stored to `readPage`, see `EventStore.recentlyAppended`); else one page read, shared by every
 * event the page holds. While this
 * instance holds the relay lock nobody else moves the checkpoint, so it is kept in memory and
 * written at most every `checkpointEveryMs` (a crash republishes at most that much more); the head
 * comes with each append's NOTIFY, so it is not read either; and while one page is being sent the
 * next one is already being read.
 */
export class OutboxRelay {
  private producer: Producer | undefined;
  /** The partition of a stream's key, for the topic's partition count when the producer connected. */
  private partitionOf: ((key: string) => number) | undefined;
  private lock: LockHandle | null = null;
  private stopping = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private readonly name: string;
  /** Published and acknowledged up to here; known only while we hold the lock. */
  private published: number | undefined;
  /** What the checkpoint row holds (as far as this instance wrote or read it). */
  private stored = 0;
  private storedAt = 0;
  /** The highest head any NOTIFY announced. */
  private notifiedHead = 0;
  /** Read the store on the next pass even if no NOTIFY announced anything new (start, poll, error). */
  private mustRead = true;
  private pageLimit: number;
  private readAhead: { after: number; page: Promise<Page> } | undefined;
  private lockCheckedAt = 0;

  constructor(
    private readonly sql: SqlClient,
    private readonly store: EventStore,
    private readonly kafka: Kafka,
    private readonly options: RelayOptions,
    private readonly log: Logger,
    private readonly metrics?: TimelineMetrics,
  ) {
    this.name = options.name ?? options.topic;
    this.pageLimit = options.batchSize ?? 500;
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
    // Saves the next instance from republishing what this one already published.
    if (this.lock) {
      await this.storeCheckpoint().then(
        () => this.log.log({ msg: 'relay stopped: checkpoint written', position: this.stored }),
        (error: unknown) =>
          this.log.warn({ msg: 'relay stopped: checkpoint not written', error: String(error) }),
      );
    }
    await this.lock?.release();
    this.lock = null;
    this.published = undefined;
    this.metrics?.relayActive.set(0);
  }

  /** The position published so far: from memory while this instance relays, else the stored row. */
  async checkpoint(): Promise<number> {
    if (this.lock && this.published !== undefined) return this.published;
    return this.readCheckpoint();
  }

  private async readCheckpoint(): Promise<number> {
    const { rows } = await this.sql.query<{ position: number }>(
      'SELECT position FROM relay_checkpoints WHERE name = $1',
      [this.name],
    );
    return Number(rows[0]?.position ?? 0);
  }

  private async run(): Promise<void> {
    this.unlisten = await this.store
      .onAppended((head) => {
        if (head > this.notifiedHead) this.notifiedHead = head;
        // A standby only retries the lock on its own schedule, not at every append.
        if (this.lock) this.wake?.();
      })
      .catch(() => undefined);
    // Without notifications only the poll finds new events.
    const listening = this.unlisten !== undefined;
    while (!this.stopping) {
      try {
        if (!this.lock) {
          this.lock = await this.sql.tryLock(RELAY_LOCK_KEY);
          if (!this.lock) {
            this.metrics?.relayActive.set(0);
            await this.sleep(this.options.lockRetryMs ?? 500);
            continue;
          }
          this.log.log({
            msg: 'relay active: this instance holds the relay lock',
            topic: this.options.topic,
          });
          this.metrics?.relayActive.set(1);
          const lock = this.lock;
          lock.lost.then(() => {
            if (this.lock !== lock) return; // released by stop(), or an older lock
            this.log.warn({ msg: 'relay lock connection lost; standing down' });
            this.standDown();
          });
          // Another instance may have relayed until now: start from what it stored.
          this.published = await this.readCheckpoint();
          this.stored = this.published;
          this.storedAt = Date.now();
          this.mustRead = true;
          this.lockCheckedAt = Date.now();
        }
        if (!(await this.stillHoldsLock())) continue;
        const published = await this.publishAvailable(listening);
        if (published) continue;
        const checkpointDue = this.stored < (this.published ?? 0);
        const wait = checkpointDue
          ? Math.max(0, this.storedAt + this.checkpointEveryMs - Date.now())
          : (this.options.pollIntervalMs ?? 1_000);
        const woken = await this.sleep(wait);
        if (checkpointDue && Date.now() - this.storedAt >= this.checkpointEveryMs)
          await this.storeCheckpoint();
        // A missed notification (or none at all, on PGlite with the listener gone) is caught by the poll.
        if (!woken && !checkpointDue) this.mustRead = true;
      } catch (error) {
        this.log.warn({ msg: 'relay iteration failed; retrying', error: String(error) });
        this.readAhead = undefined;
        this.mustRead = true;
        this.pageLimit = this.options.batchSize ?? 500;
        await this.producer?.disconnect().catch(() => undefined);
        this.producer = undefined;
        await this.sleep(1_000);
      }
    }
  }

  private get checkpointEveryMs(): number {
    return this.options.checkpointEveryMs ?? 200;
  }

  /** Publishes one page after the checkpoint. Returns whether anything was published. */
  private async publishAvailable(listening: boolean): Promise<boolean> {
    const from = this.published;
    if (from === undefined || !this.lock) return false;
    const pending = this.readAhead;
    this.readAhead = undefined;
    if (!pending && listening && !this.mustRead && this.notifiedHead <= from) return false;
    this.mustRead = false;
    const page = pending && pending.after === from ? await pending.page : await this.readPage(from);
    if (page.length === 0) {
      this.reportLag(from);
      return false;
    }
    const last = page[page.length - 1]!.position;
    // Behind: a full page, or a head announced beyond it. Read the next (bigger) page while this one
    // is on its way to Kafka; it is used only if this one is acknowledged, so order is unchanged.
    const full = page.length >= this.pageLimit;
    const base = this.options.batchSize ?? 500;
    this.pageLimit = full ? Math.min(this.pageLimit * 2, this.options.maxBatchSize ?? base * 4) : base;
    if (full || this.notifiedHead > last) {
      const next = this.readPage(last);
      next.catch(() => undefined); // awaited (and its error seen) on the next pass, or dropped
      this.readAhead = { after: last, page: next };
    }
    await this.send(page);
    if (!this.lock) throw new Error('relay lock lost before checkpoint');
    this.published = last;
    this.metrics?.relayPublishedEvents.inc(page.length);
    this.reportLag(last);
    if (Date.now() - this.storedAt >= this.checkpointEveryMs) await this.storeCheckpoint();
    return true;
  }

  /**
   * Positions are gapless, so the page after `after` is exactly the range (after, after + limit]. Saying
   * so bounds the planner's estimate: with `position > after` alone and no statistics yet (a young
   * table) it guesses a third of the table and may prefer a scan of all of it to the primary key.
   */
  private async readPage(after: number): Promise<Page> {
    const limit = this.pageLimit;
    // Appended by this process: the store hands over the events it just stored, no read.
    const recent = await this.store.recentlyAppended(after, limit);
    if (recent.length > 0) {
      this.metrics?.relayPagesFromMemory.inc();
      return recent;
    }
    return this.store.readLogPage({ after, until: after + limit, limit });
  }

  private reportLag(published: number): void {
    const head = Math.max(this.notifiedHead, published);
    this.metrics?.storeHead.set(head);
    this.metrics?.relayPublished.set(published);
    this.metrics?.relayLag.set(head - published);
  }

  /**
   * Sends a page: one `send()` per partition, each in requests of at most `maxRequestBytes` (a broker
   * refuses oversized batches), the partitions side by side and each partition's requests in order.
   * Resolves only when every partition acknowledged all of its share.
   *
   * Why per partition: kafkajs 2.2.4 answers a `send()` that spans partitions led by several brokers
   * broker by broker, and on a retry skips the brokers that already answered. When a leader dies and
   * its partition moves to one of those, that partition's messages are never sent and `send()` still
   * resolves (tulios/kafkajs#1303): the checkpoint would move past events the topic does not hold.
   * A send to one partition goes to one broker, so its retry always goes where the partition now is.
   */
  private async send(page: Page): Promise<void> {
    const { producer, partitionOf } = await this.connectedProducer();
    const byPartition = new Map<number, PartitionedMessage[]>();
    for (const event of page) {
      const message = encodeKafkaMessage(event);
      const partition = partitionOf(message.key);
      const messages = byPartition.get(partition) ?? [];
      if (messages.length === 0) byPartition.set(partition, messages);
      messages.push({ ...message, partition });
    }
    const results = await Promise.allSettled(
      [...byPartition.values()].map((messages) => this.sendInOrder(producer, messages)),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async sendInOrder(producer: Producer, messages: PartitionedMessage[]): Promise<void> {
    const maxBytes = this.options.maxRequestBytes ?? 512 * 1024;
    let chunk: typeof messages = [];
    let bytes = 0;
    const flush = async () => {
      if (chunk.length === 0) return;
      await producer.send({ topic: this.options.topic, acks: -1, messages: chunk });
      chunk = [];
      bytes = 0;
    };
    for (const message of messages) {
      const size = messageBytes(message);
      if (bytes + size > maxBytes) await flush();
      chunk.push(message);
      bytes += size;
    }
    await flush();
  }

  /** Writes the in-memory checkpoint (never backwards: GREATEST) if it moved since the last write. */
  private async storeCheckpoint(): Promise<void> {
    const position = this.published;
    if (position === undefined || position <= this.stored) return;
    if (!this.lock) throw new Error('relay lock lost before checkpoint');
    await this.sql.query(
      `INSERT INTO relay_checkpoints (name, position, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (name) DO UPDATE SET position = GREATEST(relay_checkpoints.position, EXCLUDED.position), updated_at = now()`,
      [this.name, position],
    );
    this.stored = position;
    this.storedAt = Date.now();
  }

  private async connectedProducer(): Promise<{ producer: Producer; partitionOf: (key: string) => number }> {
    if (this.producer && this.partitionOf) return { producer: this.producer, partitionOf: this.partitionOf };
    // Read again at every (re)connect, so partitions added to the topic are used after the next error.
    const partitionOf = keyPartitioner(
      this.options.topic,
      await partitionCount(this.kafka, this.options.topic),
    );
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    this.producer = producer;
    this.partitionOf = partitionOf;
    return { producer, partitionOf };
  }

  private standDown(): void {
    this.lock = null;
    this.published = undefined;
    this.readAhead = undefined;
    this.metrics?.relayActive.set(0);
    this.wake?.();
  }

  /**
   * Every `lockCheckMs` the server is asked whether our session still holds the lock, before anything
   * more is sent: a half-open lock connection raises no event, and another relay may have taken over.
   */
  private async stillHoldsLock(): Promise<boolean> {
    const lock = this.lock;
    const every = this.options.lockCheckMs ?? 5_000;
    if (!lock?.check || Date.now() - this.lockCheckedAt < every) return lock !== null;
    this.lockCheckedAt = Date.now();
    if (await lock.check(Math.min(every, 2_000))) return true;
    if (this.lock === lock) {
      this.log.warn({ msg: 'relay lock check failed; standing down' });
      this.standDown();
    }
    return false;
  }

  /** Resolves true when woken (a NOTIFY, a lost lock, stop), false when the time ran out. */
  private sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(false), ms);
      const done = (woken: boolean) => {
        clearTimeout(timer);
        if (this.wake === wakeUp) this.wake = undefined;
        resolve(woken);
      };
      const wakeUp = () => done(true);
      this.wake = wakeUp;
    });
  }
}

function messageBytes(message: ReturnType<typeof encodeKafkaMessage>): number {
  const length = (v: unknown) =>
    typeof v === 'string' ? Buffer.byteLength(v) : Buffer.isBuffer(v) ? v.length : 0;
  let size = length(message.key) + length(message.value) + 64;
  for (const [k, v] of Object.entries(message.headers ?? {})) size += k.length + length(v);
  return size;
}
