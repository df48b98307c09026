#!/usr/bin/env node
/**
 * Dev-only stand-in for the API's read side, so the web app can be developed and looked at before the
 * real API runs. It serves the seed from `@timeline/shared-types/seed` (plus optional synthetic
 * events) in the API's shapes: GET /api/timeline, GET /api/events, GET /api/stream (SSE). The app
 * never depends on it; end-to-end tests run against the real API.
 *
 *   node test/support/fixture-server.mjs [--port 3000] [--extra 10000] [--demo-lineage]
 *        [--tick 5000] [--heartbeat 15000] [--serve-dist]
 *
 * Test hooks (loopback only): POST /__fixture/append {"count":1,"kind":"fact"|"correction"|"retraction",
 * "dropFromStream":false,"title":"…"} appends events (dropFromStream leaves them out of the SSE stream, to
 * exercise the browser's gap repair); POST /__fixture/close-streams sends `event: close` to every client.
 */
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { applyToTimeline, PILLARS, upcastEnvelope } from '@timeline/shared-types';
import { SEED_EVENTS } from '@timeline/shared-types/seed';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '3000' },
    host: { type: 'string', default: '127.0.0.1' },
    extra: { type: 'string', default: '0' },
    'demo-lineage': { type: 'boolean', default: false },
    tick: { type: 'string', default: '0' },
    heartbeat: { type: 'string', default: '15000' },
    'serve-dist': { type: 'boolean', default: false },
  },
});

const here = dirname(fileURLToPath(import.meta.url));
const distDir = join(here, '..', '..', 'dist');

/** @type {import('@timeline/shared-types').EventEnvelope[]} */
const log = [];
/** @type {Map<string, import('@timeline/shared-types').TimelineItem>} */
const items = new Map();
const streamVersions = new Map();
let clock = Date.parse('2024-07-25T09:00:00Z');

function nextRecordedAt() {
  clock += 1000;
  return new Date(clock).toISOString();
}

function append(event, recordedAt = nextRecordedAt()) {
  const version = (streamVersions.get(event.streamId) ?? 0) + 1;
  streamVersions.set(event.streamId, version);
  const envelope = {
    eventId: event.eventId ?? randomUUID(),
    streamId: event.streamId,
    streamVersion: version,
    position: log.length + 1,
    type: event.type,
    schemaVersion: event.schemaVersion ?? 1,
    occurredAt: event.occurredAt,
    recordedAt,
    data: event.data,
    metadata: { sources: event.metadata?.sources ?? [] },
  };
  const change = applyToTimeline(items, upcastEnvelope(envelope));
  if (change.kind === 'ignored')
    console.warn(`fixture: position ${envelope.position} ignored: ${change.reason}`);
  log.push(envelope);
  return envelope;
}

const ACTORS = [
  'Fixture Minister A',
  'Fixture Minister B',
  'Fixture Agency',
  'Fixture Council',
  'Fixture Envoy',
];
let synthetic = 0;

/** Obviously fake events for scale and live testing; the real data is the seed. */
function syntheticFact(random = Math.random) {
  synthetic += 1;
  const year = 2000 + Math.floor(random() * 26);
  const month = 1 + Math.floor(random() * 12);
  const day = 1 + Math.floor(random() * 28);
  const roll = random();
  const occurredAt =
    roll < 0.1
      ? { start: String(year), precision: 'year', derivation: 'Fixture: synthetic year-precision date.' }
      : roll < 0.25
        ? {
            start: `${year}-${pad(month)}`,
            precision: 'month',
            derivation: 'Fixture: synthetic month-precision date.',
          }
        : { start: `${year}-${pad(month)}-${pad(day)}`, precision: 'day' };
  const pillars = PILLARS.filter(() => random() < 0.18);
  const actors = ACTORS.filter(() => random() < 0.3);
  return {
    streamId: `fixture-${synthetic % 50}`,
    type: 'StatementIssued',
    occurredAt,
    data: {
      title: `Fixture statement #${synthetic}`,
      summary: 'A synthetic event from the web fixture server, not part of the dataset.',
      actors,
      pillars,
      speaker: actors[0] ?? 'Fixture speaker',
      channel: 'remarks',
    },
    metadata: {
      sources: [
        { publisher: 'Fixture', title: 'Synthetic data', quote: `Synthetic quote number ${synthetic}.` },
      ],
    },
  };
}

function liveItemIds() {
  return [...items.values()].filter((i) => !i.retracted).map((i) => i.id);
}

/** An event about an earlier one (a correction or a retraction), on that event's stream and date. */
function aboutEvent(targetId, type, data) {
  const target = items.get(targetId);
  return {
    streamId: target?.streamId ?? 'fixture-corrections',
    type,
    occurredAt: target?.occurredAt ?? { start: '2024-07-24', precision: 'day' },
    data,
  };
}

function correction(targetId, reason) {
  const title = `${items.get(targetId)?.title ?? 'Event'} (corrected)`;
  return aboutEvent(targetId, 'EventCorrected', { correctedEventId: targetId, patch: { title }, reason });
}

function retraction(targetId, reason) {
  return aboutEvent(targetId, 'EventRetracted', { retractedEventId: targetId, reason });
}

function pad(n) {
  return String(n).padStart(2, '0');
}

// ---- initial log ------------------------------------------------------------------------

