import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { HttpReply } from '../http/http-types.js';
import { ValidQuery } from '../http/validation/validated.js';
import { ReplayQuerySchema, type ReplaySelection } from './replay-selection.js';
import type { ReplayService } from './replay.service.js';
import { REPLAY_SERVICE } from './replay.tokens.js';
import { sendNdjson } from '../http/streaming-response/ndjson-writer.js';

/** Response header naming the horizon a replay was pinned to: pass it as `until` to get the same bytes again. */
export const REPLAY_HORIZON_HEADER = 'timeline-replay-horizon';

@Controller('api/replay')
export class ReplayHttpController {
  constructor(@Inject(REPLAY_SERVICE) private readonly replay: ReplayService) {}

  /**
   * The selection as NDJSON, one canonical JSON value per line: log envelopes (`mode=events`) or
   * folded timeline items (`mode=timeline`). See shared-types `replay.ts` for what a selection means.
   */
  @Get()
  async stream(
    @ValidQuery(ReplayQuerySchema) selection: ReplaySelection,
    @Res() res: HttpReply,
  ): Promise<void> {
    const { horizon, lines } = await this.replay.open(selection);
    await sendNdjson(res, lines, { [REPLAY_HORIZON_HEADER]: String(horizon) });
  }
}
