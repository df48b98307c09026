import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  compareItems,
  foldTimeline,
  matchesTimelineFilter,
  type TimelineFilter,
  type TimelineResponse,
  upcastEnvelope,
} from '@timeline/shared-types';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import type { Streaming } from '../../streaming/streaming.js';
import { STREAMING } from '../../streaming/tokens.js';
import { GetTimelineQuery } from './get-timeline.query.js';

/**
 * The current timeline comes from the read model the projector keeps. "As of" a past moment is a
 * fold of the log up to that knowledge time (the read model only knows the present).
 */
@QueryHandler(GetTimelineQuery)
export class GetTimelineHandler implements IQueryHandler<GetTimelineQuery, TimelineResponse> {
  constructor(
    @Inject(STREAMING) private readonly streaming: Streaming,
    @Inject(EVENT_STORE) private readonly store: EventStore,
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
    let position = 0;
    const events = (async function* (store: EventStore) {
      for await (const event of store.readLog({ asOf: asOfInstant })) {
        position = event.position;
        yield upcastEnvelope(event);
      }
    })(this.store);
    const collected = [];
    for await (const e of events) collected.push(e);
    const items = [...foldTimeline(collected).values()]
      .filter((i) => matchesTimelineFilter(i, itemFilter))
      .sort(compareItems);
    return { items, position, asOf: asOfInstant };
  }
}