for (const event of SEED_EVENTS) append(event);
if (args['demo-lineage']) {
  const ids = liveItemIds();
  const [first, second] = [ids[3], ids[5]];
  if (first) append(correction(first, 'Fixture: demonstrates a correction in the lineage.'));
  if (second) append(retraction(second, 'Fixture: demonstrates a retraction in the lineage.'));
}
const extra = Number(args.extra);
let seed = 42;
const seeded = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
for (let i = 0; i < extra; i++) append(syntheticFact(seeded));
console.log(`fixture: ${log.length} events, ${items.size} items`);

// ---- SSE --------------------------------------------------------------------------------

/** @type {Set<{res: import('node:http').ServerResponse, sent: number}>} */
const clients = new Set();

function sendEvent(client, envelope) {
  client.res.write(`id: ${envelope.position}\ndata: ${JSON.stringify(envelope)}\n\n`);
  client.sent = envelope.position;
}

function broadcast(envelope, { drop = false } = {}) {
  for (const client of clients) {
    if (drop) continue;
    sendEvent(client, envelope);
  }
}

setInterval(() => {
  for (const client of clients)
    client.res.write(`event: heartbeat\ndata: ${JSON.stringify({ head: log.length })}\n\n`);
}, Number(args.heartbeat)).unref();

if (Number(args.tick) > 0) {
  setInterval(() => broadcast(append(syntheticFact())), Number(args.tick)).unref();
}

// ---- HTTP -------------------------------------------------------------------------------

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function readBody(req) {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      try {
        resolve(text ? JSON.parse(text) : {});
      } catch {
        resolve({});
      }
    });
  });
}

function positionParam(url, name, fallback) {
  const value = url.searchParams.get(name);
  return value !== null && /^\d+$/.test(value) ? Number(value) : fallback;
}

function logUpToAsOf(asOf) {
  if (!asOf) return log;
  const ms = Date.parse(asOf);
  const end = log.findIndex((e) => Date.parse(e.recordedAt) > ms);
  return end === -1 ? log : log.slice(0, end);
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://fixture');
  try {
    if (req.method === 'GET' && url.pathname === '/api/timeline') {
      const asOf = url.searchParams.get('asOf') ?? undefined;
      const source = logUpToAsOf(asOf);
      const state = new Map();
      for (const envelope of source) applyToTimeline(state, upcastEnvelope(envelope));
      const body = {
        items: [...state.values()].filter((i) => !i.retracted),
        position: source.at(-1)?.position ?? 0,
      };
      if (asOf) body.asOf = asOf;
      return json(res, 200, body);
    }
    if (req.method === 'GET' && url.pathname === '/api/events') {
      const after = positionParam(url, 'after', 0);
      const limit = Math.min(positionParam(url, 'limit', 1000), 10_000);
      const source = logUpToAsOf(url.searchParams.get('asOf') ?? undefined);
      const events = source.slice(after, after + limit);
      return json(res, 200, { events, nextAfter: events.at(-1)?.position ?? after, head: log.length });
    }
    if (req.method === 'GET' && url.pathname === '/api/stream') {
      const lastEventId = req.headers['last-event-id'];
      const after =
        typeof lastEventId === 'string' && /^\d+$/.test(lastEventId)
          ? Number(lastEventId)
          : positionParam(url, 'after', log.length);
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(': connected\n\n');
      const client = { res, sent: after };
      for (const envelope of log.slice(after)) sendEvent(client, envelope);
      clients.add(client);
      req.on('close', () => clients.delete(client));
      return;
    }
    if (req.method === 'POST' && url.pathname === '/__fixture/append') {
      const body = await readBody(req);
      const count = Math.max(1, Math.min(Number(body.count ?? 1), 10_000));
      const appended = [];
      for (let i = 0; i < count; i++) {
        const ids = liveItemIds();
        const target = ids[Math.floor(Math.random() * ids.length)];
        const event =
          body.kind === 'correction' && target
            ? correction(body.target ?? target, body.reason ?? 'Fixture correction.')
            : body.kind === 'retraction' && target
              ? retraction(body.target ?? target, body.reason ?? 'Fixture retraction.')
              : syntheticFact();
        if (typeof body.title === 'string' && event.type === 'StatementIssued') event.data.title = body.title;
        const envelope = append(event, new Date(Math.max(Date.now(), clock + 1000)).toISOString());
        clock = Date.parse(envelope.recordedAt);
        broadcast(envelope, { drop: body.dropFromStream === true });
        appended.push({ position: envelope.position, eventId: envelope.eventId, type: envelope.type });
      }
      return json(res, 201, { appended, head: log.length });
    }
    if (req.method === 'POST' && url.pathname === '/__fixture/close-streams') {
      for (const client of clients) {
        client.res.write(`event: close\ndata: ${JSON.stringify({ reason: 'fixture asked to close' })}\n\n`);
        client.res.end();
      }
      clients.clear();
      return json(res, 200, { closed: true });
    }
    if (req.method === 'GET' && args['serve-dist'] && !url.pathname.startsWith('/api/')) {
      const relative = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
      let file = join(distDir, relative);
      if (!file.startsWith(distDir)) return json(res, 403, { message: 'forbidden' });
      const info = await stat(file).catch(() => null);
      if (!info || info.isDirectory()) file = join(distDir, 'index.html');
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
      return res.end(await readFile(file));
    }
    return json(res, 404, { statusCode: 404, error: 'Not Found', message: `${req.method} ${url.pathname}` });
  } catch (error) {
    return json(res, 500, { statusCode: 500, error: 'Internal Server Error', message: String(error) });
  }
});

server.listen(Number(args.port), args.host, () => {
  console.log(`fixture: listening on http://${args.host}:${args.port}`);
});
