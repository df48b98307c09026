import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { type LogQuery, LogQuerySchema, NDJSON_CONTENT_TYPE as NDJSON } from '@timeline/shared-types';
import type { Response } from 'express';
import { PreferredType } from '../../http/content-negotiation/preferred-type.js';
import { writeNdjson } from '../../http/streaming-response/ndjson-writer.js';
import { ValidQuery } from '../../http/validation/validated.js';
import { toLogSelection } from './log-selection.js';
import { ReadLogPageQuery } from './read-log-page.query.js';
import { StreamLogQuery } from './stream-log.query.js';

@Controller('api/events')
export class ReadLogHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  /**
   * The log in position order: a JSON page `{events, nextAfter, head}`, or with
   * `Accept: application/x-ndjson` the whole selection (up to `limit` if given) as NDJSON.
   */
  @Get()
  async read(
    @PreferredType(['application/json', NDJSON]) type: string,
    @ValidQuery(LogQuerySchema) query: LogQuery,
    @Query('limit') givenLimit: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const streamed = type === NDJSON;
    const selection = toLogSelection(query, { limitGiven: givenLimit !== undefined, streamed });
    if (!streamed) {
      response.json(await this.queryBus.execute(new ReadLogPageQuery(selection)));
      return;
    }
    const { head, events } = await this.queryBus.execute(new StreamLogQuery(selection));
    response.status(200).set({
      'Content-Type': `${NDJSON}; charset=utf-8`,
      'Cache-Control': 'no-store',
      'X-Log-Head': String(head),
    });
    await writeNdjson(response, events);
  }
}
