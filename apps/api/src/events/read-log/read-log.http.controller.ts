import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { type LogQuery, LogQuerySchema, NDJSON_CONTENT_TYPE as NDJSON } from '@timeline/shared-types';
import type { HttpReply } from '../../http/http-types.js';
import { PreferredType } from '../../http/content-negotiation/preferred-type.js';
import { ndjsonResponse, writeNdjson } from '../../http/streaming-response/ndjson-writer.js';
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
    @Res() reply: HttpReply,
  ): Promise<void> {
    const streamed = type === NDJSON;
    const selection = toLogSelection(query, { limitGiven: givenLimit !== undefined, streamed });
    if (!streamed) {
      reply.send(await this.queryBus.execute(new ReadLogPageQuery(selection)));
      return;
    }
    const { head, events } = await this.queryBus.execute(new StreamLogQuery(selection));
    await writeNdjson(ndjsonResponse(reply, { 'X-Log-Head': String(head) }), events);
  }
}
