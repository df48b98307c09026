import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type DomainEventEnvelope,
  encodeKafkaMessage,
  ndjsonLine,
  topicNames,
  upcastEnvelope,
} from '@timeline/shared-types';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `timeline replay --source kafka` as a user runs it (the built CLI as a child process) against the
 * real broker, on a topic of its own: where the replay ends, Ctrl-C, a broker that is not there.
 */
const CLI_MAIN = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/main.js');
const BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const PREFIX = `cli-replay-spec-${randomBytes(4).toString('hex')}.`;
const TOPIC = topicNames(PREFIX).events;
/** More than one page of output (500 lines) and more than one fetch per partition would be enough. */
const LOGGED = 3_000;

const kafka = new Kafka({
  clientId: 'cli-replay-spec',
  brokers: BROKERS.split(','),
  logLevel: logLevel.NOTHING,
});

function envelope(position: number): DomainEventEnvelope {
  const streamId = `spec-stream-${position % 17}`;
  return upcastEnvelope({
    eventId: `00000000-0000-4000-8000-${position.toString(16).padStart(12, '0')}`,
    streamId,
    streamVersion: Math.floor(position / 17) + 1,
    position,
    type: 'MeetingHeld',
    schemaVersion: 1,
    occurredAt: { start: `2024-0${1 + (position % 9)}-1${position % 10}`, precision: 'day' },
    recordedAt: new Date(Date.UTC(2024, 7, 1) + position * 1_000).toISOString(),
    data: {
      title: `Meeting ${position} — "quoted", ünïcode`,
      actors: [`Actor ${position % 3}`],
      pillars: position % 2 ? ['ai'] : ['telecom'],
      participants: ['A', 'B'],
    },
    metadata: { sources: [] },
  });
}

async function publish(from: number, to: number): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const messages = [];
    for (let p = from; p <= to; p++) messages.push(encodeKafkaMessage(envelope(p)));
    await producer.send({ topic: TOPIC, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}

interface Run {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  firstOutput: Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

function replay(...args: string[]): Run {
  const child = spawn(process.execPath, [CLI_MAIN, 'replay', '--source', 'kafka', ...args], {
    cwd: tmpdir(),
    env: { ...process.env, KAFKA_BROKERS: BROKERS, KAFKA_TOPIC_PREFIX: PREFIX },
  });
  let out = '';
  let err = '';
  let started: () => void = () => undefined;
  const firstOutput = new Promise<void>((done) => {
    started = done;
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    started();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal, at: performance.now() })),
  );
  return { child, stdout: () => out, stderr: () => err, firstOutput, exit };
}

const positions = (ndjson: string) =>
  ndjson
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { position: number }).position);

describe('timeline replay --source kafka against the broker', () => {
  beforeAll(async () => {
    if (!existsSync(CLI_MAIN)) throw new Error(`${CLI_MAIN} is missing: pnpm --filter @timeline/cli build`);
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3 }], waitForLeaders: true });
    } finally {
      await admin.disconnect();
    }
    await publish(1, LOGGED);
  });

  afterAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.deleteTopics({ topics: [TOPIC] }).catch(() => undefined);
    } finally {
      await admin.disconnect();
    }
  });

  it('is a snapshot: ends at the offsets taken at start while the topic grows, exit 0, canonical lines', async () => {
    const run = replay();
    await run.firstOutput;
    // Nothing reads the output for now, so the replay is held mid-way while the relay goes on publishing.
    run.child.stdout.pause();
    await publish(LOGGED + 1, LOGGED + 600);
    run.child.stdout.resume();
    const { code } = await run.exit;
    expect(code, run.stderr()).toBe(0);
    const seen = positions(run.stdout());
    expect(seen).toEqual(Array.from({ length: LOGGED }, (_, i) => i + 1));
    expect(run.stdout()).toBe(seen.map((p) => ndjsonLine(envelope(p))).join(''));
    expect(run.stderr()).toMatch(new RegExp(`read ${LOGGED} message\\(s\\)`));
    expect(run.stderr()).toMatch(
      new RegExp(`${LOGGED} lines \\(events, kafka\\), up to log position ${LOGGED}`),
    );

    // The next replay's snapshot holds what was published meanwhile.
    const again = replay('--after', String(LOGGED));
    const next = await again.exit;
    expect(next.code, again.stderr()).toBe(0);
    expect(positions(again.stdout())).toEqual(Array.from({ length: 600 }, (_, i) => LOGGED + i + 1));
  });

  it('stops at Ctrl-C while its output is not being read: promptly, non-zero, saying so', async () => {
    const run = replay();
    await run.firstOutput;
    run.child.stdout.pause();
    const sent = performance.now();
    run.child.kill('SIGINT');
    const { code, at } = await run.exit;
    expect(code, run.stderr()).toBe(130);
    expect(run.stderr()).toMatch(/interrupted \(Ctrl-C\): the replay did not finish/);
    expect(run.stderr()).not.toMatch(/unexpected error/);
    // The CLI gives sockets at most 2 s once the command has returned; a stuck write must not add to it.
    expect(at - sent).toBeLessThan(6_000);
  });

  describe('a broker that is not there', () => {
    let silent: Server;
    const sockets = new Set<Socket>();
    let connected: () => void = () => undefined;
    const firstConnection = new Promise<void>((done) => {
      connected = done;
    });
    beforeAll(async () => {
      // Accepts connections and never answers, as a hung broker or a wrong port behind a firewall.
      silent = createServer((socket) => {
        sockets.add(socket);
        socket.on('error', () => undefined);
        connected();
      });
      await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((done) => silent.close(() => done()));
    });

    it('nothing listening: exit 4 and what to do next', async () => {
      const run = replay('--brokers', '127.0.0.1:9');
      const { code } = await run.exit;
      expect(code).toBe(4);
      expect(run.stderr()).toMatch(/cannot reach the Kafka broker at 127\.0\.0\.1:9/);
      expect(run.stderr()).toMatch(/pnpm infra:up/);
      expect(run.stdout()).toBe('');
    });

    it('one that never answers can be left with Ctrl-C at once', async () => {
      const { port } = silent.address() as { port: number };
      const run = replay('--brokers', `127.0.0.1:${port}`, '--out', 'never.ndjson');
      // The CLI is waiting for the broker's first answer.
      await firstConnection;
      const sent = performance.now();
      run.child.kill('SIGINT');
      const { code, at } = await run.exit;
      expect(code, run.stderr()).toBe(130);
      expect(run.stderr()).toMatch(/interrupted \(Ctrl-C\)/);
      expect(run.stderr()).toMatch(/never\.ndjson was not written/);
      expect(at - sent).toBeLessThan(6_000);
    });

    it('one that never answers: exit 4 after the request timeout, not a stack trace', async () => {
      const { port } = silent.address() as { port: number };
      const started = performance.now();
      const run = replay('--brokers', `127.0.0.1:${port}`);
      const { code, at } = await run.exit;
      expect(code, run.stderr()).toBe(4);
      expect(run.stderr()).toMatch(new RegExp(`the Kafka broker at 127\\.0\\.0\\.1:${port}`));
      expect(run.stderr()).toMatch(/run the replay again/);
      expect(run.stderr()).not.toMatch(/unexpected error/);
      expect(at - started).toBeLessThan(40_000);
    });
  });
});
