import { Controller, Get, Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { StreamIdSchema, type StreamResponse } from '@timeline/shared-types';
import type { z } from 'zod';
import { ValidParam, ValidQuery } from '../../http/validation/validated.js';
import { ReadStreamQuery, ReadStreamQuerySchema } from './read-stream.query.js';

type ParsedReadStreamQuery = z.output<typeof ReadStreamQuerySchema>;

@Controller('api/streams')
export class ReadStreamHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  /** A stream that has no events answers version 0 and no events (the version to expect when creating it). */
  @Get(':streamId')
  read(
    @ValidParam('streamId', StreamIdSchema) streamId: string,
    @ValidQuery(ReadStreamQuerySchema) query: ParsedReadStreamQuery,
  ): Promise<StreamResponse> {
    return this.queryBus.execute(new ReadStreamQuery(streamId, query.fromVersion, query.limit));
  }
}
