import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { eventIdParam } from '../lineage/event-id.param.js';
import type { EventDetails } from './event-details.js';
import { GetEventQuery } from './get-event.query.js';

@Controller('api/events')
export class GetEventHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get(':eventId')
  async get(@Param('eventId', eventIdParam()) eventId: string): Promise<EventDetails> {
    const details = await this.queryBus.execute(new GetEventQuery(eventId));
    if (!details) throw new NotFoundException(`no event ${eventId}`);
    return details;
  }
}
