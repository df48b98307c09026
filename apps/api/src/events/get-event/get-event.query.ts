import { Query } from '@nestjs/cqrs';
import type { EventDetails } from './event-details.js';

/** `GET /api/events/:eventId`: the event, what corrected or retracted it, and its item now; undefined when unknown. */
export class GetEventQuery extends Query<EventDetails | undefined> {
  constructor(readonly eventId: string) {
    super();
  }
}
