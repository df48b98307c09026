import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { TimelineFilter, TimelineResponse } from '@timeline/shared-types';
import type { CurrentTimeline } from './current-timeline.js';
import { CURRENT_TIMELINE } from './read-model.tokens.js';
import { GetTimelineQuery } from './get-timeline.query.js';

@QueryHandler(GetTimelineQuery)
export class GetTimelineHandler implements IQueryHandler<GetTimelineQuery, TimelineResponse> {
  constructor(@Inject(CURRENT_TIMELINE) private readonly timeline: CurrentTimeline) {}

  execute({ filter }: GetTimelineQuery): Promise<TimelineResponse> {
    const { asOf, ...rest } = filter;
    // Only the fields that are set: the read model's filter treats a present key as a condition.
    const itemFilter: TimelineFilter = {};
    if (rest.from !== undefined) itemFilter.from = rest.from;
    if (rest.to !== undefined) itemFilter.to = rest.to;
    if (rest.pillars) itemFilter.pillars = rest.pillars;
    if (rest.actors) itemFilter.actors = rest.actors;
    if (rest.types) itemFilter.types = rest.types;
    if (rest.streams) itemFilter.streams = rest.streams;
    if (rest.q !== undefined) itemFilter.q = rest.q;
    if (rest.includeRetracted !== undefined) itemFilter.includeRetracted = rest.includeRetracted;
    return this.timeline.read(itemFilter, asOf);
  }
}
