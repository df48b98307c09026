import {
  knowledgeInstant,
  matchesTimelineFilter,
  normalizeReplaySelection,
  type TimelineFilter,
  type TimelineResponse,
} from '@timeline/shared-types';
import type { EventStore } from '../event-store/event-store.port.js';
import { foldTimeline } from './timeline-as-of.js';
import type { TimelineReadModel } from './timeline-read-model.js';

/**
 * The timeline that `GET /api/timeline`, stats and exports describe: without `asOf`, the live read
 * model (as far as the projector has got); with `asOf`, the store folded with what had been recorded
 * by then (the read model only knows the present). `position` is the log position it reflects.
 */
export class CurrentTimeline {
  constructor(
    private readonly readModel: TimelineReadModel,
    private readonly store: EventStore,
  ) {}

  async read(filter: TimelineFilter = {}, asOf?: string): Promise<TimelineResponse> {
    if (asOf === undefined) return this.readModel.items(filter);
    const instant = knowledgeInstant(asOf);
    const known = await foldTimeline(
      this.store,
      normalizeReplaySelection({ mode: 'timeline', asOf: instant }),
    );
    const items = known.items.filter((item) => matchesTimelineFilter(item, filter));
    return { items, position: known.position, asOf: instant };
  }
}
