import { Controller, Get, Headers, Inject, Req, Res } from '@nestjs/common';
import { type StreamQuery, StreamQuerySchema, ValidationError } from '@timeline/shared-types';
import type { HttpReply, HttpRequest } from '../http/http-types.js';
import { takeOver } from '../http/streaming-response/take-over.js';
import type { AppConfig } from '../config/config.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { EVENT_STORE } from '../event-store/event-store.tokens.js';
import { RetryLaterException } from '../http/errors/http-errors.js';
import { clientKey } from '../http/security/client-key.js';
import { ValidQuery } from '../http/validation/validated.js';
import { CONFIG, METRICS } from '../infrastructure/infrastructure.tokens.js';
import type { LiveFeed } from './live-feed.js';
import type { TimelineMetrics } from '../infrastructure/metrics.js';
import type { OpenStreams, SseAdmission } from './sse-admission.js';
import { SLOW_CLIENT, SseSession } from './sse-session.js';
import { LIVE_FEED, OPEN_STREAMS, SSE_ADMISSION } from './streaming.tokens.js';

/** How long a refused client should wait: places free up as other sessions end. */
const RETRY_AFTER_SECONDS = 5;
/** TCP keepalive probes find a peer that vanished without a FIN even while no event is due. */
const KEEPALIVE_DELAY_MS = 30_000;
/** On shutdown clients are told to come back after a moment (another instance, or this one restarted). */
const SHUTDOWN_RETRY_MS = 1_000;

/** Live Server-Sent Events: catch-up from the store, then live from Kafka; `id:` is the position. */
@Controller('api/stream')
export class StreamController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LIVE_FEED) private readonly feed: LiveFeed,
    @Inject(METRICS) private readonly metrics: TimelineMetrics,
    @Inject(CONFIG) private readonly config: Pick<AppConfig, 'sse' | 'limits'>,
    @Inject(SSE_ADMISSION) private readonly admission: SseAdmission,
    @Inject(OPEN_STREAMS) private readonly openStreams: OpenStreams,
  ) {}

  @Get()
  async stream(
    @ValidQuery(StreamQuerySchema) query: StreamQuery,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() req: HttpRequest,
    @Res() reply: HttpReply,
  ): Promise<void> {
    const after = resumePosition(lastEventId, query.after);
    const leave = this.admission.enter(clientKey(req));
    if (!leave) {
      throw new RetryLaterException(
        `too many open event streams (at most ${this.config.limits.sseMaxPerAddress} per client, ${this.config.limits.sseMaxClients} in all); retry after ${RETRY_AFTER_SECONDS} s`,
        RETRY_AFTER_SECONDS,
      );
    }
    // Heartbeats and the drain timeout decide when a quiet stream is dead, not the idle socket timeout.
    req.socket.setTimeout(0);
    req.socket.setNoDelay(true);
    req.socket.setKeepAlive(true, KEEPALIVE_DELAY_MS);
    this.metrics.sseClients.inc();
    const filter: { types?: string[]; streams?: string[]; pillars?: string[] } = {};
    if (query.types) filter.types = query.types;
    if (query.streams) filter.streams = query.streams;
    if (query.pillars) filter.pillars = query.pillars;
    const session = new SseSession(takeOver(reply), this.store, this.feed, {
      after,
      filter,
      heartbeatMs: this.config.sse.heartbeatMs,
      maxQueued: this.config.sse.maxQueued,
      drainTimeoutMs: this.config.limits.sseDrainTimeoutMs,
      maxCatchUp: this.config.limits.sseMaxCatchUp,
      onClose: (reason) => {
        leave();
        forget();
        this.metrics.sseClients.dec();
        if (reason.startsWith(SLOW_CLIENT)) this.metrics.sseClosedSlow.inc();
      },
    });
    const forget = this.openStreams.add((reason) => session.close(reason, true, SHUTDOWN_RETRY_MS));
    try {
      await session.run();
    } finally {
      leave();
      forget();
    }
  }
}

/** Last-Event-ID (set by a reconnecting EventSource) wins over `?after=`. */
function resumePosition(lastEventId: string | undefined, after: number | undefined): number {
  if (lastEventId === undefined || lastEventId === '') return after ?? 0;
  if (!/^\d{1,15}$/.test(lastEventId)) {
    throw new ValidationError(
      [{ path: 'Last-Event-ID', message: 'must be a log position (a whole number)' }],
      'request',
    );
  }
  return Number(lastEventId);
}
