import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  knowledgeInstant,
  type TimelineWindowQuery,
  TimelineWindowQuerySchema,
  windowEndMs,
  windowStartMs,
} from '@timeline/shared-types';
import type { HttpReply } from '../http/http-types.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { EVENT_STORE } from '../event-store/event-store.tokens.js';
import { replayHorizon } from '../event-store/replay-pages.js';
import { ValidQuery } from '../http/validation/validated.js';
import { GetTimelineQuery } from './get-timeline.query.js';
import { TIMELINE_WINDOW_READS } from './read-model.tokens.js';
import { answerTagged } from './timeline-window-etag.js';
import type { TimelineWindowReads } from './timeline-window-reads.js';

@Controller('api/timeline')
export class GetTimelineController {
  constructor(
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(TIMELINE_WINDOW_READS) private readonly reads: TimelineWindowReads,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /**
   * Without `budget`: every matching item (as before issue 12, for the CLI and older clients). With
   * `budget`: the window's items or buckets (TimelineWindowResponse), tagged with its position.
   */
  @Get()
  async timeline(
    @ValidQuery(TimelineWindowQuerySchema) query: TimelineWindowQuery,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: HttpReply,
  ): Promise<void> {
    const { budget, buckets, groupBy, at, ...filter } = query;
    if (budget === undefined) {
      res.send(await this.queries.execute(new GetTimelineQuery(filter)));
      return;
    }
    const state = await this.reads.state();
    const asOf = filter.asOf === undefined ? undefined : knowledgeInstant(filter.asOf);
    const position =
      asOf === undefined ? at : await replayHorizon(this.store, { asOf, until: state.position });
    await answerTagged(res, ifNoneMatch, position ?? state.position, async () => {
      const answer = await this.reads.window(
        {
          budget,
          ...(buckets === undefined ? {} : { maxBuckets: buckets }),
          groupBy: groupBy ?? 'pillar',
          ...(filter.from === undefined ? {} : { fromMs: windowStartMs(filter.from) }),
          ...(filter.to === undefined ? {} : { toMs: windowEndMs(filter.to) + 1 }),
          ...(position === undefined ? {} : { at: position }),
          filter: {
            ...(filter.pillars ? { pillars: filter.pillars } : {}),
            ...(filter.actors ? { actors: filter.actors } : {}),
            ...(filter.types ? { types: filter.types } : {}),
            ...(filter.streams ? { streams: filter.streams } : {}),
            ...(filter.q === undefined ? {} : { q: filter.q }),
            ...(filter.includeRetracted ? { includeRetracted: true } : {}),
          },
        },
        state,
      );
      return asOf === undefined ? answer : { ...answer, asOf };
    });
  }
}
