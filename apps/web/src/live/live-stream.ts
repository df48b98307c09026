import type { EventEnvelope } from '@timeline/shared-types';

export type LiveStatus =
  | { state: 'connecting'; after: number }
  | { state: 'open'; after: number }
  | { state: 'reconnecting'; inMs: number; attempt: number; reason: string }
  | { state: 'stopped' };

/** Exponential backoff with jitter: 0.5 s, 1 s, 2 s … capped, each scaled by 50–100 %. */
export function backoffDelay(
  attempt: number,
  options: { baseMs?: number; maxMs?: number; random?: () => number } = {},
): number {
  const base = options.baseMs ?? 500;
  const max = options.maxMs ?? 30_000;
  const random = options.random ?? Math.random;
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt));
  return Math.round(ceiling * (0.5 + random() / 2));
}

export interface MinimalEventSource {
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
  onopen: ((this: EventSource, ev: Event) => unknown) | null;
  onerror: ((this: EventSource, ev: Event) => unknown) | null;
}

export interface LiveStreamOptions {
  /** The last position applied; the stream resumes after it (`?after=`, as Last-Event-ID would). */
  after(): number;
  onEvent(envelope: EventEnvelope): void;
  onHeartbeat(head: number): void;
  onStatus(status: LiveStatus): void;
  url?(after: number): string;
  createEventSource?(url: string): MinimalEventSource;
  backoff?(attempt: number): number;
  setTimer?(fn: () => void, ms: number): unknown;
  clearTimer?(handle: unknown): void;
}

/**
 * Follows `GET /api/stream`. The browser's own EventSource retry would resume with Last-Event-ID, but
 * only on its schedule and not after the server's `close`; so every drop is handled here: close,
 * wait with backoff, reopen with `?after=<last applied position>`. Ordering and gap repair are the
 * Sequencer's job; this only turns SSE messages into envelopes.
 */
export class LiveStream {
  private source: MinimalEventSource | null = null;
  private timer: unknown = null;
  private attempt = 0;
  private running = false;

  constructor(private readonly options: LiveStreamOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  stop(): void {
    this.running = false;
    this.source?.close();
    this.source = null;
    if (this.timer !== null) (this.options.clearTimer ?? ((h) => clearTimeout(h as number)))(this.timer);
    this.timer = null;
    this.options.onStatus({ state: 'stopped' });
  }

  private connect(): void {
    this.timer = null;
    if (!this.running) return;
    const after = this.options.after();
    const url = this.options.url?.(after) ?? `/api/stream?after=${after}`;
    const create = this.options.createEventSource ?? ((u: string) => new EventSource(u));
    this.options.onStatus({ state: 'connecting', after });
    const source = create(url);
    this.source = source;
    source.onopen = () => {
      if (this.source !== source) return;
      this.attempt = 0;
      this.options.onStatus({ state: 'open', after });
    };
    source.onerror = () => {
      if (this.source === source) this.reconnect('connection lost');
    };
    source.addEventListener('message', (message) => {
      if (this.source !== source) return;
      const envelope = parseEnvelope(message.data);
      if (envelope) this.options.onEvent(envelope);
    });
    source.addEventListener('heartbeat', (message) => {
      if (this.source !== source) return;
      const head = parseJson(message.data) as { head?: unknown } | undefined;
      if (head && typeof head.head === 'number' && Number.isInteger(head.head))
        this.options.onHeartbeat(head.head);
    });
    source.addEventListener('close', (message) => {
      if (this.source !== source) return;
      const body = parseJson(message.data) as { reason?: unknown } | undefined;
      this.reconnect(
        typeof body?.reason === 'string' ? `server closed: ${body.reason}` : 'server closed the stream',
      );
    });
  }

  private reconnect(reason: string): void {
    this.source?.close();
    this.source = null;
    if (!this.running) return;
    const inMs = (this.options.backoff ?? backoffDelay)(this.attempt);
    this.attempt += 1;
    this.options.onStatus({ state: 'reconnecting', inMs, attempt: this.attempt, reason });
    this.timer = (this.options.setTimer ?? ((fn, ms) => setTimeout(fn, ms)))(() => this.connect(), inMs);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Only the fields the sequencer relies on are checked here; the fold validates the rest. */
export function parseEnvelope(text: string): EventEnvelope | undefined {
  const value = parseJson(text) as Partial<EventEnvelope> | undefined;
  if (!value || typeof value !== 'object') return undefined;
  if (typeof value.position !== 'number' || !Number.isInteger(value.position) || value.position < 1)
    return undefined;
  if (
    typeof value.eventId !== 'string' ||
    typeof value.type !== 'string' ||
    typeof value.recordedAt !== 'string'
  )
    return undefined;
  return value as EventEnvelope;
}
