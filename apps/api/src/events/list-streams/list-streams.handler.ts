import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../event-store/event-store.port.js';
import { EVENT_STORE } from '../../event-store/event-store.tokens.js';
import { ListStreamsQuery, type StreamList } from './list-streams.query.js';

@QueryHandler(ListStreamsQuery)
export class ListStreamsHandler implements IQueryHandler<ListStreamsQuery, StreamList> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** One row more than the page tells whether another page follows, so the last page says `next: null`. */
  async execute({ page }: ListStreamsQuery): Promise<StreamList> {
    const rows = await this.store.listStreams({ after: page.after, limit: page.limit + 1 });
    const streams = rows.slice(0, page.limit);
    return { streams, next: rows.length > page.limit ? streams.at(-1)!.streamId : null };
  }
}
