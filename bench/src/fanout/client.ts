import { type ClientRequest, request } from 'node:http';
import type { Progress } from '../lib/report.js';

const NEWLINE = 0x0a;
const ID = Buffer.from('id: ');
const DATA = Buffer.from('data: ');
const HEARTBEAT_LINE = Buffer.from('event: heartbeat\n');
/** What a gateway sends before it closes a stream itself (a slow client, a shutdown) or refuses a catch-up. */
const CLOSING_EVENTS = [Buffer.from('event: close\n'), Buffer.from('event: reset\n')];

/**
 * One SSE client of the fan-out bench. It reads only the `id:` lines (the position) and the closing
 * events, never the JSON bodies, and works on the bytes (no decoding to strings): the generator shares
 * the machine with what it measures.
 */
export class FanoutClient {
  /** Deliveries per position, indexed by position - base - 1. */
  readonly seen: Uint8Array;
  /** When each position first arrived (performance.now()), same index; 0 = not yet. */
  readonly arrivedAt: Float64Array;
  /** Distinct positions received. */
  distinct = 0;
  /** The highest position received (base when none). */
  highest: number;
  ended = false;
  /** Why the gateway closed the stream: the `event: close` / `event: reset` data, or how it ended. */
  closeReason: string | undefined;
  /** The bytes after the last newline of what arrived so far (a line cut by the network). */
  private carry: Buffer | undefined;
  private req: ClientRequest | undefined;

  constructor(
    private readonly base: number,
    capacity: number,
  ) {
    this.seen = new Uint8Array(capacity);
    this.arrivedAt = new Float64Array(capacity);
    this.highest = base;
  }

  connect(url: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.req = request(url, { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`SSE answered ${res.statusCode}`));
          res.resume();
          return;
        }
        res.on('data', (chunk: Buffer) => this.onData(chunk));
        res.on('end', () => this.end('the stream ended without a close event'));
        res.on('error', (error) => this.end(`the stream failed: ${error.message}`));
        resolve();
      });
      this.req.on('error', (error) => {
        this.end(`the request failed: ${error.message}`);
        reject(error);
      });
      this.req.end();
    });
  }

  private end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.closeReason ??= reason;
  }

  private onData(chunk: Buffer): void {
    const now = performance.now();
    const data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    const lastNewline = data.lastIndexOf(NEWLINE);
    // A copy: the carry must not keep the whole chunk alive.
    this.carry = lastNewline + 1 < data.length ? Buffer.from(data.subarray(lastNewline + 1)) : undefined;
    if (lastNewline === -1) return;
    for (let at = data.indexOf(ID); at !== -1 && at < lastNewline; at = data.indexOf(ID, at + 4)) {
      if (at > 0 && data[at - 1] !== NEWLINE) continue;
      // A heartbeat carries the cursor as its id: not a delivery.
      if (
        at >= HEARTBEAT_LINE.length &&
        data.compare(HEARTBEAT_LINE, 0, HEARTBEAT_LINE.length, at - HEARTBEAT_LINE.length, at) === 0
      )
        continue;
      let position = 0;
      for (let i = at + 4; data[i] !== NEWLINE; i++) position = position * 10 + data[i]! - 48;
      this.record(position, now);
    }
    for (const closing of CLOSING_EVENTS) {
      const at = data.indexOf(closing);
      if (at === -1 || at > lastNewline || (at > 0 && data[at - 1] !== NEWLINE)) continue;
      const from = data.indexOf(DATA, at);
      const line = from === -1 ? '' : data.toString('utf8', from + DATA.length, data.indexOf(NEWLINE, from));
      this.closeReason = `${closing.toString('utf8', 7, closing.length - 1)}: ${reasonOf(line)}`;
    }
  }

  private record(position: number, now: number): void {
    const index = position - this.base - 1;
    if (index < 0 || index >= this.seen.length) return;
    if (this.seen[index] === 0) {
      this.distinct += 1;
      this.arrivedAt[index] = now;
      if (position > this.highest) this.highest = position;
    }
    this.seen[index] = Math.min(255, this.seen[index]! + 1);
  }

  close(): void {
    this.req?.destroy();
  }
}

/** Every acknowledged (client, event) pair, by what became of it when the drain ended. */
export interface DeliveryTally {
  /** Received before the last append was acknowledged. */
  onTime: number;
  /** Received after the last append was acknowledged (during the drain): late, not lost. */
  late: number;
  /** Never received although a later position was: a hole in an ordered stream, so it will never come. */
  lostHole: number;
  /** Never received, nothing later either, on a stream still open when the drain gave up. */
  lostTail: number;
  /** Never received on a stream the gateway closed (it could resume with Last-Event-ID). */
  onClosedClients: number;
  duplicates: number;
}

