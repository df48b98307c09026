import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../event-store/event-store.port.js';
import { EVENT_STORE } from '../../event-store/event-store.tokens.js';
import { type EventDetails, eventDetails } from './event-details.js';
import { GetEventQuery } from './get-event.query.js';

@QueryHandler(GetEventQuery)
export class GetEventHandler implements IQueryHandler<GetEventQuery, EventDetails | undefined> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ eventId }: GetEventQuery): Promise<EventDetails | undefined> {
    return eventDetails(await this.store.readEventWithLineage(eventId));
  }
}
