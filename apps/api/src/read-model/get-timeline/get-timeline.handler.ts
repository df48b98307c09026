import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  matchesTimelineFilter,
  normalizeReplaySelection,
  type TimelineFilter,
  type TimelineResponse,
} from '@timeline/shared-types';
import type { ReplayService } from '../../replay/replay.service.js';
import { REPLAY_SERVICE } from '../../replay/replay.tokens.js';
import type { Streaming } from '../../streaming/streaming.js';
import { STREAMING } from '../../streaming/tokens.js';
import { GetTimelineQuery } from './get-timeline.query.js';

/**
 * The current timeline comes from the read model the projector keeps. "As of" a past moment is the
 * replay's fold of the log up to that knowledge time (the read model only knows the present).
 */
@QueryHandler(GetTimelineQuery)
export class GetTimelineHandler implements IQueryHandler<GetTimelineQuery, TimelineResponse> {
  constructor(
    @Inject(STREAMING) private readonly streaming: Streaming,
    @Inject(REPLAY_SERVICE) private readonly replay: ReplayService,
  ) {}

  async execute({ filter }: GetTimelineQuery): Promise<TimelineResponse> {
    const { asOf, ...rest } = filter;
    const itemFilter: TimelineFilter = {};
    if (rest.from !== undefined) itemFilter.from = rest.from;
    if (rest.to !== undefined) itemFilter.to = rest.to;
    if (rest.pillars) itemFilter.pillars = rest.pillars;
    if (rest.actors) itemFilter.actors = rest.actors;
    if (rest.types) itemFilter.types = rest.types;
    if (rest.streams) itemFilter.streams = rest.streams;
    if (rest.q !== undefined) itemFilter.q = rest.q;
    if (rest.includeRetracted !== undefined) itemFilter.includeRetracted = rest.includeRetracted;
    if (asOf === undefined) return this.streaming.readModel.items(itemFilter);

    const asOfInstant = new Date(asOf).toISOString();
    const known = await this.replay.timeline(
      normalizeReplaySelection({ mode: 'timeline', asOf: asOfInstant }),
    );
    const items = known.items.filter((i) => matchesTimelineFilter(i, itemFilter));
    const position = known.position;
    return { items, position, asOf: asOfInstant };
  }
}
