import { Controller, Get, Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ValidQuery } from '../../http/validation/validated.js';
import {
  type ListStreamsParameters,
  ListStreamsQuery,
  ListStreamsQuerySchema,
  type StreamList,
} from './list-streams.query.js';

@Controller('api/streams')
export class ListStreamsHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  /** Every stream in stream id order, a page at a time. */
  @Get()
  list(@ValidQuery(ListStreamsQuerySchema) page: ListStreamsParameters): Promise<StreamList> {
    return this.queryBus.execute(new ListStreamsQuery(page));
  }
}
