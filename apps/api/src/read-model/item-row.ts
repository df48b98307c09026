import { searchText, type TimelineItem, validTimeBounds } from '@timeline/shared-types';
import { sqlTimestamp } from '../event-store/sql-time.js';

/** The row of the items table that holds one timeline item (its columns are what queries filter on). */
export function itemRow(item: TimelineItem) {
  const { startMs, endMs } = validTimeBounds(item.occurredAt);
  return {
    id: item.id,
    position: item.position,
    last_position: item.lastPosition,
    stream_id: item.streamId,
    type: item.type,
    retracted: item.retracted,
    valid_from: sqlTimestamp(startMs),
    valid_to: sqlTimestamp(endMs),
    pillars: item.pillars,
    actors: item.actors,
    search: searchText(item),
    item,
  };
}
