import { Controller, Get, Headers, Inject, Req, Res } from '@nestjs/common';
import { type StreamQuery, StreamQuerySchema, ValidationError } from '@timeline/shared-types';
import type { Request, Response } from 'express';
import type { AppConfig } from '../config/config.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { EVENT_STORE } from '../event-store/event-store.tokens.js';
import { ValidQuery } from '../http/validation/validated.js';
import { CONFIG } from '../infrastructure/infrastructure.tokens.js';
import type { LiveFeed } from './live-feed.js';
import type { TimelineMetrics } from './metrics.js';
import { SseSession } from './sse-session.js';
import { LIVE_FEED, METRICS } from './streaming.tokens.js';

/** Live Server-Sent Events: catch-up from the store, then live from Kafka; `id:` is the position. */
@Controller('api/stream')
export class StreamController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LIVE_FEED) private readonly feed: LiveFeed,
    @Inject(METRICS) private readonly metrics: TimelineMetrics,
    @Inject(CONFIG) private readonly config: Pick<AppConfig, 'sse'>,
  ) {}

  @Get()
  async stream(
    @ValidQuery(StreamQuerySchema) query: StreamQuery,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const after = resumePosition(lastEventId, query.after);
    req.socket.setTimeout(0);
    req.socket.setNoDelay(true);
    this.metrics.sseClients.inc();
    const filter: { types?: string[]; streams?: string[]; pillars?: string[] } = {};
    if (query.types) filter.types = query.types;
    if (query.streams) filter.streams = query.streams;
    if (query.pillars) filter.pillars = query.pillars;
    const session = new SseSession(res, this.store, this.feed, {
      after,
      filter,
      heartbeatMs: this.config.sse.heartbeatMs,
      maxQueued: this.config.sse.maxQueued,
      onClose: (reason) => {
        this.metrics.sseClients.dec();
        if (reason.startsWith('slow client')) this.metrics.sseClosedSlow.inc();
      },
    });
    await session.run();
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
