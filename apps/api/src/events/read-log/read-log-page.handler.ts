import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { LogPage } from '@timeline/shared-types';
import type { EventStore } from '../../event-store/event-store.port.js';
import { EVENT_STORE } from '../../event-store/event-store.tokens.js';
import { ReadLogPageQuery } from './read-log-page.query.js';

@QueryHandler(ReadLogPageQuery)
export class ReadLogPageHandler implements IQueryHandler<ReadLogPageQuery, LogPage> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** The head is read first and bounds the page, so `head` is never behind the events it comes with. */
  async execute({ selection }: ReadLogPageQuery): Promise<LogPage> {
    const head = await this.store.head();
    const events = await this.store.readLogPage({ ...selection, until: head });
    return { events, nextAfter: events.at(-1)?.position ?? selection.after ?? 0, head };
  }
}
