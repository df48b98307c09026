import { Controller, Get, Inject, Res } from '@nestjs/common';
import { canonicalJson, statsToCsv, timelineStats } from '@timeline/shared-types';
import type { HttpReply } from '../http/http-types.js';
import { PreferredType } from '../http/content-negotiation/preferred-type.js';
import { ValidQuery } from '../http/validation/validated.js';
import { type StatsQuery, StatsQuerySchema } from './read-model-queries.js';
import type { CurrentTimeline } from './current-timeline.js';
import { CURRENT_TIMELINE } from './read-model.tokens.js';

@Controller('api/stats')
export class StatsHttpController {
  constructor(@Inject(CURRENT_TIMELINE) private readonly timeline: CurrentTimeline) {}

  /**
   * Counts over the timeline (retracted items excluded) by pillar, actor, type and valid-time month:
   * the live read model, or with `asOf` the store folded as of that moment.
   * JSON `{byPillar, byActor, byType, byMonth, total, position}`; CSV `dimension,key,count` when asked.
   */
  @Get()
  async stats(
    @PreferredType(['application/json', 'text/csv']) type: string,
    @ValidQuery(StatsQuerySchema) query: StatsQuery,
    @Res() res: HttpReply,
  ): Promise<void> {
    const { items, position, asOf } = await this.timeline.read({}, query.asOf);
    const stats = timelineStats(items);
    const format = query.format ?? (type === 'text/csv' ? 'csv' : 'json');
    res.headers({ 'timeline-position': String(position), vary: 'Accept', 'cache-control': 'no-store' });
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8; header=present').send(statsToCsv(stats));
      return;
    }
    const body = {
      ...stats,
      position,
      ...(asOf === undefined ? {} : { asOf }),
    };
    res.type('application/json; charset=utf-8').send(canonicalJson(body));
  }
}
