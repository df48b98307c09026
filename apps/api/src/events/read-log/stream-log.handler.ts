import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../event-store/event-store.port.js';
import { EVENT_STORE } from '../../event-store/event-store.tokens.js';
import { type LogStream, StreamLogQuery } from './stream-log.query.js';

const PAGE_SIZE = 500;

@QueryHandler(StreamLogQuery)
export class StreamLogHandler implements IQueryHandler<StreamLogQuery, LogStream> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ selection }: StreamLogQuery): Promise<LogStream> {
    const head = await this.store.head();
    return { head, events: this.store.readLog({ ...selection, until: head }, PAGE_SIZE) };
  }
}
