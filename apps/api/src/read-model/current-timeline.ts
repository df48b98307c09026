import {
  knowledgeInstant,
  matchesTimelineFilter,
  normalizeReplaySelection,
  type TimelineFilter,
  type TimelineItem,
  type TimelineResponse,
} from '@timeline/shared-types';
import type { EventStore } from '../event-store/event-store.port.js';
import { replayHorizon } from '../event-store/replay-pages.js';
import { FoldGate } from '../infrastructure/fold-gate.js';
import { foldTimeline } from './timeline-as-of.js';
import type { TimelineReadModel } from './timeline-read-model.js';

/**
 * The timeline that `GET /api/timeline`, stats and exports describe: without `asOf`, the live read
 * model (as far as the projector has got); with `asOf`, the store folded with what had been recorded
 * by then (the read model only knows the present). `position` is the log position it reflects.
 *
 * A fold depends on its horizon only (knowledge time never goes backwards along the log, so the
 * events recorded by `asOf` are the log up to a position), and the log below a position never
 * changes: folds are kept by horizon in a small LRU and shared by concurrent requests, and the
 * filter is applied to the kept items. New folds go through a FoldGate.
 */
export class CurrentTimeline {
  private readonly folds = new Map<number, Promise<TimelineItem[]>>();

  /** `gate`: the process's fold gate (TIMELINE_MAX_CONCURRENT_FOLDS); `cachedFolds`: folds kept, by horizon. */
  constructor(
    private readonly readModel: TimelineReadModel,
    private readonly store: EventStore,
    private readonly gate: FoldGate = new FoldGate(2),
    private readonly cachedFolds = 8,
  ) {}

  async read(filter: TimelineFilter = {}, asOf?: string): Promise<TimelineResponse> {
    if (asOf === undefined) return this.readModel.items(filter);
    const instant = knowledgeInstant(asOf);
    const selection = normalizeReplaySelection({ mode: 'timeline', asOf: instant });
    const horizon = await replayHorizon(this.store, selection);
    const known = await this.foldAt(horizon);
    const items = known.filter((item) => matchesTimelineFilter(item, filter));
    return { items, position: horizon, asOf: instant };
  }

  private foldAt(horizon: number): Promise<TimelineItem[]> {
    const kept = this.folds.get(horizon);
    if (kept) {
      this.folds.delete(horizon);
      this.folds.set(horizon, kept);
      return kept;
    }
    const fold = this.gate
      .run(() => foldTimeline(this.store, normalizeReplaySelection({ mode: 'timeline', until: horizon })))
      .then(({ items }) => items);
    this.folds.set(horizon, fold);
    fold.catch(() => this.folds.delete(horizon));
    for (const oldest of this.folds.keys()) {
      if (this.folds.size <= this.cachedFolds) break;
      this.folds.delete(oldest);
    }
    return fold;
  }
}
