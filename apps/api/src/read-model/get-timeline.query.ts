import type { TimelineQuery } from '@timeline/shared-types';

export class GetTimelineQuery {
  constructor(readonly filter: TimelineQuery) {}
}
