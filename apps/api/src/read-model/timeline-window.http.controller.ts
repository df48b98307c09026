import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import {
  type TimelineDiffQuery,
  TimelineDiffQuerySchema,
  type TimelineOverviewQuery,
  TimelineOverviewQuerySchema,
} from '@timeline/shared-types';
import type { HttpReply } from '../http/http-types.js';
import { ValidQuery } from '../http/validation/validated.js';
import { TIMELINE_DIFF, TIMELINE_WINDOW_READS } from './read-model.tokens.js';
import type { TimelineDiff } from './timeline-diff.js';
import { answerTagged } from './timeline-window-etag.js';
import type { TimelineWindowReads } from './timeline-window-reads.js';

/** `GET /api/timeline/overview` and `GET /api/timeline/diff` (issue 12); the window itself is `GET /api/timeline?budget=`. */
@Controller('api/timeline')
export class TimelineWindowHttpController {
  constructor(
    @Inject(TIMELINE_WINDOW_READS) private readonly reads: TimelineWindowReads,
    @Inject(TIMELINE_DIFF) private readonly diffs: TimelineDiff,
  ) {}

  @Get('overview')
  async overview(
    @ValidQuery(TimelineOverviewQuerySchema) query: TimelineOverviewQuery,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: HttpReply,
  ): Promise<void> {
    const state = await this.reads.state();
    await answerTagged(res, ifNoneMatch, state.position, () => this.reads.overview(query, state));
  }

  /** A diff between two positions never changes: its tag is the pair. */
  @Get('diff')
  async diff(
    @ValidQuery(TimelineDiffQuerySchema) query: TimelineDiffQuery,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: HttpReply,
  ): Promise<void> {
    const state = await this.reads.state();
    await answerTagged(res, ifNoneMatch, `${query.from}-${query.to}`, () => this.diffs.diff(query, state));
  }
}
