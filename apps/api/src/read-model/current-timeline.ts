import { normalizeReplaySelection, type TimelineItem } from '@timeline/shared-types';
import type { Streaming } from '../streaming/streaming.js';
import type { ReplayService } from './replay.service.js';

/**
 * The timeline that stats and exports describe: without `asOf`, the live read model (what
 * `GET /api/timeline` shows, as far as the projector has got); with `asOf`, the store folded with
 * what had been recorded by then. `position` is the log position it reflects.
 */
export async function currentTimeline(
  replay: ReplayService,
  streaming: Streaming,
  asOf: string | undefined,
): Promise<{ items: TimelineItem[]; position: number }> {
  if (asOf === undefined) return streaming.readModel.items();
  return replay.timeline(normalizeReplaySelection({ mode: 'timeline', asOf }));
}