export function tallyDeliveries(
  clients: readonly FanoutClient[],
  base: number,
  positions: readonly number[],
  appendsEndedAt: number,
): DeliveryTally {
  const tally: DeliveryTally = {
    onTime: 0,
    late: 0,
    lostHole: 0,
    lostTail: 0,
    onClosedClients: 0,
    duplicates: 0,
  };
  for (const client of clients) {
    for (const p of positions) {
      const index = p - base - 1;
      const count = client.seen[index]!;
      if (count > 1) tally.duplicates += count - 1;
      if (count > 0) {
        if (client.arrivedAt[index]! <= appendsEndedAt) tally.onTime += 1;
        else tally.late += 1;
      } else if (client.ended) tally.onClosedClients += 1;
      else if (client.highest > p) tally.lostHole += 1;
      else tally.lostTail += 1;
    }
  }
  return tally;
}

/** The `reason` of a closing event's JSON data (its other fields differ per client), or the data as sent. */
function reasonOf(data: string): string {
  try {
    const reason = (JSON.parse(data) as { reason?: unknown }).reason;
    return typeof reason === 'string' ? reason : data;
  } catch {
    return data;
  }
}

/** Closed clients counted by reason. */
export function closeReasons(clients: readonly FanoutClient[]): Record<string, number> {
  const reasons: Record<string, number> = {};
  for (const client of clients) {
    if (!client.ended && client.closeReason === undefined) continue;
    const reason = client.closeReason ?? 'ended';
    reasons[reason] = (reasons[reason] ?? 0) + 1;
  }
  return reasons;
}

/** One sample of where the pipeline is: store head and relay checkpoint (writer), each gateway's live feed. */
export interface PipelineSample {
  atMs: number;
  head: number;
  published: number;
  gateways: number[];
}

async function gauge(baseUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
}

/**
 * Samples the pipeline once a second: where events wait when deliveries are late (the relay, the
 * gateway's feed, or the sessions behind the feed). Positions are relative to the run's first event.
 */
export class PipelineSampler {
  readonly samples: PipelineSample[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly writerUrl: string,
    private readonly gatewayUrls: readonly string[],
    private readonly base: number,
  ) {}

  start(t0: number): void {
    this.timer = setInterval(() => void this.sample(t0), 1_000);
  }

  private async sample(t0: number): Promise<void> {
    const at = performance.now();
    try {
      const [head, published, ...gateways] = await Promise.all([
        gauge(this.writerUrl, 'timeline_store_head_position'),
        gauge(this.writerUrl, 'timeline_relay_published_position'),
        ...this.gatewayUrls.map((url) => gauge(url, 'timeline_gateway_position')),
      ]);
      this.samples.push({
        atMs: Math.round(at - t0),
        head: head! - this.base,
        published: published! - this.base,
        gateways: gateways.map((g) => g - this.base),
      });
    } catch {
      // a missed sample is not a result
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** The drain ends when every open client has every event, when nothing arrived for DRAIN_STALL_MS, or at this. */
const DRAIN_TIMEOUT_MS = 180_000;
const DRAIN_STALL_MS = 20_000;

export type DrainEnd = 'complete' | 'stalled' | 'timeout';

/**
 * Waits until every open client has all `events`, nothing arrives for a while, or the timeout. Returns
 * why it ended and the milliseconds from `appendsEndedAt` to the last arrival (or to the giving up).
 */
export async function drain(
  clients: readonly FanoutClient[],
  events: number,
  appendsEndedAt: number,
  progress: Progress,
): Promise<{ end: DrainEnd; ms: number }> {
  const wanted = clients.length * events;
  let end: DrainEnd = 'timeout';
  let received = -1;
  let progressAt = performance.now();
  for (;;) {
    const waiting = clients.filter((c) => !c.ended && c.distinct < events).length;
    const now = clients.reduce((sum, c) => sum + c.distinct, 0);
    if (now !== received) {
      received = now;
      progressAt = performance.now();
    }
    progress.update(`draining: ${waiting} open clients still waiting; ${received}/${wanted} delivered`);
    if (waiting === 0) {
      end = 'complete';
      break;
    }
    if (performance.now() - progressAt > DRAIN_STALL_MS) {
      end = 'stalled';
      break;
    }
    if (performance.now() - appendsEndedAt > DRAIN_TIMEOUT_MS) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const lastArrival = Math.max(
    appendsEndedAt,
    ...clients.map((c) => c.arrivedAt.reduce((max, at) => Math.max(at, max), 0)),
  );
  return { end, ms: Math.round((end === 'complete' ? lastArrival : performance.now()) - appendsEndedAt) };
}
