import { Controller, Get, Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { type TimelineQuery, TimelineQuerySchema, type TimelineResponse } from '@timeline/shared-types';
import { ValidQuery } from '../http/validation/validated.js';
import { GetTimelineQuery } from './get-timeline.query.js';

@Controller('api/timeline')
export class GetTimelineController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  @Get()
  timeline(@ValidQuery(TimelineQuerySchema) filter: TimelineQuery): Promise<TimelineResponse> {
    return this.queries.execute(new GetTimelineQuery(filter));
  }
}
