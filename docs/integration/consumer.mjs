#!/usr/bin/env node
// A standalone consumer of Timeline's events topic: kafkajs and the published AsyncAPI document,
// nothing of the Timeline code base. It prints one JSON line per event, in position order, once each.
// See README.md beside it.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';

const { values: options } = parseArgs({
  options: {
    brokers: { type: 'string', default: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092' },
    asyncapi: {
      type: 'string',
      default: join(dirname(fileURLToPath(import.meta.url)), '..', 'asyncapi.json'),
    },
    topic: { type: 'string' },
    after: { type: 'string', default: '0' },
    until: { type: 'string' },
  },
});

/** The document from a file or from a running API (`http://…/api/docs/asyncapi.json`). */
async function loadDocument(from) {
  if (/^https?:\/\//.test(from)) {
    const response = await fetch(from);
    if (!response.ok) throw new Error(`GET ${from}: ${response.status}`);
    return response.json();
  }
  return JSON.parse(await readFile(from, 'utf8'));
}

const document = await loadDocument(options.asyncapi);
const topic = options.topic ?? document.channels.events.address;
const messages = document.components.messages;

const resolve = (schema) =>
  schema?.$ref
    ? resolve(
        schema.$ref
          .slice(2)
          .split('/')
          .reduce((node, key) => node[key.replace(/~1/g, '/').replace(/~0/g, '~')], document),
      )
    : schema;

const typeOf = (value) =>
  Array.isArray(value)
    ? 'array'
    : value === null
      ? 'null'
      : Number.isInteger(value)
        ? 'integer'
        : typeof value;

/**
 * A hand check of the parts of JSON Schema that say what a field is: required fields, types and
 * constants, all the way down. Enough to reject a message that is not the event its headers name;
 * a full validator (Ajv, say) would also check lengths and patterns.
 */
function problems(schema, value, path = '') {
  const s = resolve(schema);
  if (!s) return [];
  if (s.const !== undefined && value !== s.const)
    return [`${path || '/'}: must be ${JSON.stringify(s.const)}`];
  const actual = typeOf(value);
  if (s.type && s.type !== actual && !(s.type === 'number' && actual === 'integer'))
    return [`${path || '/'}: must be ${s.type}, is ${actual}`];
  const found = [];
  if (actual === 'object') {
    for (const name of s.required ?? []) if (!(name in value)) found.push(`${path}/${name}: required`);
    for (const [name, property] of Object.entries(s.properties ?? {}))
      if (name in value) found.push(...problems(property, value[name], `${path}/${name}`));
  }
  if (actual === 'array' && s.items)
    for (const [i, item] of value.entries()) found.push(...problems(s.items, item, `${path}/${i}`));
  return found;
}

/** The event a message carries, or why it is not one. */
function read(message) {
  const headers = Object.fromEntries(
    Object.entries(message.headers ?? {}).map(([name, value]) => [
      name,
      String(Array.isArray(value) ? value[0] : value),
    ]),
  );
  const spec = messages[headers.ce_type];
  if (!spec) return { error: `no message '${headers.ce_type}' in the AsyncAPI document` };
  let envelope;
  try {
    envelope = JSON.parse(message.value?.toString('utf8') ?? 'null');
  } catch {
    return { error: 'value is not JSON' };
  }
  const found = [...problems(spec.headers, headers), ...problems(spec.payload, envelope)];
  if (Number(headers.position) !== envelope?.position) found.push('position header disagrees with the body');
  return found.length
    ? { error: found.join('; '), position: Number(headers.position) }
    : { envelope, headers };
}

// Order across partitions: positions are gapless, so hold what arrives early until the ones before it come.
let next = Number(options.after) + 1;
const until = options.until === undefined ? Number.POSITIVE_INFINITY : Number(options.until);
const held = new Map();
const stats = { printed: 0, duplicates: 0, rejected: 0, mostHeld: 0 };

function release() {
  while (held.has(next)) {
    const entry = held.get(next);
    held.delete(next);
    if (entry.envelope) {
      const { position, eventId, streamId, type, schemaVersion, data } = entry.envelope;
      console.log(
        JSON.stringify({
          position,
          eventId,
          streamId,
          type,
          schemaVersion,
          ceType: entry.headers.ce_type,
          data,
        }),
      );
      stats.printed += 1;
    }
    next += 1;
  }
}

const kafka = new Kafka({
  clientId: 'timeline-example-consumer',
  brokers: options.brokers.split(','),
  logLevel: logLevel.ERROR,
});
// A group of its own each run: the example keeps its place in memory (`--after` says where it starts),
// so it reads the topic from the beginning and skips what it has already handled, by position.
const consumer = kafka.consumer({ groupId: `timeline-example-${process.pid}-${Date.now()}` });
let stopping;
const stop = (code) => {
  stopping ??= consumer
    .disconnect()
    .catch(() => undefined)
    .then(() => {
      console.error(JSON.stringify({ topic, next, ...stats }));
      process.exit(code);
    });
  return stopping;
};
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

await consumer.connect();
await consumer.subscribe({ topic, fromBeginning: true });
await consumer.run({
  eachMessage: async ({ message, partition }) => {
    if (stopping) return;
    const result = read(message);
    const position = result.envelope?.position ?? result.position;
    if (result.error) {
      stats.rejected += 1;
      console.error(`partition ${partition} offset ${message.offset}: ${result.error}`);
      // A rejected message with a position still fills its place, or the order would wait for it forever.
      if (!Number.isInteger(position) || position < 1) return;
    }
    if (position < next || held.has(position)) {
      stats.duplicates += 1;
      return;
    }
    held.set(position, result);
    stats.mostHeld = Math.max(stats.mostHeld, held.size);
    release();
    // Not awaited: kafkajs disconnects only after this handler has returned.
    if (next > until) void stop(0);
  },
});
