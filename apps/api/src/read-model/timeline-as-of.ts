import { type ReplaySelection, type TimelineItem, TimelineReplay } from '@timeline/shared-types';
import type { EventStore } from '../event-store/event-store.port.js';
import { replayHorizon, replayPages } from '../event-store/replay-pages.js';

/**
 * The timeline as the selection's horizon knew it, filtered, in timeline order: the store folded by
 * the shared replay rules. It holds the folded items, one per fact, which it must to sort them.
 */
export async function foldTimeline(
  store: EventStore,
  selection: ReplaySelection,
  pageSize = 1000,
): Promise<{ items: TimelineItem[]; position: number }> {
  const horizon = await replayHorizon(store, selection);
  const replay = new TimelineReplay({ ...selection, until: horizon });
  const pages = replayPages(store, { ...selection, after: 0, until: horizon }, { windowed: false, pageSize });
  for await (const page of pages) {
    for (const event of page) replay.apply(event);
  }
  return { items: replay.result(), position: horizon };
}
