import {
  type DomainEventEnvelope,
  type ReplaySelection,
  readOwnStoredEnvelope,
  validWindow,
} from '@timeline/shared-types';
import { yieldToEventLoop } from '../shared/yield-to-event-loop.js';
import type { EventStore, ReplayNarrowing } from './event-store.port.js';

/**
 * The knowledge horizon of a selection as a position: `until`, the head, and the last event recorded
 * by `asOf`, whichever is lowest. Knowledge time grows with position, so everything at or below it is known.
 */
export async function replayHorizon(
  store: EventStore,
  selection: Pick<ReplaySelection, 'until' | 'asOf'>,
): Promise<number> {
  let horizon = await store.head();
  if (selection.until !== undefined) horizon = Math.min(horizon, selection.until);
  if (selection.asOf !== undefined)
    horizon = Math.min(horizon, await store.lastPositionRecordedBy(selection.asOf));
  return horizon;
}

/**
 * The log from the selection's `after` to its `until` (the head if unset) in position order, a page
 * at a time, narrowed in SQL so the whole log is never in memory. The narrowing is a superset of the
 * selection (the shared code in shared-types decides the rest); pillars and actors live in the data
 * and are judged after upcasting.
 *
 * `windowed` is false for timeline mode: a correction can move a fact's valid time, so the window
 * applies to the folded item, not to the rows.
 */
export async function* replayPages(
  store: EventStore,
  selection: ReplaySelection,
  options: { windowed: boolean; pageSize: number },
): AsyncGenerator<DomainEventEnvelope[]> {
  const until = selection.until ?? (await store.head());
  const window = options.windowed ? validWindow(selection) : {};
  const narrowing: ReplayNarrowing = {
    types: selection.types,
    streams: selection.streams,
    validAfter: window.start,
    validUntil: window.end,
  };
  let after = selection.after;
  for (;;) {
    const page = await store.readReplayPage({ after, until, limit: options.pageSize }, narrowing);
    if (page.length === 0) return;
    // Rows of this store: validated when appended, so only old versions and oddities are re-checked.
    yield page.map(readOwnStoredEnvelope);
    if (page.length < options.pageSize) return;
    after = page[page.length - 1]!.position;
    await yieldToEventLoop();
  }
}
