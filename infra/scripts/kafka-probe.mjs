#!/usr/bin/env node
// Readiness probe for the local broker, used by infra/scripts/kafka.sh.
//   node kafka-probe.mjs --brokers 127.0.0.1:9092 [--timeout 90] [--pid 1234[,1235]] [--expect 3] [--quiet]
// Ready = a metadata round trip answers (kafkajs admin describeCluster) naming at least `--expect`
// brokers (default 1; the raw fallback checks only the first).
// Falls back to a raw ApiVersions request when kafkajs is not installed yet (before `pnpm install`).
// Exit codes: 0 ready, 1 timed out, 2 the broker process (--pid) exited while we waited.
import { createRequire } from 'node:module';
import net from 'node:net';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const brokers = opt('brokers', process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const timeoutMs = Number(opt('timeout', '90')) * 1000;
const pids = opt('pid', '').split(',').filter(Boolean);
const expect = Number(opt('expect', '1'));
const quiet = args.includes('--quiet');

function loadKafkajs() {
  try {
    return createRequire(new URL('../package.json', import.meta.url))('kafkajs');
  } catch {
    return undefined;
  }
}

function processAlive(p) {
  try {
    process.kill(Number(p), 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

async function probeWithKafkajs(kafkajs) {
  const kafka = new kafkajs.Kafka({
    clientId: 'timeline-infra-probe',
    brokers,
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 0 },
    logLevel: kafkajs.logLevel.NOTHING,
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length < expect)
      throw new Error(`${cluster.brokers.length} of ${expect} brokers registered yet`);
    return `cluster=${cluster.clusterId} brokers=${cluster.brokers.length} controller=${cluster.controller}`;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

// ApiVersions v0 (api key 18): proves a Kafka broker processes requests on that port.
function probeRaw() {
  const [host, portStr] = brokers[0].split(':');
  const clientId = Buffer.from('timeline-infra-probe');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
  body.writeInt16BE(18, 0);
  body.writeInt16BE(0, 2);
  body.writeInt32BE(4242, 4);
  body.writeInt16BE(clientId.length, 8);
  clientId.copy(body, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port: Number(portStr) });
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => socket.destroy(new Error('timeout')), 3000);
    socket.on('connect', () => socket.write(Buffer.concat([size, body])));
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
        clearTimeout(timer);
        socket.end();
        const correlation = buf.readInt32BE(4);
        const errorCode = buf.readInt16BE(8);
        if (correlation === 4242 && errorCode === 0) resolve('api-versions ok (raw probe)');
        else reject(new Error(`unexpected ApiVersions answer (error ${errorCode})`));
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      reject(new Error('connection closed'));
    });
  });
}

const kafkajs = loadKafkajs();
const deadline = Date.now() + timeoutMs;
let lastError = 'not tried';
for (;;) {
  try {
    const info = kafkajs ? await probeWithKafkajs(kafkajs) : await probeRaw();
    if (!quiet) console.log(info);
    process.exit(0);
  } catch (err) {
    lastError = err instanceof Error ? err.message : String(err);
  }
  const dead = pids.find((pid) => !processAlive(pid));
  if (dead) {
    if (!quiet) console.error(`broker process ${dead} exited (last probe error: ${lastError})`);
    process.exit(2);
  }
  if (Date.now() >= deadline) {
    if (!quiet) console.error(`no answer from ${brokers.join(',')} (last probe error: ${lastError})`);
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 1000));
}
