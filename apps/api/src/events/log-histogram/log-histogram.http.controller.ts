import { Controller, Get, Inject, Res } from '@nestjs/common';
import { type LogHistogramQuery, LogHistogramQuerySchema } from '@timeline/shared-types';
import type { HttpReply } from '../../http/http-types.js';
import type { EventStore } from '../../event-store/event-store.port.js';
import { EVENT_STORE } from '../../event-store/event-store.tokens.js';
import { ValidQuery } from '../../http/validation/validated.js';

@Controller('api/log')
export class LogHistogramHttpController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Events recorded per knowledge-time bucket, for the chart under the replay scrubber. */
  @Get('histogram')
  async histogram(
    @ValidQuery(LogHistogramQuerySchema) query: LogHistogramQuery,
    @Res() res: HttpReply,
  ): Promise<void> {
    const answer = await this.store.histogram(query.buckets);
    res.headers({ 'Cache-Control': 'no-cache', 'X-Log-Head': String(answer.head) }).send(answer);
  }
}
