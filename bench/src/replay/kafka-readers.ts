import { spawn } from 'node:child_process';
import { type DomainEventEnvelope, decodeKafkaMessage } from '@timeline/shared-types';
import type { Batch } from 'kafkajs';
import { CLI_MAIN, KAFKA_BROKERS } from '../lib/env.js';
import { benchKafka } from '../lib/kafka.js';
import { Progress, say } from '../lib/report.js';
import { cpuSeconds, RssSampler, round } from '../lib/stats.js';
import {
  countLines,
  memoryReport,
  type ReadResult,
  type ReadTiming,
  ReadTimer,
  readResult,
} from './read-result.js';

/** The CLI replay counts as stuck after this long without a new line. */
const STALL_MS = 20_000;

/**
 * Reads `topic` from offset 0 in a consumer group of its own, handing each batch to `onBatch` until it says
 * the whole log has arrived.
 */
async function consumeWholeTopic(
  clientId: string,
  { topic, groupId, database }: { topic: string; groupId: string; database: string },
  onBatch: (batch: Batch) => boolean,
): Promise<ReadTiming> {
  const timer = new ReadTimer(undefined, database);
  const consumer = benchKafka(clientId).consumer({ groupId, allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    timer.start();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
      void consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          timer.received();
          if (onBatch(batch)) resolve();
        },
      });
    });
    return timer.stop();
  } finally {
    await consumer.disconnect();
  }
}

/** The baseline for reading the topic: a raw kafkajs consumer that only counts (no decoding). */
export async function rawConsumer(
  topic: string,
  total: number,
  groupId: string,
  database: string,
): Promise<ReadResult> {
  const progress = new Progress('raw kafkajs consumer');
  let events = 0;
  let bytes = 0;
  const timing = await consumeWholeTopic(
    'timeline-bench-replay-raw',
    { topic, groupId, database },
    (batch) => {
      events += batch.messages.length;
      for (const m of batch.messages) bytes += m.value?.length ?? 0;
      progress.update(`${events.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')}`);
      return events >= total;
    },
  );
  return readResult(
    progress,
    { name: 'raw kafkajs consumer (no decoding)', source: 'kafka', events, bytes, unit: 'messages' },
    timing,
  );
}

/**
 * Kafka replay done the way a consumer of the contract does it: decode and validate every message
 * (`decodeKafkaMessage`: JSON, envelope schema, the event's schema, upcast), then restore the total
 * order across partitions by the gapless position (emit N+1 after N) and serialise each event as a line.
 */
export async function decodeReorderConsumer(
  topic: string,
  total: number,
  groupId: string,
  database: string,
): Promise<ReadResult> {
  const progress = new Progress('kafkajs decode + reorder');
  const waiting = new Map<number, DomainEventEnvelope>();
  let next = 1;
  let events = 0;
  let bytes = 0;
  let maxBuffered = 0;
  let duplicates = 0;
  let peakRss = 0;
  const emit = (event: DomainEventEnvelope) => {
    bytes += Buffer.byteLength(JSON.stringify(event)) + 1;
    events += 1;
  };
  const timing = await consumeWholeTopic(
    'timeline-bench-replay-decode',
    { topic, groupId, database },
    (batch) => {
      for (const message of batch.messages) {
        const event = decodeKafkaMessage({
          key: message.key,
          value: message.value,
          headers: message.headers ?? {},
        });
        if (event.position < next || waiting.has(event.position)) {
          duplicates += 1;
          continue;
        }
        waiting.set(event.position, event);
        for (let ready = waiting.get(next); ready; ready = waiting.get(next)) {
          waiting.delete(next);
          next += 1;
          emit(ready);
        }
      }
      maxBuffered = Math.max(maxBuffered, waiting.size);
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      progress.update(
        `${events.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')} in order, ${waiting.size} buffered`,
      );
      return events >= total;
    },
  );
  const note = `at most ${maxBuffered} events waited in the reorder buffer; ${duplicates} duplicates; benchmark process RSS peaked at ${Math.round(peakRss / 2 ** 20)} MiB`;
  return readResult(
    progress,
    { name: 'kafkajs consumer + decode + reorder', source: 'kafka', events, bytes, unit: 'events' },
    timing,
    { note },
    () => `; ${note}`,
  );
}

/** `timeline replay --source kafka --mode events`: the CLI's own decode + reorder path, as a user runs it. */
export async function cliReplay(prefix: string, total: number, database: string): Promise<ReadResult> {
  const progress = new Progress('cli replay --source kafka');
  const child = spawn(
    process.execPath,
    [
      CLI_MAIN,
      'replay',
      '--source',
      'kafka',
      '--mode',
      'events',
      '--brokers',
      KAFKA_BROKERS.join(','),
      '--topic-prefix',
      prefix,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let events = 0;
  let bytes = 0;
  let stderr = '';
  const sampler = new RssSampler(child.pid!, () => events);
  const timer = new ReadTimer(undefined, database);
  sampler.start();
  timer.start();
  child.stdout.on('data', (chunk: Buffer) => {
    timer.received();
    bytes += chunk.length;
    events += countLines(chunk);
    progress.update(
      `${events.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')} lines, CLI ${Math.round(sampler.samples.at(-1)?.rssMiB ?? 0)} MiB RSS`,
    );
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  // A replay that writes nothing new for STALL_MS is stuck: stop it and report how far it got.
  let stalled = false;
  let seen = -1;
  let lastChange = performance.now();
  // The CLI's own CPU, sampled while it runs (its /proc entry is gone once it exits).
  let cliCpu = { seconds: 0, at: timer.startedAt };
  const watchdog = setInterval(() => {
    const seconds = cpuSeconds(child.pid!);
    if (!Number.isNaN(seconds)) cliCpu = { seconds, at: performance.now() };
    if (events !== seen) {
      seen = events;
      lastChange = performance.now();
    } else if (performance.now() - lastChange > STALL_MS) {
      stalled = true;
      child.kill('SIGKILL');
    }
  }, 1_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(watchdog);
  const timing = timer.stop();
  sampler.stop();
  timing.cpu = {
    ...timing.cpu,
    apiPct: round((cliCpu.seconds / ((cliCpu.at - timer.startedAt) / 1000)) * 100, 0),
  };
  let note: string | undefined;
  if (stalled) {
    note = `stalled: no new line for ${STALL_MS / 1000} s after ${events} of ${total} lines (the CLI averaged ${timing.cpu.apiPct}% of a core over its run); stopped with SIGKILL`;
    say('cli', `WARNING: ${note}`);
  } else if (code !== 0 || events !== total) {
    note = `exit code ${code}, ${events} lines (expected ${total}): ${stderr.trim().split('\n').slice(-3).join(' / ')}`;
    say('cli', `WARNING: ${note}`);
  }
  const memory = memoryReport('cli', sampler, total);
  return readResult(
    progress,
    {
      name: 'CLI replay --source kafka (decode, validate, reorder)',
      source: 'kafka',
      events,
      bytes,
      unit: 'lines',
    },
    timing,
    { memory, ...(note ? { note } : {}) },
    () => `; CLI RSS peak ${memory.peakRssMiB} MiB`,
  );
}
