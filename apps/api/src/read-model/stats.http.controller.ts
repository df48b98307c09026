import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { canonicalJson, normalizeReplaySelection, statsToCsv, timelineStats } from '@timeline/shared-types';
import type { Request, Response } from 'express';
import { ZodValidationPipe } from '../http/validation/zod-validation.pipe.js';
import type { Streaming } from '../streaming/streaming.js';
import { STREAMING } from '../streaming/tokens.js';
import { type StatsQuery, StatsQuerySchema } from './replay-selection.js';
import type { ReplayService } from './replay.service.js';
import { REPLAY_SERVICE } from './replay.tokens.js';
import { currentTimeline } from './current-timeline.js';

@Controller('api/stats')
export class StatsHttpController {
  constructor(
    @Inject(REPLAY_SERVICE) private readonly replay: ReplayService,
    @Inject(STREAMING) private readonly streaming: Streaming,
  ) {}

  /**
   * Counts over the timeline (retracted items excluded) by pillar, actor, type and valid-time month:
   * the live read model, or with `asOf` the store folded as of that moment.
   * JSON `{byPillar, byActor, byType, byMonth, total, position}`; CSV `dimension,key,count` when asked.
   */
  @Get()
  async stats(
    @Query(new ZodValidationPipe(StatsQuerySchema)) query: StatsQuery,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { items, position } = await currentTimeline(this.replay, this.streaming, query.asOf);
    const stats = timelineStats(items);
    const format =
      query.format ?? (req.accepts(['application/json', 'text/csv']) === 'text/csv' ? 'csv' : 'json');
    res.set({ 'timeline-position': String(position), vary: 'Accept', 'cache-control': 'no-store' });
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8; header=present').send(statsToCsv(stats));
      return;
    }
    const body = {
      ...stats,
      position,
      ...(query.asOf === undefined ? {} : { asOf: normalizeReplaySelection({ asOf: query.asOf }).asOf }),
    };
    res.type('application/json; charset=utf-8').send(canonicalJson(body));
  }
}
